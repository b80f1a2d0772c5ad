package io.xscore.dataset.bench;

import io.xscore.common.catalog.DatasetInfo;
import io.xscore.common.shard.ImageShard;
import io.xscore.dataset.catalog.ImageFileSource;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.format.ImageDecoder;
import io.xscore.dataset.format.ImageFolderLayout;
import io.xscore.dataset.preprocess.Preprocessor;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.imageio.ImageIO;

/**
 * Not a test: measures decode+resize and full preprocessing (decode, resize, shard write with SHA-256 and fsync)
 * images/s on generated JPEGs, and how fast shards are read back. Run (see BENCHMARKS.md):
 * {@code ./mvnw -q -o -pl dataset-service test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * && java -cp dataset-service/target/classes:dataset-service/target/test-classes:$(cat dataset-service/target/cp.txt)
 * io.xscore.dataset.bench.PreprocessBenchmark}.
 * Arguments: [images per class (default 150)] [threads (default cores)].
 */
public final class PreprocessBenchmark {

    public static void main(String[] args) throws Exception {
        int perClass = args.length > 0 ? Integer.parseInt(args[0]) : 150;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        ImageIO.scanForPlugins();
        Path root = Files.createTempDirectory("xscore-bench");
        // 500x375 JPEGs (ImageNet/HAM-like size), 4 classes, gradients + noise so they do not compress to nothing.
        Random random = new Random(1);
        for (String split : List.of("train", "test")) {
            for (int c = 0; c < 4; c++) {
                Path dir = Files.createDirectories(root.resolve(split + "/class" + c));
                for (int i = 0; i < (split.equals("train") ? perClass : 4); i++) {
                    BufferedImage image = new BufferedImage(500, 375, BufferedImage.TYPE_3BYTE_BGR);
                    Graphics2D g = image.createGraphics();
                    g.setPaint(new GradientPaint(0, 0, new Color(random.nextInt()), 500, 375, new Color(random.nextInt())));
                    g.fillRect(0, 0, 500, 375);
                    for (int k = 0; k < 200; k++) {
                        g.setColor(new Color(random.nextInt()));
                        g.fillOval(random.nextInt(500), random.nextInt(375), 5 + random.nextInt(40), 5 + random.nextInt(40));
                    }
                    g.dispose();
                    ImageIO.write(image, "jpeg", dir.resolve(i + ".jpg").toFile());
                }
            }
        }
        List<Path> files;
        try (var walk = Files.walk(root.resolve("train"))) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        System.out.printf("machine: %d cores, %s %s; %d JPEGs of 500x375, %d decode threads%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), files.size(), threads);
        for (int size : new int[] {32, 224}) {
            ImageDecoder.Geometry geometry = ImageDecoder.Geometry.crop(size, size);
            for (int warm = 0; warm < 2; warm++) {
                long start = System.nanoTime();
                for (Path file : files) {
                    ImageDecoder.decode(file, geometry);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (warm == 1) {
                    System.out.printf("decode+resize %3d px, 1 thread: %.0f images/s%n", size, files.size() / seconds);
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                DatasetInfo info = new DatasetInfo("bench", "bench", "custom", false, 4, 0, 0, size,
                        List.of(0.5, 0.5, 0.5), List.of(0.5, 0.5, 0.5));
                ImageFileSource source = new ImageFileSource(info, root, ImageFolderLayout.generic(), geometry,
                        geometry, pool, true, "");
                Path cache = Files.createTempDirectory("xscore-bench-cache");
                Preprocessor.Result result = new Preprocessor(10_000).prepare(source, Split.TRAIN, cache);
                System.out.printf("preprocess %3d px, %d threads: %.0f images/s (%.0f per core)%n", size, threads,
                        result.imagesPerSecond(), result.imagesPerSecond() / Math.min(threads,
                                Runtime.getRuntime().availableProcessors()));
                byte[] shard = Files.readAllBytes(cache.resolve("shard-00000.xsh"));
                long start = System.nanoTime();
                int rounds = 0;
                int images = 0;
                while (System.nanoTime() - start < 2_000_000_000L) {
                    images += ImageShard.read(new ByteArrayInputStream(shard)).count();
                    rounds++;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("shard read  %3d px (from memory, %d rounds): %.0f images/s%n", size, rounds,
                        images / seconds);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
