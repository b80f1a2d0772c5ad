package io.xscore.trainer.bench;

import io.xscore.augment.Augmentation;
import io.xscore.augment.EpochAugmentation;
import io.xscore.augment.PaperPipeline;
import io.xscore.common.shard.ImageShard;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;
import io.xscore.trainer.training.BatchAssembler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * What the augmentation cache saves a trainer: CPU time to build a training batch on the fly (crop + resize,
 * RandAugment, ColorJitter, normalisation) versus from a pre-computed epoch (normalisation only), per thread, at 32 px
 * (CIFAR-like source) and 224 px (Stanford-Dogs-like 256 px source), with the paper's cifar-style pipeline. Not a
 * test: {@code ./xscore bench augmentation [images]}.
 */
public final class AugmentationPathBenchmark {

    private AugmentationPathBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        System.out.printf("load average: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println("| size | source | on the fly, 1 thread | from a pre-computed epoch, 1 thread | ratio |");
        System.out.println("|---|---|---|---|---|");
        run(32, 32, images);
        run(224, 256, Math.max(64, images / 8));
    }

    private static void run(int size, int sourceSize, int images) {
        Random rng = new Random(1);
        byte[] pixels = new byte[images * sourceSize * sourceSize * 3];
        // smooth content (RandAugment's ops cost the same on noise, but stay realistic for posterize/equalize)
        for (int i = 0; i < images; i++) {
            int base = i * sourceSize * sourceSize * 3;
            int r = rng.nextInt(256);
            int g = rng.nextInt(256);
            for (int p = 0; p < sourceSize * sourceSize; p++) {
                int y = p / sourceSize;
                int x = p % sourceSize;
                pixels[base + 3 * p] = (byte) (r + x);
                pixels[base + 3 * p + 1] = (byte) (g + y);
                pixels[base + 3 * p + 2] = (byte) ((x * y) >> 4);
            }
        }
        short[] labels = new short[images];
        ImageSet set = ImageSet.of(List.of(new ImageShard(sourceSize, sourceSize, 3, 10, labels, pixels)));
        Augmentation cifar = PaperPipeline.forDataset("cifar10");
        long epochSeed = EpochAugmentation.epochSeed(0, 0);
        byte[] cachedPixels = new byte[images * size * size * 3];
        for (int i = 0; i < images; i++) {
            EpochAugmentation.augment(set.pixels(i), set.pixelOffset(i), sourceSize, sourceSize, 3, cifar, size,
                    EpochAugmentation.imageRandom(epochSeed, i)).toHwc(cachedPixels, i * size * size * 3);
        }
        ImageSet cached = ImageSet.of(List.of(new ImageShard(size, size, 3, 10, labels, cachedPixels)));
        Normalisation norm = Normalisation.of(List.of(0.5, 0.5, 0.5), List.of(0.25, 0.25, 0.25));
        double online = imagesPerSecond(set, null, cifar, epochSeed, size, norm);
        double fromCache = imagesPerSecond(set, cached, cifar, epochSeed, size, norm);
        System.out.printf("| %d px | %d px | %,.0f images/s | %,.0f images/s | %.0f× |%n", size, sourceSize, online,
                fromCache, fromCache / online);
    }

    /** Best of 3 passes over the set in batches of 32 on the calling thread. */
    private static double imagesPerSecond(ImageSet set, ImageSet cached, Augmentation augmentation, long seed,
                                          int size, Normalisation norm) {
        double best = 0;
        try (BatchAssembler assembler = new BatchAssembler(0)) {
            for (int pass = 0; pass < 3; pass++) {
                long start = System.nanoTime();
                for (int from = 0; from < set.size(); from += 32) {
                    int n = Math.min(32, set.size() - from);
                    int[] idx = new int[n];
                    for (int i = 0; i < n; i++) {
                        idx[i] = from + i;
                    }
                    assembler.build(new BatchAssembler.Request(set, idx, from, augmentation, seed, size, norm, cached));
                }
                best = Math.max(best, set.size() / ((System.nanoTime() - start) / 1e9));
            }
        }
        return best;
    }
}
