package io.xscore.dataset.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.Cell;
import us.hebi.matlab.mat.types.Char;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;

/**
 * Stanford Dogs: {@code Images/<wnid>-<breed>/*.jpg} (images.tar) and the official split lists from lists.tar,
 * {@code train_list.mat} / {@code test_list.mat} (MATLAB v5: {@code file_list}, a cell array of paths relative to
 * {@code Images/}, and {@code labels}, 1-based, in the sorted folder order), read with the MFL library. Plain-text
 * equivalents {@code train_list.txt} / {@code test_list.txt} (one relative path per line) are accepted when the
 * {@code .mat} files are absent. Lists may lie next to {@code Images/} or in {@code lists/}. Classes are the sorted
 * folder names (120).
 *
 * <p>{@link Mode#RANDOM_80_20} ignores the lists like the reference code: all images sorted by path, shuffled by
 * {@link SeededShuffle}(seed), the first floor(0.8 N) are train, the rest test.
 */
public final class StanfordDogsLayout implements ImageLayout {

    public enum Mode { OFFICIAL, RANDOM_80_20 }

    private final Mode mode;
    private final long seed;

    public StanfordDogsLayout(Mode mode, long seed) {
        this.mode = mode;
        this.seed = seed;
    }

    @Override
    public String variant() {
        return mode == Mode.OFFICIAL ? "official" : "random80-seed" + seed;
    }

    @Override
    public Optional<String> missing(Path root) {
        return ImageFolders.locate(root, this::isRoot).isPresent() ? Optional.empty()
                : Optional.of("no Images/" + (mode == Mode.OFFICIAL ? " with train_list.mat|txt and test_list.mat|txt"
                        : "") + " in " + root + " or its subdirectories");
    }

    @Override
    public ImageIndex index(Path root) throws IOException {
        Path base = ImageFolders.requireRoot(root, this::isRoot, missing(root));
        Path images = base.resolve("Images");
        List<String> classes = ImageFolders.classNames(images);
        if (mode == Mode.RANDOM_80_20) {
            List<ImageEntry> all = new ArrayList<>();
            for (int label = 0; label < classes.size(); label++) {
                for (Path file : ImageFolders.images(images.resolve(classes.get(label)))) {
                    all.add(new ImageEntry(file, label));
                }
            }
            new SeededShuffle(seed).shuffle(all);
            int train = (int) (all.size() * 8L / 10);
            return new ImageIndex(classes, all.subList(0, train), all.subList(train, all.size()));
        }
        return new ImageIndex(classes, official(base, images, "train_list", classes),
                official(base, images, "test_list", classes));
    }

    private List<ImageEntry> official(Path base, Path images, String name, List<String> classes) throws IOException {
        Path list = list(base, name).orElseThrow();
        if (list.getFileName().toString().endsWith(".txt")) {
            return ListedLayout.read(images, list, classes);
        }
        MatFile mat;
        try {
            mat = Mat5.readFromFile(list.toFile());
        } catch (IOException | RuntimeException e) {
            throw new FormatException(list, "not a readable MATLAB v5 file: " + e.getMessage(), e);
        }
        Cell files;
        Matrix labels;
        try {
            files = mat.getCell("file_list");
            labels = mat.getMatrix("labels");
        } catch (RuntimeException e) {
            throw new FormatException(list, "needs a cell array 'file_list' and a matrix 'labels': " + e.getMessage(), e);
        }
        if (files.getNumElements() != labels.getNumElements()) {
            throw new FormatException(list, files.getNumElements() + " files but " + labels.getNumElements() + " labels");
        }
        List<ImageEntry> entries = new ArrayList<>();
        for (int i = 0; i < files.getNumElements(); i++) {
            String relative;
            try {
                relative = string(files.get(i)).replace('\\', '/');
            } catch (RuntimeException e) {
                throw new FormatException(list, "entry " + (i + 1) + " of file_list is not a path: " + e.getMessage(), e);
            }
            ImageFolders.Line line = new ImageFolders.Line(i + 1, relative);
            int slash = relative.indexOf('/');
            int label = slash > 0 ? classes.indexOf(relative.substring(0, slash)) : -1;
            int listed = (int) labels.getDouble(i) - 1;
            if (label < 0 || label != listed) {
                throw new FormatException(list, "entry " + (i + 1) + ": '" + relative + "' with label " + (listed + 1)
                        + " does not match the folders of " + images + " (1-based label of its folder: " + (label + 1)
                        + ")");
            }
            entries.add(new ImageEntry(ImageFolders.listed(images, relative, list, line), label));
        }
        if (entries.isEmpty()) {
            throw new FormatException(list, "lists no images");
        }
        return entries;
    }

    /** A cell element is a char array, or (as scipy shows the originals) a 1x1 cell holding one. */
    private static String string(Array element) {
        if (element instanceof Char c) {
            return c.getString().strip();
        }
        if (element instanceof Cell cell && cell.getNumElements() == 1) {
            return string(cell.get(0));
        }
        throw new IllegalArgumentException("file_list element is a " + element.getType());
    }

    private boolean isRoot(Path dir) {
        return Files.isDirectory(dir.resolve("Images"))
                && (mode == Mode.RANDOM_80_20 || (list(dir, "train_list").isPresent() && list(dir, "test_list").isPresent()));
    }

    private static Optional<Path> list(Path base, String name) {
        return ImageFolders.firstFile(base.resolve(name + ".mat"), base.resolve("lists").resolve(name + ".mat"),
                base.resolve(name + ".txt"), base.resolve("lists").resolve(name + ".txt"));
    }
}
