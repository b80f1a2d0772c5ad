package io.xscore.dataset.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * HAM10000 (Harvard Dataverse doi:10.7910/DVN/DBW86T): {@code HAM10000_metadata.csv} (header
 * {@code lesion_id,image_id,dx,dx_type,age,sex,localization[,dataset]}) and the JPEGs {@code <image_id>.jpg} in
 * {@code HAM10000_images_part_1/} and {@code HAM10000_images_part_2/} (also accepted: {@code images/} and lower-case
 * folder names). Classes are the sorted {@code dx} values (akiec, bcc, bkl, df, mel, nv, vasc).
 *
 * <p>HAM10000 has no official split; two deterministic ones are offered (documented in the README):
 * <ul>
 *   <li>{@link Mode#STRATIFIED} (default, the benchmark's): sizes as two chained scikit-learn
 *       {@code train_test_split(stratify=dx)} calls give them: test = ceil(0.15 N), val = ceil(0.15/0.85 of the
 *       rest), so 10,015 images give 7,009 / 1,503 / 1,503. Each class's share of test (then of val, from what is
 *       left of each class) is allocated by largest remainder (ties to the earlier class). Within a class the images
 *       are sorted by image_id and shuffled by one {@link SeededShuffle}(seed) that walks the classes in order; the
 *       first images go to test, the next to val, the rest to train. Images of one lesion can land in different
 *       splits (HAM10000 has several photos of many lesions), which flatters test accuracy.</li>
 *   <li>{@link Mode#LESION_GROUPED}: the same per-class targets, but whole lesions are assigned: a class's lesions
 *       (sorted by lesion_id, shuffled) fill test until it reaches its target, then val, then the rest go to train.
 *       No lesion_id appears in two splits; split sizes miss the targets by less than one lesion's image count.</li>
 * </ul>
 * Each split is listed sorted by image_id.
 */
public final class Ham10000Layout implements ImageLayout {

    public static final String METADATA = "HAM10000_metadata.csv";
    static final List<String> IMAGE_DIRS = List.of("HAM10000_images_part_1", "HAM10000_images_part_2",
            "ham10000_images_part_1", "ham10000_images_part_2", "images");

    public enum Mode { STRATIFIED, LESION_GROUPED }

    private record Row(String lesion, String image, String dx, Path file) {
    }

    private final Mode mode;
    private final long seed;

    public Ham10000Layout(Mode mode, long seed) {
        this.mode = mode;
        this.seed = seed;
    }

    @Override
    public String variant() {
        return mode.name().toLowerCase(Locale.ROOT) + "-seed" + seed;
    }

    @Override
    public Optional<String> missing(Path root) {
        return ImageFolders.locate(root, Ham10000Layout::isRoot).isPresent() ? Optional.empty()
                : Optional.of("no " + METADATA + " with an image folder (" + IMAGE_DIRS.get(0) + ", "
                        + IMAGE_DIRS.get(1) + ") in " + root + " or its subdirectories");
    }

    @Override
    public ImageIndex index(Path root) throws IOException {
        Path base = ImageFolders.requireRoot(root, Ham10000Layout::isRoot, missing(root));
        List<Row> rows = readMetadata(base);
        List<String> classes = new ArrayList<>(new TreeSet<>(rows.stream().map(Row::dx).toList()));
        Map<String, List<Row>> byClass = new TreeMap<>();
        for (Row row : rows) {
            byClass.computeIfAbsent(row.dx(), k -> new ArrayList<>()).add(row);
        }
        int[][] quotas = quotas(byClass.values().stream().mapToInt(List::size).toArray());
        int[] testQuota = quotas[0];
        int[] valQuota = quotas[1];

        SeededShuffle shuffle = new SeededShuffle(seed);
        List<Row> train = new ArrayList<>();
        List<Row> test = new ArrayList<>();
        List<Row> val = new ArrayList<>();
        int c = 0;
        for (List<Row> members : byClass.values()) {
            if (mode == Mode.STRATIFIED) {
                List<Row> sorted = new ArrayList<>(members);
                sorted.sort(Comparator.comparing(Row::image));
                shuffle.shuffle(sorted);
                test.addAll(sorted.subList(0, testQuota[c]));
                val.addAll(sorted.subList(testQuota[c], testQuota[c] + valQuota[c]));
                train.addAll(sorted.subList(testQuota[c] + valQuota[c], sorted.size()));
            } else {
                Map<String, List<Row>> lesions = new TreeMap<>();
                for (Row row : members) {
                    lesions.computeIfAbsent(row.lesion(), k -> new ArrayList<>()).add(row);
                }
                List<List<Row>> groups = new ArrayList<>(lesions.values());
                shuffle.shuffle(groups);
                int inTest = 0;
                int inVal = 0;
                for (List<Row> group : groups) {
                    if (inTest < testQuota[c]) {
                        test.addAll(group);
                        inTest += group.size();
                    } else if (inVal < valQuota[c]) {
                        val.addAll(group);
                        inVal += group.size();
                    } else {
                        train.addAll(group);
                    }
                }
            }
            c++;
        }
        return new ImageIndex(classes, entries(train, classes), entries(test, classes), entries(val, classes));
    }

    /** Per class: {test quota, val quota} for the class sizes {@code counts} (see the class comment). */
    static int[][] quotas(int[] counts) {
        int n = 0;
        for (int count : counts) {
            n += count;
        }
        int nTest = (int) ((15L * n + 99) / 100);
        int nVal = (int) ((15L * (n - nTest) + 84) / 85);
        int[] testQuota = largestRemainder(counts, nTest);
        int[] rest = new int[counts.length];
        for (int c = 0; c < counts.length; c++) {
            rest[c] = counts[c] - testQuota[c];
        }
        return new int[][] {testQuota, largestRemainder(rest, nVal)};
    }

    /** Splits {@code total} over the classes in proportion to {@code counts}: floors, then largest remainders. */
    static int[] largestRemainder(int[] counts, int total) {
        long sum = 0;
        for (int count : counts) {
            sum += count;
        }
        int[] quota = new int[counts.length];
        long[] remainder = new long[counts.length];
        int given = 0;
        for (int c = 0; c < counts.length; c++) {
            quota[c] = (int) ((long) total * counts[c] / sum);
            remainder[c] = (long) total * counts[c] % sum;
            given += quota[c];
        }
        while (given < total) {
            int best = -1;
            for (int c = 0; c < counts.length; c++) {
                if (quota[c] < counts[c] && (best < 0 || remainder[c] > remainder[best])) {
                    best = c;
                }
            }
            quota[best]++;
            remainder[best] = -1;
            given++;
        }
        return quota;
    }

    private static List<ImageEntry> entries(List<Row> rows, List<String> classes) {
        return rows.stream().sorted(Comparator.comparing(Row::image))
                .map(r -> new ImageEntry(r.file(), classes.indexOf(r.dx()))).toList();
    }

    private List<Row> readMetadata(Path base) throws IOException {
        Path csv = base.resolve(METADATA);
        Map<String, Path> files = new HashMap<>();
        for (String dir : IMAGE_DIRS) {
            if (Files.isDirectory(base.resolve(dir))) {
                for (Path file : ImageFolders.images(base.resolve(dir))) {
                    String name = file.getFileName().toString();
                    files.putIfAbsent(name.substring(0, name.lastIndexOf('.')), file);
                }
            }
        }
        List<ImageFolders.Line> lines = ImageFolders.lines(csv);
        if (lines.isEmpty()) {
            throw new FormatException(csv, "is empty");
        }
        List<String> header = List.of(cells(lines.get(0).text()));
        int lesionCol = header.indexOf("lesion_id");
        int imageCol = header.indexOf("image_id");
        int dxCol = header.indexOf("dx");
        if (lesionCol < 0 || imageCol < 0 || dxCol < 0) {
            throw new FormatException(csv, "header must name the columns lesion_id, image_id and dx; got "
                    + lines.get(0).text());
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        Map<String, String> lesionDx = new HashMap<>();
        for (ImageFolders.Line line : lines.subList(1, lines.size())) {
            String[] cells = cells(line.text());
            if (cells.length != header.size()) {
                throw new FormatException(csv, "line " + line.number() + ": " + cells.length + " columns, header has "
                        + header.size());
            }
            String image = cells[imageCol];
            String dx = cells[dxCol];
            if (image.isEmpty() || dx.isEmpty() || cells[lesionCol].isEmpty()) {
                throw new FormatException(csv, "line " + line.number() + ": empty lesion_id, image_id or dx");
            }
            Path file = files.get(image);
            if (file == null) {
                throw new FormatException(csv, "line " + line.number() + ": image " + image + ".jpg not found in "
                        + base + "/{" + String.join(",", IMAGE_DIRS) + "}");
            }
            String previousDx = lesionDx.putIfAbsent(cells[lesionCol], dx);
            if (previousDx != null && !previousDx.equals(dx)) {
                throw new FormatException(csv, "line " + line.number() + ": lesion " + cells[lesionCol]
                        + " has dx " + dx + " here and " + previousDx + " on an earlier line");
            }
            if (rows.put(image, new Row(cells[lesionCol], image, dx, file)) != null) {
                throw new FormatException(csv, "line " + line.number() + ": image_id " + image + " listed twice");
            }
        }
        if (rows.isEmpty()) {
            throw new FormatException(csv, "lists no images");
        }
        return new ArrayList<>(rows.values());
    }

    private static String[] cells(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i].strip();
            if (cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"")) {
                cell = cell.substring(1, cell.length() - 1);
            }
            cells[i] = cell;
        }
        return cells;
    }

    private static boolean isRoot(Path dir) {
        return Files.isRegularFile(dir.resolve(METADATA))
                && IMAGE_DIRS.stream().anyMatch(d -> Files.isDirectory(dir.resolve(d)));
    }
}
