package io.xscore.dataset.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code <root>/train/<class>/*} and {@code <root>/<test>/<class>/*}: the generic layout users register their own
 * datasets in (test folder {@code test}, else {@code val}), and ImageNette's ({@code imagenette2-160/train|val/<wnid>/
 * *.JPEG}, test folder {@code val}). Classes are the training split's folder names sorted (for ImageNette: sorted
 * WordNet ids, the torchvision ImageFolder order); every test folder must be one of them.
 */
public final class ImageFolderLayout implements ImageLayout {

    private final List<String> testNames;

    /** @param testNames names accepted for the test folder, first found wins */
    public ImageFolderLayout(String... testNames) {
        this.testNames = List.of(testNames);
    }

    public static ImageFolderLayout generic() {
        return new ImageFolderLayout("test", "val");
    }

    public static ImageFolderLayout imagenette() {
        return new ImageFolderLayout("val");
    }

    @Override
    public Optional<String> missing(Path root) {
        if (!Files.isDirectory(root)) {
            return Optional.of("directory " + root + " does not exist");
        }
        return ImageFolders.locate(root, this::isRoot).isPresent() ? Optional.empty()
                : Optional.of("no train/ and " + String.join("|", testNames) + "/ folders in " + root
                        + " or its subdirectories");
    }

    @Override
    public ImageIndex index(Path root) throws IOException {
        Path base = ImageFolders.requireRoot(root, this::isRoot, missing(root));
        List<String> classes = ImageFolders.classNames(base.resolve("train"));
        return new ImageIndex(classes, ImageFolders.folderSplit(base.resolve("train"), classes),
                ImageFolders.folderSplit(testDir(base).orElseThrow(), classes));
    }

    private boolean isRoot(Path dir) {
        return Files.isDirectory(dir.resolve("train")) && testDir(dir).isPresent();
    }

    private Optional<Path> testDir(Path dir) {
        return testNames.stream().map(dir::resolve).filter(Files::isDirectory).findFirst();
    }
}
