package io.xscore.dataset.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.Cell;
import us.hebi.matlab.mat.types.Matrix;

class LayoutsTest {

    @TempDir
    Path tmp;

    static List<String> names(List<ImageEntry> entries) {
        return entries.stream().map(e -> e.file().getFileName().toString()).toList();
    }

    static List<Integer> labels(List<ImageEntry> entries) {
        return entries.stream().map(ImageEntry::label).toList();
    }

    @Test
    void imagenetteClassesAreSortedWnidsAndValIsTheTestSplit() throws Exception {
        Path root = tmp.resolve("imagenette2-160");
        for (String wnid : List.of("n03888605", "n01440764", "n02102040")) {
            ImageFixtures.jpeg(root.resolve("train/" + wnid + "/" + wnid + "_1.JPEG"));
            ImageFixtures.jpeg(root.resolve("train/" + wnid + "/" + wnid + "_2.JPEG"));
            ImageFixtures.jpeg(root.resolve("val/" + wnid + "/ILSVRC2012_val_" + wnid + ".JPEG"));
        }
        Files.writeString(root.resolve("noisy_imagenette.csv"), "path,noisy_labels_0\n");
        ImageLayout layout = ImageFolderLayout.imagenette();
        assertTrue(layout.missing(tmp).isEmpty(), "found one level down");
        ImageIndex index = layout.index(tmp);
        assertEquals(List.of("n01440764", "n02102040", "n03888605"), index.classes());
        assertEquals(6, index.train().size());
        assertEquals(List.of(0, 0, 1, 1, 2, 2), labels(index.train()));
        assertEquals(3, index.test().size());
        assertEquals(List.of(0, 1, 2), labels(index.test()));

        // A val class the training split lacks is a clear error.
        ImageFixtures.jpeg(root.resolve("val/n09999999/x.JPEG"));
        FormatException stray = assertThrows(FormatException.class, () -> layout.index(tmp));
        assertTrue(stray.getMessage().contains("n09999999"), stray.getMessage());
        assertTrue(ImageFolderLayout.imagenette().missing(tmp.resolve("absent")).isPresent());
    }

    @Test
    void genericImageFolders() throws Exception {
        Path root = tmp.resolve("mine");
        ImageFixtures.jpeg(root.resolve("train/cats/a.jpg"));
        ImageFixtures.image(root.resolve("train/dogs/b.png"), 10, 10, 0xff0000);
        ImageFixtures.jpeg(root.resolve("train/dogs/c.jpeg"));
        Files.writeString(root.resolve("train/dogs/readme.txt"), "not an image");
        ImageFixtures.jpeg(root.resolve("test/cats/d.jpg"));
        ImageFixtures.jpeg(root.resolve("test/dogs/e.jpg"));
        ImageIndex index = ImageFolderLayout.generic().index(root);
        assertEquals(List.of("cats", "dogs"), index.classes());
        assertEquals(List.of("a.jpg", "b.png", "c.jpeg"), names(index.train()));
        assertEquals(List.of(0, 1, 1), labels(index.train()));
        assertEquals(List.of("d.jpg", "e.jpg"), names(index.test()));
        assertFalse(ImageFolderLayout.generic().missing(tmp.resolve("mine/train")).isEmpty());
    }

    /** HAM10000 metadata: 3 lesions with 2 images, the rest single; 7 dx classes of unequal size. */
    private Path ham() throws Exception {
        Path root = tmp.resolve("HAM10000");
        Map<String, Integer> sizes = Map.of("akiec", 4, "bcc", 5, "bkl", 6, "df", 3, "mel", 8, "nv", 20, "vasc", 3);
        List<String> lines = new ArrayList<>(List.of("lesion_id,image_id,dx,dx_type,age,sex,localization,dataset"));
        int image = 24306;
        int lesion = 0;
        for (String dx : sizes.keySet().stream().sorted().toList()) {
            for (int i = 0; i < sizes.get(dx); i++) {
                // Every third image shares the lesion of the previous one.
                String lesionId = String.format("HAM_%07d", i % 3 == 2 ? lesion : ++lesion);
                String id = "ISIC_" + String.format("%07d", image++);
                String part = image % 2 == 0 ? "HAM10000_images_part_1" : "HAM10000_images_part_2";
                ImageFixtures.image(root.resolve(part + "/" + id + ".jpg"), 12, 9, 0x884422);
                lines.add(lesionId + "," + id + "," + dx + ",histo,45.0,male,back,vidir_modern");
            }
        }
        ImageFixtures.text(root.resolve(Ham10000Layout.METADATA), lines);
        return root;
    }

