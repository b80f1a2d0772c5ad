package io.xscore.dataset.catalog;

import io.xscore.common.catalog.DatasetInfo;
import io.xscore.common.shard.ImageShard;
import io.xscore.dataset.format.FormatException;
import io.xscore.dataset.format.ImageDecoder;
import io.xscore.dataset.format.ImageEntry;
import io.xscore.dataset.format.ImageIndex;
import io.xscore.dataset.format.ImageLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * A dataset of image files in some {@link ImageLayout}: the layout lists files and labels, {@link ImageDecoder}
 * decodes and resizes them to the split's {@link ImageDecoder.Geometry}, in parallel on a bounded executor (chunks of
 * {@value #CHUNK} images; one shard in memory at a time). A file that cannot be decoded fails the split with an
 * error naming it; nothing is skipped silently.
 */
public final class ImageFileSource implements DatasetSource {

    static final int CHUNK = 16;

    private final DatasetInfo info;
    private final Path root;
    private final ImageLayout layout;
    private final ImageDecoder.Geometry train;
    private final ImageDecoder.Geometry test;
    private final ExecutorService pool;
    private final boolean checkClassCount;
    private final String hint;
    private volatile ImageIndex index;

    public ImageFileSource(DatasetInfo info, Path root, ImageLayout layout, ImageDecoder.Geometry train,
            ImageDecoder.Geometry test, ExecutorService pool, boolean checkClassCount, String hint) {
        this.info = info;
        this.root = root;
        this.layout = layout;
        this.train = train;
        this.test = test;
        this.pool = pool;
        this.checkClassCount = checkClassCount;
        this.hint = hint;
    }

    @Override
    public DatasetInfo info() {
        return info;
    }

    @Override
    public int cacheResolution() {
        return train.size();
    }

    @Override
    public String pipeline(Split split) {
        return layout.variant() + ";" + geometry(split).describe();
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public Optional<String> missing() {
        return layout.missing(root).map(reason -> reason + hint);
    }

    /** The layout's listing, read once per source. */
    public ImageIndex index() throws IOException {
        ImageIndex known = index;
        if (known == null) {
            synchronized (this) {
                if (index == null) {
                    ImageIndex found = layout.index(root);
                    if (checkClassCount && found.classes().size() != info.classes()) {
                        throw new FormatException(root, "has " + found.classes().size() + " classes, "
                                + info.id() + " has " + info.classes());
                    }
                    index = found;
                }
                known = index;
            }
        }
        return known;
    }

    @Override
    public SplitReader open(Split split) throws IOException {
        if (missing().isPresent()) {
            throw DatasetException.missingData(info.id(), missing().get());
        }
        ImageIndex idx = index();
        return new Reader(split == Split.TRAIN ? idx.train() : idx.test(), geometry(split), idx.classes());
    }

    private ImageDecoder.Geometry geometry(Split split) {
        return split == Split.TRAIN ? train : test;
    }

    private final class Reader implements SplitReader {
        private final List<ImageEntry> entries;
        private final ImageDecoder.Geometry geometry;
        private final List<String> classes;

        Reader(List<ImageEntry> entries, ImageDecoder.Geometry geometry, List<String> classes) {
            this.entries = entries;
            this.geometry = geometry;
            this.classes = classes;
        }

        @Override
        public int count() {
            return entries.size();
        }

        @Override
        public int height() {
            return geometry.size();
        }

        @Override
        public int width() {
            return geometry.size();
        }

        @Override
        public int channels() {
            return 3;
        }

        @Override
        public int classes() {
            return classes.size();
        }

        @Override
        public List<String> classNames() {
            return classes;
        }

        @Override
        public ImageShard slice(int from, int to) throws IOException {
            return slice(from, to, n -> { });
        }

        @Override
        public ImageShard slice(int from, int to, IntConsumer progress) throws IOException {
            int bytes = geometry.size() * geometry.size() * 3;
            short[] labels = new short[to - from];
            byte[] pixels = new byte[(to - from) * bytes];
            List<Future<?>> chunks = new ArrayList<>();
            for (int start = from; start < to; start += CHUNK) {
                int first = start;
                int last = Math.min(to, start + CHUNK);
                chunks.add(pool.submit(() -> {
                    for (int i = first; i < last; i++) {
                        if (Thread.currentThread().isInterrupted()) {
                            return null;
                        }
                        ImageEntry entry = entries.get(i);
                        byte[] rgb = ImageDecoder.decode(entry.file(), geometry);
                        System.arraycopy(rgb, 0, pixels, (i - from) * bytes, bytes);
                        labels[i - from] = (short) entry.label();
                        progress.accept(1);
                    }
                    return null;
                }));
            }
            try {
                for (Future<?> chunk : chunks) {
                    chunk.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while decoding images", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException("decoding failed: " + e.getCause(), e.getCause());
            } catch (CancellationException e) {
                throw new IOException("decoding cancelled", e);
            } finally {
                chunks.forEach(c -> c.cancel(true));
            }
            return new ImageShard(geometry.size(), geometry.size(), 3, classes.size(), labels, pixels);
        }
    }
}
