package io.xscore.trainer.training;

import io.xscore.augment.Augmentation;
import io.xscore.augment.EpochAugmentation;
import io.xscore.augment.RandomErasing;
import io.xscore.augment.Resampler;
import io.xscore.augment.RgbImage;
import io.xscore.common.protocol.Seeds;
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
 * fused into the resampling. RandomErasing boxes are drawn here too (applied on the device by the loop). When the
 * request carries a pre-computed augmented epoch (the dataset service's augmentation cache), its 8-bit images are
 * only normalised: the same floats, since both paths run {@link EpochAugmentation#augment} with the same seeds.
 *
 * <p>Every image draws from its own generator, seeded from (epoch seed, the image's index in the split), and every
 * RandomErasing box from one seeded by its position in the epoch, so a batch is the same whatever the number of
 * threads and whichever thread builds it. With {@code threads} ≥ 1 the images of a batch are spread over a pool of
 * that size and the loop prefetches the next batch while the current step trains; with 0 everything runs on the
 * caller's thread.
 */
public final class BatchAssembler implements AutoCloseable {

    private final ForkJoinPool pool;

    public BatchAssembler(int threads) {
        this.pool = threads >= 1 ? new ForkJoinPool(threads) : null;
    }

    /** A built batch: pixels (N·3·S·S), labels, erasing boxes (null without RandomErasing). */
    public record Batch(int n, float[] pixels, int[] labels, RandomErasing.Box[] boxes) {
    }

    /**
     * What to build: images {@code idx} of {@code set}, at positions {@code firstPosition…} of the epoch;
     * {@code seed} is the epoch's {@link EpochAugmentation#epochSeed}; {@code augmented}, when not null, is the epoch
     * pre-computed (the full split at {@code size}×{@code size}, RGB, indexed by {@link ImageSet#sourceIndex}).
     */
    public record Request(ImageSet set, int[] idx, int firstPosition, Augmentation augmentation, long seed, int size,
                          Normalisation norm, ImageSet augmented) {

        public Request(ImageSet set, int[] idx, int firstPosition, Augmentation augmentation, long seed, int size,
                       Normalisation norm) {
            this(set, idx, firstPosition, augmentation, seed, size, norm, null);
        }
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
        long erasingSeed = EpochAugmentation.erasingSeed(r.seed());
        IntStream range = IntStream.range(0, n);
        (parallel ? range.parallel() : range).forEach(i -> {
            int image = r.idx()[i];
            labels[i] = r.set().label(image);
            int source = r.set().sourceIndex(image);
            if (r.augmented() != null) {
                ImageSet cached = r.augmented();
                RgbImage.normaliseHwc(cached.pixels(source), cached.pixelOffset(source), size, size,
                        r.norm().mean(), r.norm().std(), out, i * imageFloats);
            } else {
                one(r, image, EpochAugmentation.imageRandom(r.seed(), source), out, i * imageFloats);
            }
            if (boxes != null) {
                boxes[i] = erasing.sample(size, size, new Random(Seeds.derive(erasingSeed, r.firstPosition() + i)));
            }
        });
        return new Batch(n, out, labels, boxes);
    }

    private static void one(Request r, int image, Random rng, float[] out, int offset) {
        ImageSet set = r.set();
        Augmentation augmentation = r.augmentation();
        Normalisation norm = r.norm();
        int size = r.size();
        if (!augmentation.hasImageOps()) {
            Augmentation.Choice choice = augmentation.sample(set.height(), set.width(), rng);
            Resampler.resample(set.pixels(image), set.pixelOffset(image), set.height(), set.width(), set.channels(),
                    choice.crop(), size, choice.flip(), norm.mean(), norm.std(), out, offset);
            return;
        }
        EpochAugmentation.augment(set.pixels(image), set.pixelOffset(image), set.height(), set.width(),
                set.channels(), augmentation, size, rng).normalise(norm.mean(), norm.std(), out, offset);
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
