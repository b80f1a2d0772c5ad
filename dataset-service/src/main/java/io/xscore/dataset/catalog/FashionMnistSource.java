package io.xscore.dataset.catalog;

import io.xscore.common.catalog.DatasetInfo;
import io.xscore.dataset.format.IdxReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fashion-MNIST from its four IDX files in one directory (as Debian's {@code dataset-fashion-mnist} installs them
 * under /usr/share/datasets/fashion-mnist), each either gzipped ({@code .gz}) or not.
 */
public record FashionMnistSource(DatasetInfo info, Path dir) implements DatasetSource {

    private static final String TRAIN = "train";
    private static final String TEST = "t10k";

    @Override
    public String location() {
        return dir.toString();
    }

    @Override
    public Optional<String> missing() {
        if (!Files.isDirectory(dir)) {
            return Optional.of("directory " + dir + " does not exist (install Debian package dataset-fashion-mnist"
                    + " or set xscore.dataset.fashion-mnist-dir)");
        }
        List<String> absent = new ArrayList<>();
        for (String prefix : List.of(TRAIN, TEST)) {
            for (String kind : List.of("images-idx3-ubyte", "labels-idx1-ubyte")) {
                if (find(prefix + "-" + kind).isEmpty()) {
                    absent.add(prefix + "-" + kind + "[.gz]");
                }
            }
        }
        return absent.isEmpty() ? Optional.empty()
                : Optional.of("directory " + dir + " lacks " + String.join(", ", absent));
    }

    @Override
    public SplitReader open(Split split) throws IOException {
        String prefix = split == Split.TRAIN ? TRAIN : TEST;
        Path images = require(prefix + "-images-idx3-ubyte");
        Path labels = require(prefix + "-labels-idx1-ubyte");
        return new InMemorySplitReader(IdxReader.read(images, labels, info.classes()));
    }

    private Path require(String base) {
        return find(base).orElseThrow(() -> DatasetException.missingData(info.id(),
                "neither " + dir.resolve(base + ".gz") + " nor " + dir.resolve(base) + " exists"));
    }

    private Optional<Path> find(String base) {
        for (Path candidate : List.of(dir.resolve(base + ".gz"), dir.resolve(base))) {
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
