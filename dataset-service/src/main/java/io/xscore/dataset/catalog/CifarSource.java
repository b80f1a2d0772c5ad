package io.xscore.dataset.catalog;

import io.xscore.common.catalog.DatasetInfo;
import io.xscore.dataset.format.CifarReader;
import io.xscore.dataset.format.ImageFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * CIFAR-10 ({@code data_batch_1.bin .. data_batch_5.bin}, {@code test_batch.bin}, {@code batches.meta.txt}) or
 * CIFAR-100 ({@code train.bin}, {@code test.bin}, fine labels, {@code fine_label_names.txt}) binary batches in
 * {@code root} or one of its subdirectories ({@code cifar-10-batches-bin/}, {@code cifar-100-binary/}). Cached at the
 * native 32x32; the trainer upscales.
 */
public final class CifarSource implements DatasetSource {

    /** The two variants' file names and record layout. */
    public enum Variant {
        CIFAR10(List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin"), List.of("test_batch.bin"), "batches.meta.txt", 1, 0),
        CIFAR100(List.of("train.bin"), List.of("test.bin"), "fine_label_names.txt", 2, 1);

        final List<String> train;
        final List<String> test;
        final String names;
        final int labelBytes;
        final int labelIndex;

        Variant(List<String> train, List<String> test, String names, int labelBytes, int labelIndex) {
            this.train = train;
            this.test = test;
            this.names = names;
            this.labelBytes = labelBytes;
            this.labelIndex = labelIndex;
        }
    }

    private final DatasetInfo info;
    private final Path root;
    private final Variant variant;
    private final String hint;

    public CifarSource(DatasetInfo info, Path root, Variant variant, String hint) {
        this.info = info;
        this.root = root;
        this.variant = variant;
        this.hint = hint;
    }

    @Override
    public DatasetInfo info() {
        return info;
    }

    @Override
    public int cacheResolution() {
        return CifarReader.SIDE;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public Optional<String> missing() {
        return base().isPresent() ? Optional.empty()
                : Optional.of("no " + String.join(", ", variant.train) + " and " + String.join(", ", variant.test)
                        + " in " + root + " or its subdirectories" + hint);
    }

    @Override
    public SplitReader open(Split split) throws IOException {
        Path dir = base().orElseThrow(() -> DatasetException.missingData(info.id(), missing().orElse("")));
        List<Path> files = (split == Split.TRAIN ? variant.train : variant.test).stream().map(dir::resolve).toList();
        InMemorySplitReader images = new InMemorySplitReader(
                CifarReader.read(files, variant.labelBytes, variant.labelIndex, info.classes()));
        Path names = dir.resolve(variant.names);
        List<String> classNames = Files.isRegularFile(names) ? CifarReader.classNames(names, info.classes()) : List.of();
        return new InMemorySplitReader(images.images(), classNames);
    }

    private Optional<Path> base() {
        return ImageFolders.locate(root, dir -> {
            for (String name : variant.train) {
                if (!Files.isRegularFile(dir.resolve(name))) {
                    return false;
                }
            }
            return variant.test.stream().allMatch(name -> Files.isRegularFile(dir.resolve(name)));
        });
    }
}
