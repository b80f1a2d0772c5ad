package io.xscore.dataset.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * MiniPlaces (the MIT 6.819 challenge set: data.tar.gz with {@code images/train/<letter>/<class>/*.jpg},
 * {@code images/val/*.jpg}; development kit lists {@code train.txt}, {@code val.txt}, {@code categories.txt}).
 * List lines are {@code "<path relative to images/> <label>"} ({@code train/a/abbey/00000001.jpg 0},
 * {@code val/00000001.jpg 24}); val is the test split. Class names come from {@code categories.txt}
 * ({@code "/a/abbey 0"}) when present, else they are the label numbers. Lists are looked for next to
 * {@code images/} and in {@code data/}.
 */
public final class MiniPlacesLayout implements ImageLayout {

    private final int classes;

    public MiniPlacesLayout(int classes) {
        this.classes = classes;
    }

    @Override
    public Optional<String> missing(Path root) {
        return ImageFolders.locate(root, this::isRoot).isPresent() ? Optional.empty()
                : Optional.of("no images/ with train.txt and val.txt in " + root + " or its subdirectories");
    }

    @Override
    public ImageIndex index(Path root) throws IOException {
        Path base = ImageFolders.requireRoot(root, this::isRoot, missing(root));
        Path images = base.resolve("images");
        Optional<Path> categories = list(base, "categories.txt");
        List<String> names = categories.isPresent() ? categoryNames(categories.get()) : numbers();
        return new ImageIndex(names, read(images, list(base, "train.txt").orElseThrow()),
                read(images, list(base, "val.txt").orElseThrow()));
    }

    private List<ImageEntry> read(Path images, Path listFile) throws IOException {
        List<ImageEntry> entries = new ArrayList<>();
        for (ImageFolders.Line line : ImageFolders.lines(listFile)) {
            String[] parts = line.text().split("\\s+");
            int label = parts.length == 2 ? parseLabel(parts[1]) : -1;
            if (label < 0 || label >= classes) {
                throw new FormatException(listFile, "line " + line.number() + ": expected '<path> <label>' with a"
                        + " label in [0, " + classes + "), got '" + line.text() + "'");
            }
            entries.add(new ImageEntry(ImageFolders.listed(images, parts[0], listFile, line), label));
        }
        if (entries.isEmpty()) {
            throw new FormatException(listFile, "lists no images");
        }
        return entries;
    }

    private List<String> categoryNames(Path file) throws IOException {
        String[] names = new String[classes];
        for (ImageFolders.Line line : ImageFolders.lines(file)) {
            String[] parts = line.text().split("\\s+");
            int index = parts.length == 2 ? parseLabel(parts[1]) : -1;
            if (index < 0 || index >= classes || names[index] != null) {
                throw new FormatException(file, "line " + line.number() + ": expected '/<letter>/<name> <index>'"
                        + " with a new index in [0, " + classes + "), got '" + line.text() + "'");
            }
            String name = parts[0];
            names[index] = name.substring(name.lastIndexOf('/') + 1);
        }
        for (int i = 0; i < classes; i++) {
            if (names[i] == null) {
                throw new FormatException(file, "has no category with index " + i);
            }
        }
        return Arrays.asList(names);
    }

    private List<String> numbers() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    private static int parseLabel(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private boolean isRoot(Path dir) {
        return Files.isDirectory(dir.resolve("images")) && list(dir, "train.txt").isPresent()
                && list(dir, "val.txt").isPresent();
    }

    private static Optional<Path> list(Path base, String name) {
        return ImageFolders.firstFile(base.resolve(name), base.resolve("data").resolve(name));
    }
}