    @Test
    void ham10000StratifiedSplit() throws Exception {
        Path root = ham();
        Ham10000Layout layout = new Ham10000Layout(Ham10000Layout.Mode.STRATIFIED, 42);
        ImageIndex index = layout.index(tmp);
        assertEquals(List.of("akiec", "bcc", "bkl", "df", "mel", "nv", "vasc"), index.classes());
        // 49 images: test ceil(0.15*49) = 8, val ceil(15*41/85) = 8, train 33.
        assertEquals(8, index.test().size());
        assertEquals(8, index.val().size());
        assertEquals(33, index.train().size());
        Set<Path> all = new HashSet<>();
        for (List<ImageEntry> split : List.of(index.train(), index.val(), index.test())) {
            split.forEach(e -> assertTrue(all.add(e.file()), "each image in one split"));
        }
        assertEquals(49, all.size());
        // nv (20 of 49) is the biggest class: it gets the most test images.
        Map<Integer, Long> testPerClass = index.test().stream().collect(Collectors.groupingBy(ImageEntry::label,
                Collectors.counting()));
        assertEquals(3L, testPerClass.get(5));
        // Deterministic, and the seed matters.
        assertEquals(index, layout.index(tmp));
        assertNotEquals(index.test(), new Ham10000Layout(Ham10000Layout.Mode.STRATIFIED, 7).index(tmp).test());
        assertTrue(root.startsWith(tmp));
    }

    @Test
    void ham10000SizesOfTheRealDataset() {
        // akiec 327, bcc 514, bkl 1099, df 115, mel 1113, nv 6705, vasc 142 = 10,015 images.
        int[][] quotas = Ham10000Layout.quotas(new int[] {327, 514, 1099, 115, 1113, 6705, 142});
        int test = java.util.Arrays.stream(quotas[0]).sum();
        int val = java.util.Arrays.stream(quotas[1]).sum();
        assertEquals(1503, test);
        assertEquals(1503, val);
        assertEquals(7009, 10015 - test - val);
    }

    @Test
    void ham10000LesionGroupedSplitKeepsLesionsTogether() throws Exception {
        Path root = ham();
        ImageIndex index = new Ham10000Layout(Ham10000Layout.Mode.LESION_GROUPED, 42).index(root);
        Map<String, String> lesionOf = new java.util.HashMap<>();
        for (String line : Files.readAllLines(root.resolve(Ham10000Layout.METADATA)).subList(1, 50)) {
            String[] cells = line.split(",");
            lesionOf.put(cells[1] + ".jpg", cells[0]);
        }
        Map<String, String> splitOfLesion = new java.util.HashMap<>();
        Map<String, List<ImageEntry>> splits = Map.of("train", index.train(), "val", index.val(), "test", index.test());
        for (Map.Entry<String, List<ImageEntry>> split : splits.entrySet()) {
            for (ImageEntry e : split.getValue()) {
                String lesion = lesionOf.get(e.file().getFileName().toString());
                String earlier = splitOfLesion.putIfAbsent(lesion, split.getKey());
                assertTrue(earlier == null || earlier.equals(split.getKey()), lesion + " in two splits");
            }
        }
        assertEquals(49, index.train().size() + index.val().size() + index.test().size());
        assertTrue(index.test().size() >= 8, "test reaches its target");
    }

