package io.xscore.dataset.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** File-system helpers shared by the image layouts: locating a layout's root, listing classes and images, list files. */
public final class ImageFolders {

    /** File name extensions taken as images (case-insensitive). */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    /** One non-blank line of a list file, with its 1-based number for error messages. */
    public record Line(int number, String text) {
    }

    private ImageFolders() {
    }

    /**
     * {@code root} itself if {@code isRoot} accepts it, else the first (by name) immediate subdirectory that it
     * accepts: archives unpack into one folder ({@code imagenette2-160/}, {@code cifar-10-batches-bin/}), and
     * users register either level.
     */
    public static Optional<Path> locate(Path root, Predicate<Path> isRoot) {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        if (isRoot.test(root)) {
            return Optional.of(root);
        }
        try {
            for (Path child : subdirectories(root)) {
                if (isRoot.test(child)) {
                    return Optional.of(child);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** {@link #locate}, or a {@link FormatException} on {@code root} with the layout's {@code missing} reason. */
    public static Path requireRoot(Path root, Predicate<Path> isRoot, Optional<String> missing) throws FormatException {
        Optional<Path> base = locate(root, isRoot);
        if (base.isEmpty()) {
            throw new FormatException(root, missing.orElse("layout not found"));
        }
        return base.get();
    }

    /** The first of {@code candidates} that is a regular file. */
    public static Optional<Path> firstFile(Path... candidates) {
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Visible subdirectories of {@code dir}, sorted by name. */
    public static List<Path> subdirectories(Path dir) throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                if (Files.isDirectory(child) && !hidden(child)) {
                    dirs.add(child);
                }
            }
        }
        dirs.sort(null);
        return dirs;
    }

    /** Sorted names of the visible subdirectories: the class order of image-folder layouts. */
    public static List<String> classNames(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new FormatException(dir, "missing directory");
        }
        List<String> names = subdirectories(dir).stream().map(p -> p.getFileName().toString()).toList();
        if (names.isEmpty()) {
            throw new FormatException(dir, "has no class subdirectories");
        }
        return names;
    }

    /** Image files directly in {@code dir}, sorted by name. */
    public static List<Path> images(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                if (!hidden(child) && isImageName(child.getFileName().toString()) && Files.isRegularFile(child)) {
                    files.add(child);
                }
            }
        }
        files.sort(null);
        return files;
    }

    /** {@code <splitDir>/<class>/*} for the given classes; a class folder missing here is an error. */
    public static List<ImageEntry> folderSplit(Path splitDir, List<String> classes) throws IOException {
        List<String> present = classNames(splitDir);
        for (String name : present) {
            if (!classes.contains(name)) {
                throw new FormatException(splitDir.resolve(name), "class folder not present in the training split");
            }
        }
        List<ImageEntry> entries = new ArrayList<>();
        for (int label = 0; label < classes.size(); label++) {
            Path classDir = splitDir.resolve(classes.get(label));
            if (!Files.isDirectory(classDir)) {
                throw new FormatException(classDir, "missing class folder");
            }
            for (Path file : images(classDir)) {
                entries.add(new ImageEntry(file, label));
            }
        }
        if (entries.isEmpty()) {
            throw new FormatException(splitDir, "contains no images");
        }
        return entries;
    }

    /** The non-blank lines of a list file (UTF-8, trailing whitespace and {@code \r} stripped). */
    public static List<Line> lines(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FormatException(file, "missing list file");
        }
        List<Line> lines = new ArrayList<>();
        int number = 0;
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (!text.isBlank()) {
                lines.add(new Line(number, text.strip()));
            }
        }
        return lines;
    }

    /**
     * Resolves a relative path from a list file below {@code base}; absolute paths, {@code ..} and files that do not
     * exist are errors naming the list file and line.
     */
    public static Path listed(Path base, String relative, Path listFile, Line line) throws FormatException {
        String clean = relative.replace('\\', '/');
        Path resolved = base.resolve(clean).normalize();
        if (clean.startsWith("/") || !resolved.startsWith(base.normalize())) {
            throw new FormatException(listFile, "line " + line.number() + ": path '" + relative
                    + "' escapes " + base);
        }
        if (!Files.isRegularFile(resolved)) {
            throw new FormatException(listFile, "line " + line.number() + ": listed image " + resolved
                    + " does not exist");
        }
        return resolved;
    }

    static boolean isImageName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hidden(Path path) {
        return path.getFileName().toString().startsWith(".");
    }
}
