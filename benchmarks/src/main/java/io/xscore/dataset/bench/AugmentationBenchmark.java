package io.xscore.dataset.bench;

import io.xscore.augment.Augmentation;
import io.xscore.augment.EpochAugmentation;
import io.xscore.common.shard.ImageShard;
import io.xscore.dataset.augmentation.AugmentationRequest;
import io.xscore.dataset.augmentation.AugmentationStatus;
import io.xscore.dataset.augmentation.AugmentationStore;
import io.xscore.dataset.cache.SplitCache;
import io.xscore.dataset.catalog.DatasetSources;
import io.xscore.dataset.preprocess.Manifest;
import io.xscore.dataset.preprocess.Preprocessor;
import io.xscore.dataset.preprocess.ShardEntry;
import io.xscore.dataset.synthetic.ShapesGenerator;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test: measures the augmentation cache (see BENCHMARKS.md, "Augmentation cache").
 * <ol>
 *   <li>{@code EpochAugmentation.augment} + {@code toHwc} (what the store does per image) with the paper cifar-style
 *       pipeline (RandomResizedCrop + flip + RandAugment(2, 10) + ColorJitter) at 32 px from 32 px synthetic-shapes
 *       images and at 224 px from 256 px ones, on 1 and on 2 threads;</li>
 *   <li>the store end to end (source shards read and SHA-256-checked, augmented on 2 threads, shards written with
 *       SHA-256 and fsync, atomic rename) on synthetic-shapes' 5,000 training images at 32 and 224 px;</li>
 *   <li>the augmented-shard read rate: {@code ImageShard.read} of every shard of those epochs from disk, once right
 *       after the page cache was dropped when {@code /proc/sys/vm/drop_caches} is writable (cold), then warm.</li>
 * </ol>
 * Run: {@code ./mvnw -q -o -pl dataset-service test-compile dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test && java -cp
 * dataset-service/target/classes:dataset-service/target/test-classes:$(cat dataset-service/target/cp.txt)
 * io.xscore.dataset.bench.AugmentationBenchmark [seconds per kernel measurement, default 5] [kernel]}
 * ({@code kernel}: only part 1).
 */
public final class AugmentationBenchmark {

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        boolean kernelOnly = args.length > 1 && args[1].equals("kernel");
        Augmentation paper = Augmentation.forJob("paper", "synthetic-shapes");
        System.out.printf("machine: %d cores, %s %s; load average %s%npipeline: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), loadavg(), paper.description());

        for (int[] geometry : new int[][] {{32, 32, 2_000}, {256, 224, 256}}) {
            int source = geometry[0];
            int size = geometry[1];
            ImageShard images = shapes(source, geometry[2]);
            for (int threads : new int[] {1, 2}) {
                kernel(images, paper, size, threads, Math.min(2, seconds)); // warm-up (JIT)
                double rate = kernel(images, paper, size, threads, seconds);
                System.out.printf("augment %3d px from %3d px, %d thread%s: %8.0f images/s (%6.0f per core)  load %s%n",
                        size, source, threads, threads == 1 ? " " : "s", rate, rate / threads, loadavg());
            }
        }

        if (kernelOnly) {
            return;
        }
        Path root = Files.createTempDirectory("xscore-augment-bench");
        DatasetSources sources = new DatasetSources(root.resolve("none"));
        SplitCache cache = new SplitCache(sources, root.resolve("cache"), new Preprocessor(10_000),
                new SplitCache.Listener() { });
        List<Path> epochs = new ArrayList<>();
        try (AugmentationStore store = new AugmentationStore(new AugmentationStore.Settings(root.resolve("augmented"),
                0, 2, 10_000, Preprocessor.DEFAULT_SHARD_BYTES, Preprocessor.SpaceGuard.NONE), cache, sources,
                new AugmentationStore.Listener() { })) {
            cache.manifest("synthetic-shapes", io.xscore.dataset.catalog.Split.TRAIN);
            for (int size : new int[] {32, 224}) {
                long start = System.nanoTime();
                AugmentationStatus status = store.request("synthetic-shapes",
                        new AugmentationRequest("train", "paper", size, 0L, List.of(0)));
                while (true) {
                    AugmentationStatus now = store.status("synthetic-shapes", status.key());
                    AugmentationStatus.State state = now.epochs().get(0).state();
                    if (state == AugmentationStatus.State.READY) {
                        break;
                    }
                    if (state == AugmentationStatus.State.FAILED) {
                        throw new IllegalStateException(now.epochs().get(0).error());
                    }
                    Thread.sleep(20);
                }
                double took = (System.nanoTime() - start) / 1e9;
                Manifest manifest = store.manifest("synthetic-shapes", status.key(), 0);
                System.out.printf("store end to end %3d px (from 32 px), 2 threads: %.0f images/s (%.0f per core), "
                        + "%d shards, %.1f MB  load %s%n", size, manifest.count() / took, manifest.count() / took / 2,
                        manifest.shards().size(), manifest.shards().stream().mapToLong(ShardEntry::bytes).sum() / 1e6,
                        loadavg());
                epochs.add(store.dir().resolve("synthetic-shapes").resolve(status.key()).resolve("epoch-00000"));
            }
        }

        boolean dropped = dropPageCache();
        for (int pass = 0; pass < 2; pass++) {
            for (Path epoch : epochs) {
                Manifest manifest = Preprocessor.readManifest(epoch).orElseThrow();
                long start = System.nanoTime();
                long images = 0;
                long bytes = 0;
                for (ShardEntry entry : manifest.shards()) {
                    try (InputStream in = Files.newInputStream(epoch.resolve(entry.name()))) {
                        images += ImageShard.read(in).count();
                    }
                    bytes += entry.bytes();
                }
                double took = (System.nanoTime() - start) / 1e9;
                System.out.printf("read augmented epoch %3d px from disk (%s), 1 thread: %.0f images/s (%.0f MB/s)%n",
                        manifest.height(), pass == 0 && dropped ? "cold, page cache dropped" : "warm page cache",
                        images / took, bytes / took / 1e6);
            }
        }
        System.out.printf("load average at the end: %s%n", loadavg());
        try (var files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Images of synthetic-shapes drawn at {@code size} px. */
    static ImageShard shapes(int size, int count) {
        ShapesGenerator generator = new ShapesGenerator();
        int imageBytes = size * size * 3;
        byte[] pixels = new byte[count * imageBytes];
        short[] labels = new short[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (short) (i % 10);
            generator.render(labels[i], new SplittableRandom(i), size, pixels, i * imageBytes);
        }
        return new ImageShard(size, size, 3, 10, labels, pixels);
    }

    /** Images per second of augment + toHwc over {@code threads} threads for about {@code seconds}. */
    static double kernel(ImageShard images, Augmentation augmentation, int size, int threads, double seconds)
            throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long epochSeed = EpochAugmentation.epochSeed(0, 0);
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread worker = new Thread(() -> {
                byte[] out = new byte[3 * size * size];
                long n = 0;
                for (int k = first; System.nanoTime() < deadline; k += threads) {
                    int i = k % images.count();
                    EpochAugmentation.augment(images.pixels(), i * images.imageBytes(), images.height(),
                            images.width(), images.channels(), augmentation, size,
                            EpochAugmentation.imageRandom(epochSeed, k)).toHwc(out, 0);
                    n++;
                }
                done.addAndGet(n);
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return "n/a";
        }
    }

    static boolean dropPageCache() {
        try {
            new ProcessBuilder("sync").inheritIO().start().waitFor();
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "1");
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
