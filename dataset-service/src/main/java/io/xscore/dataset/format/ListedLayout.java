package io.xscore.dataset.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MIT Indoor-67: {@code Images/<class>/*.jpg} (from indoorCVPR_09.tar) plus the official {@code TrainImages.txt} and
 * {@code TestImages.txt}, one path per line relative to {@code Images/} ({@code airport_inside/airport_inside_0001.jpg}).
 * Classes are the folder names of {@code Images/} sorted; an image's class is its first path component. The lists
 * may lie next to {@code Images/} or inside it.
 */
public final class ListedLayout implements ImageLayout {

    private final String imagesDir;
    private final String trainList;
    private final String testList;

    public ListedLayout(String imagesDir, String trainList, String testList) {
        this.imagesDir = imagesDir;
        this.trainList = trainList;
        this.testList = testList;
    }

    public static ListedLayout mitIndoor67() {
        return new ListedLayout("Images", "TrainImages.txt", "TestImages.txt");
    }

    @Override
    public Optional<String> missing(Path root) {
        return ImageFolders.locate(root, this::isRoot).isPresent() ? Optional.empty()
                : Optional.of("no " + imagesDir + "/ with " + trainList + " and " + testList + " in " + root
                        + " or its subdirectories");
    }

    @Override
    public ImageIndex index(Path root) throws IOException {
        Path base = ImageFolders.requireRoot(root, this::isRoot, missing(root));
        Path images = base.resolve(imagesDir);
        List<String> classes = ImageFolders.classNames(images);
        return new ImageIndex(classes, read(images, list(base, trainList).orElseThrow(), classes),
                read(images, list(base, testList).orElseThrow(), classes));
    }

    /** Entries of a list of class-prefixed relative paths. */
    static List<ImageEntry> read(Path images, Path listFile, List<String> classes) throws IOException {
        List<ImageEntry> entries = new ArrayList<>();
        for (ImageFolders.Line line : ImageFolders.lines(listFile)) {
            String relative = line.text().replace('\\', '/');
            int slash = relative.indexOf('/');
            int label = slash > 0 ? classes.indexOf(relative.substring(0, slash)) : -1;
            if (label < 0) {
                throw new FormatException(listFile, "line " + line.number() + ": '" + relative
                        + "' does not start with a class folder of " + images);
            }
            entries.add(new ImageEntry(ImageFolders.listed(images, relative, listFile, line), label));
        }
        if (entries.isEmpty()) {
            throw new FormatException(listFile, "lists no images");
        }
        return entries;
    }

    private boolean isRoot(Path dir) {
        return Files.isDirectory(dir.resolve(imagesDir)) && list(dir, trainList).isPresent()
                && list(dir, testList).isPresent();
    }

    private Optional<Path> list(Path base, String name) {
        return ImageFolders.firstFile(base.resolve(name), base.resolve(imagesDir).resolve(name));
    }
}