    @Test
    void ham10000BadMetadataIsNamed() throws Exception {
        Path root = ham();
        Path csv = root.resolve(Ham10000Layout.METADATA);
        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        lines.add("HAM_9999999,ISIC_9999999,nv,histo,45.0,male,back,x");
        Files.write(csv, lines);
        FormatException missing = assertThrows(FormatException.class,
                () -> new Ham10000Layout(Ham10000Layout.Mode.STRATIFIED, 42).index(root));
        assertTrue(missing.getMessage().startsWith(csv.toString()), missing.getMessage());
        assertTrue(missing.getMessage().contains("ISIC_9999999"), missing.getMessage());

        Files.writeString(csv, "image,label\nISIC_0024306,nv\n");
        FormatException header = assertThrows(FormatException.class,
                () -> new Ham10000Layout(Ham10000Layout.Mode.STRATIFIED, 42).index(root));
        assertTrue(header.getMessage().contains("lesion_id"), header.getMessage());
    }

    private Path dogs() throws Exception {
        Path root = tmp.resolve("dogs");
        for (String breed : List.of("n02085620-Chihuahua", "n02085782-Japanese_spaniel", "n02116738-African_hunting_dog")) {
            for (int i = 1; i <= 5; i++) {
                ImageFixtures.jpeg(root.resolve("Images/" + breed + "/" + breed.substring(0, 9) + "_" + i + ".jpg"));
            }
        }
        return root;
    }

    private static void matList(Path file, List<String> paths, List<Integer> labels) throws Exception {
        Cell files = Mat5.newCell(paths.size(), 1);
        Matrix values = Mat5.newMatrix(paths.size(), 1);
        for (int i = 0; i < paths.size(); i++) {
            Cell holder = Mat5.newCell(1, 1);
            holder.set(0, Mat5.newString(paths.get(i)));
            files.set(i, holder);
            values.setDouble(i, labels.get(i));
        }
        Files.createDirectories(file.getParent());
        Mat5.writeToFile(Mat5.newMatFile().addArray("file_list", files).addArray("labels", values), file.toFile());
    }

    @Test
    void stanfordDogsOfficialMatListsAndTextFallback() throws Exception {
        Path root = dogs();
        matList(root.resolve("train_list.mat"), List.of("n02085620-Chihuahua/n02085620_1.jpg",
                "n02116738-African_hunting_dog/n02116738_2.jpg", "n02085782-Japanese_spaniel/n02085782_3.jpg"),
                List.of(1, 3, 2));
        matList(root.resolve("test_list.mat"), List.of("n02085620-Chihuahua/n02085620_4.jpg"), List.of(1));
        StanfordDogsLayout official = new StanfordDogsLayout(StanfordDogsLayout.Mode.OFFICIAL, 42);
        ImageIndex index = official.index(root);
        assertEquals(List.of("n02085620-Chihuahua", "n02085782-Japanese_spaniel", "n02116738-African_hunting_dog"),
                index.classes());
        assertEquals(List.of(0, 2, 1), labels(index.train()));
        assertEquals(List.of("n02085620_4.jpg"), names(index.test()));

        // A label that contradicts the folder is an error naming the .mat file.
        matList(root.resolve("test_list.mat"), List.of("n02085620-Chihuahua/n02085620_4.jpg"), List.of(2));
        FormatException wrong = assertThrows(FormatException.class, () -> official.index(root));
        assertTrue(wrong.getMessage().startsWith(root.resolve("test_list.mat").toString()), wrong.getMessage());

        // Text lists in lists/ when there are no .mat files.
        Files.delete(root.resolve("train_list.mat"));
        Files.delete(root.resolve("test_list.mat"));
        ImageFixtures.text(root.resolve("lists/train_list.txt"), "n02085782-Japanese_spaniel/n02085782_1.jpg");
        ImageFixtures.text(root.resolve("lists/test_list.txt"), "n02116738-African_hunting_dog/n02116738_5.jpg");
        ImageIndex text = official.index(root);
        assertEquals(List.of(1), labels(text.train()));
        assertEquals(List.of(2), labels(text.test()));
    }

