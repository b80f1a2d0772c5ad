package io.xscore.trainer.training;

import io.xscore.trainer.augment.Augmentation;
import io.xscore.trainer.augment.RandomErasing;
import io.xscore.trainer.augment.Resampler;
import io.xscore.trainer.augment.RgbImage;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Builds float NCHW batches from 8-bit images on CPU threads: crop/flip from the augmentation and the bilinear
 * resize in one pass; for pipelines with image ops (RandAugment, ColorJitter) the resized image is rounded to 8 bits
 * (as torchvision's uint8 resize does), the ops run on it, and it is normalised afterwards; otherwise normalisation is
 * fused into the resampling. RandomErasing boxes are drawn here too (applied on the device by the loop).
 *
 * <p>Every image draws from its own generator, seeded from (epoch seed, position in the epoch), so a batch is the same
 * whatever the number of threads and whichever thread builds it. With {@code threads} ≥ 1 the images of a batch are
 * spread over a pool of that size and the loop prefetches the next batch while the current step trains; with 0
 * everything runs on the caller's thread.
 */
public final class BatchAssembler implements AutoCloseable {

    private static final float[] RAW_MEAN = {0f, 0f, 0f};
    private static final float[] RAW_STD = {1f / 255, 1f / 255, 1f / 255};

    private final ForkJoinPool pool;

    public BatchAssembler(int threads) {
        this.pool = threads >= 1 ? new ForkJoinPool(threads) : null;
    }

    /** A built batch: pixels (N·3·S·S), labels, erasing boxes (null without RandomErasing). */
    public record Batch(int n, float[] pixels, int[] labels, RandomErasing.Box[] boxes) {
    }

    /** What to build: images {@code idx} of {@code set}, at positions {@code firstPosition…} of the epoch. */
    public record Request(ImageSet set, int[] idx, int firstPosition, Augmentation augmentation, long seed, int size,
                          Normalisation norm) {
    }

    public CompletableFuture<Batch> submit(Request r) {
        if (pool == null) {
            return CompletableFuture.completedFuture(build(r, false));
        }
        return CompletableFuture.supplyAsync(() -> build(r, true), pool);
    }

    /** Waits for a submitted batch, rethrowing its failure unwrapped. */
    public static Batch await(CompletableFuture<Batch> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Builds a batch on the calling thread. */
    public Batch build(Request r) {
        return build(r, false);
    }

    private static Batch build(Request r, boolean parallel) {
        int n = r.idx().length;
        int size = r.size();
        int imageFloats = 3 * size * size;
        float[] out = new float[n * imageFloats];
        int[] labels = new int[n];
        RandomErasing erasing = r.augmentation().erasing();
        RandomErasing.Box[] boxes = erasing == null ? null : new RandomErasing.Box[n];
        IntStream range = IntStream.range(0, n);
        (parallel ? range.parallel() : range).forEach(i -> {
            Random rng = new Random(Seeds.derive(r.seed(), r.firstPosition() + i));
            int image = r.idx()[i];
            labels[i] = r.set().label(image);
            one(r, image, rng, out, i * imageFloats);
            if (boxes != null) {
                boxes[i] = erasing.sample(size, size, rng);
            }
        });
        return new Batch(n, out, labels, boxes);
    }

    private static void one(Request r, int image, Random rng, float[] out, int offset) {
        ImageSet set = r.set();
        Augmentation augmentation = r.augmentation();
        Normalisation norm = r.norm();
        int size = r.size();
        Augmentation.Choice choice = augmentation.sample(set.height(), set.width(), rng);
        if (!augmentation.hasImageOps()) {
            Resampler.resample(set.pixels(image), set.pixelOffset(image), set.height(), set.width(), set.channels(),
                    choice.crop(), size, choice.flip(), norm.mean(), norm.std(), out, offset);
            return;
        }
        float[] raw = new float[3 * size * size];
        Resampler.resample(set.pixels(image), set.pixelOffset(image), set.height(), set.width(), set.channels(),
                choice.crop(), size, choice.flip(), RAW_MEAN, RAW_STD, raw, 0);
        RgbImage img = RgbImage.blank(size, size);
        byte[] d = img.data();
        for (int k = 0; k < raw.length; k++) {
            d[k] = (byte) (int) Math.rint(Math.max(0f, Math.min(255f, raw[k])));
        }
        augmentation.applyImageOps(img, rng);
        img.normalise(norm.mean(), norm.std(), out, offset);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
