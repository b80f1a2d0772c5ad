package io.xscore.dataset.preview;

import io.xscore.augment.Corruption;
import io.xscore.augment.LowResolution;
import io.xscore.augment.RgbImage;
import io.xscore.augment.SuiteImages;
import io.xscore.common.shard.ImageShard;
import io.xscore.dataset.cache.SplitCache;
import io.xscore.dataset.catalog.DatasetException;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.preprocess.Manifest;
import io.xscore.dataset.preprocess.ShardEntry;
import io.xscore.dataset.preview.PreviewRequest.Perturbation;
import io.xscore.support.problem.ProblemException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * One stored image of a split as a robustness suite evaluates it (the test transform at the model's size, its
 * low-resolution version or a corruption of it), made by {@code augment}'s {@link SuiteImages} as the trainer makes it,
 * and encoded as PNG for a person to look at. Reads only that image's bytes from its shard.
 */
public final class Previews {

    /** Bytes before the labels in an ImageShard v1 file: magic, then count, height, width, channels, classes. */
    static final int SHARD_HEADER_BYTES = 4 + 5 * 4;

    /** The stored pixels of one image, HWC. */
    public record NativeImage(int height, int width, int channels, byte[] pixels) {
    }

    private final SplitCache cache;

    public Previews(SplitCache cache) {
        this.cache = cache;
    }

    /**
     * The preview as PNG bytes.
     *
     * @throws DatasetException 404 for an index outside the split, or as {@link SplitCache#manifest} (unknown
     *                          dataset or split, missing data)
     * @throws ProblemException 400 for parameters that do not fit the split or an adversarial preview
     */
    public byte[] png(String dataset, Split split, PreviewRequest request) {
        if (request.perturbation() == Perturbation.ADVERSARIAL) {
            throw new ProblemException(400, "adversarial-preview-unavailable", "Adversarial previews are not here",
                    "an adversarial example needs a job's stored weights: ask the gateway for"
                    + " /api/v1/evaluations/{id}/jobs/{jobId}/adversarial-example; clean, low-resolution and"
                    + " corruption previews are here", "perturbation");
        }
        Manifest manifest = cache.manifest(dataset, split);
        PreviewRequest r = request.withDefaultSize(Math.min(manifest.height(), manifest.width()));
        NativeImage source = image(dataset, split, manifest, r.index());
        return encode(render(source, r), r.scale());
    }

    /** The 8-bit image the suite evaluates for {@code request} (whose size is set). */
    public static RgbImage render(NativeImage source, PreviewRequest request) {
        int size = request.size();
        return switch (request.perturbation()) {
            case CLEAN -> testImage(source, size);
            case LOW_RESOLUTION -> SuiteImages.lowResolution(new LowResolution(request.shorterSide(), size),
                    source.pixels(), 0, source.height(), source.width(), source.channels());
            case CORRUPTION -> {
                Corruption corruption = SuiteImages.corruption(request.corruption(), request.severity(), size);
                long seed = SuiteImages.corruptionSeed(request.seed(), request.corruption(), request.severity());
                yield SuiteImages.corrupted(corruption, seed, testImage(source, size), request.index());
            }
            case ADVERSARIAL -> throw new IllegalArgumentException("no adversarial rendering");
        };
    }

    private static RgbImage testImage(NativeImage source, int size) {
        return SuiteImages.testImage(source.pixels(), 0, source.height(), source.width(), source.channels(), size);
    }

    /** Image {@code index} of the full split (the shards in manifest order), read from its shard. */
    public NativeImage image(String dataset, Split split, Manifest manifest, int index) {
        if (index < 0 || index >= manifest.count()) {
            throw new DatasetException(404, "unknown-image", "Unknown image", "split " + dataset + "/" + split.id()
                    + " has " + manifest.count() + " images (indices 0 to " + (manifest.count() - 1) + "); got "
                    + index, null);
        }
        int first = 0;
        for (ShardEntry entry : manifest.shards()) {
            if (index < first + entry.count()) {
                Path file = cache.shard(dataset, split, entry.name()).path();
                try {
                    return read(file, entry, manifest, index - first);
                } catch (IOException e) {
                    throw DatasetException.corruptData(dataset, e);
                }
            }
            first += entry.count();
        }
        throw DatasetException.corruptData(dataset, new IOException("the manifest's shards hold " + first
                + " images, not " + manifest.count()));
    }

    /** Image {@code i} of a shard file whose header must agree with the manifest. */
    static NativeImage read(Path file, ShardEntry entry, Manifest manifest, int i) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = readFully(channel, 0, SHARD_HEADER_BYTES);
            byte[] magic = new byte[4];
            header.get(magic);
            int count = header.getInt();
            int height = header.getInt();
            int width = header.getInt();
            int channels = header.getInt();
            if (!Arrays.equals(magic, ImageShard.MAGIC) || count != entry.count() || height != manifest.height()
                    || width != manifest.width() || channels != manifest.channels()) {
                throw new IOException("shard " + entry.name() + " does not match its manifest entry");
            }
            int imageBytes = height * width * channels;
            long offset = SHARD_HEADER_BYTES + 2L * count + (long) i * imageBytes;
            byte[] pixels = new byte[imageBytes];
            readFully(channel, offset, imageBytes).get(pixels);
            return new NativeImage(height, width, channels, pixels);
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("shard ends before byte " + (position + bytes));
            }
        }
        return buffer.flip();
    }

    /** PNG of an 8-bit RGB image, each pixel repeated {@code scale}×{@code scale} (nearest neighbour). */
    public static byte[] encode(RgbImage image, int scale) {
        int h = image.height();
        int w = image.width();
        int plane = image.plane();
        byte[] d = image.data();
        BufferedImage out = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                int i = (y / scale) * w + x / scale;
                out.setRGB(x, y, (d[i] & 0xFF) << 16 | (d[plane + i] & 0xFF) << 8 | (d[2 * plane + i] & 0xFF));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(out, "png", bytes)) {
                throw new IllegalStateException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