    @Test
    void stanfordDogsSeededRandomSplit() throws Exception {
        Path root = dogs();
        StanfordDogsLayout random = new StanfordDogsLayout(StanfordDogsLayout.Mode.RANDOM_80_20, 42);
        ImageIndex a = random.index(root);
        assertEquals(12, a.train().size());
        assertEquals(3, a.test().size());
        assertEquals(a, random.index(root));
        assertNotEquals(a.test(), new StanfordDogsLayout(StanfordDogsLayout.Mode.RANDOM_80_20, 1).index(root).test());
    }

    @Test
    void mitIndoorListsAndBadLines() throws Exception {
        Path root = tmp.resolve("indoor");
        for (String c : List.of("bakery", "airport_inside", "kitchen")) {
            for (int i = 1; i <= 3; i++) {
                ImageFixtures.jpeg(root.resolve("Images/" + c + "/" + c + "_" + i + ".jpg"));
            }
        }
        ImageFixtures.text(root.resolve("TrainImages.txt"), "airport_inside/airport_inside_1.jpg",
                "kitchen/kitchen_2.jpg", "", "bakery/bakery_3.jpg");
        ImageFixtures.text(root.resolve("TestImages.txt"), "kitchen/kitchen_3.jpg\r");
        ImageIndex index = ListedLayout.mitIndoor67().index(root);
        assertEquals(List.of("airport_inside", "bakery", "kitchen"), index.classes());
        assertEquals(List.of(0, 2, 1), labels(index.train()));
        assertEquals(List.of(2), labels(index.test()));

        ImageFixtures.text(root.resolve("TestImages.txt"), "kitchen/kitchen_9.jpg");
        FormatException absent = assertThrows(FormatException.class, () -> ListedLayout.mitIndoor67().index(root));
        assertTrue(absent.getMessage().contains("TestImages.txt: line 1"), absent.getMessage());
        ImageFixtures.text(root.resolve("TestImages.txt"), "kitchen/../../../../etc/passwd");
        FormatException escape = assertThrows(FormatException.class, () -> ListedLayout.mitIndoor67().index(root));
        assertTrue(escape.getMessage().contains("escapes"), escape.getMessage());
        ImageFixtures.text(root.resolve("TestImages.txt"), "livingroom/x.jpg");
        assertThrows(FormatException.class, () -> ListedLayout.mitIndoor67().index(root));
    }

    @Test
    void miniPlacesListsWithLabels() throws Exception {
        Path root = tmp.resolve("miniplaces");
        ImageFixtures.jpeg(root.resolve("images/train/a/abbey/00000001.jpg"));
        ImageFixtures.jpeg(root.resolve("images/train/b/bakery/00000001.jpg"));
        ImageFixtures.jpeg(root.resolve("images/val/00000001.jpg"));
        ImageFixtures.text(root.resolve("data/train.txt"), "train/a/abbey/00000001.jpg 0",
                "train/b/bakery/00000001.jpg 2");
        ImageFixtures.text(root.resolve("data/val.txt"), "val/00000001.jpg 1");
        ImageFixtures.text(root.resolve("data/categories.txt"), "/a/abbey 0", "/a/airport 1", "/b/bakery 2");
        MiniPlacesLayout layout = new MiniPlacesLayout(3);
        ImageIndex index = layout.index(root);
        assertEquals(List.of("abbey", "airport", "bakery"), index.classes());
        assertEquals(List.of(0, 2), labels(index.train()));
        assertEquals(List.of(1), labels(index.test()));

        ImageFixtures.text(root.resolve("data/val.txt"), "val/00000001.jpg 7");
        FormatException label = assertThrows(FormatException.class, () -> layout.index(root));
        assertTrue(label.getMessage().contains("val.txt: line 1"), label.getMessage());
        Files.delete(root.resolve("data/val.txt"));
        assertTrue(layout.missing(root).orElseThrow().contains("val.txt"));
    }
}
