package io.xscore.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import io.xscore.common.shard.ImageShard;
import io.xscore.trainer.data.DatasetClient;
import io.xscore.trainer.data.DatasetClients;
import io.xscore.trainer.data.Normalisation;
import io.xscore.trainer.messaging.DatasetFixtureServer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real small model on real data: the first 4,000 training and 1,000 test images of Fashion-MNIST (Debian's
 * dataset-fashion-mnist, /usr/share/datasets/fashion-mnist), served over HTTP by the dataset-service stand-in and
 * fetched with {@link DatasetClient}, ConvMixer-64/4 at the native 28 px, the quick protocol (light augmentation,
 * CutMix, label smoothing, Adam, warm-up + cosine) for 3 epochs. Chance is 10 %; the run must reach 70 %.
 */
class FashionMnistTrainingTest {

    static final Path DIR = Path.of(System.getProperty("xscore.fashion-mnist.dir", "/usr/share/datasets/fashion-mnist"));

    @Test
    void convMixerLearnsFashionMnist(@TempDir Path cache) throws IOException {
        HttpServer server = DatasetFixtureServer.serve(Map.of("fashion-mnist", Map.of(
                "train", read("train", 4000), "test", read("t10k", 1000))));
        try {
            DatasetClient client = DatasetClients.overHttp("http://127.0.0.1:" + server.getAddress().getPort(), cache,
                    Duration.ofSeconds(60));
            DatasetClient.Split train = client.fetch("fashion-mnist", "train");
            DatasetClient.Split test = client.fetch("fashion-mnist", "test");
            ProtocolSpec quick = Protocols.resolve("quick", Map.of("epochs", 3, "trainSubset", 4000,
                    "testSubset", 1000, "resolution", 28));
            TrainingSetup setup = new TrainingSetup("fmnist", "convmixer-64-4", "fashion-mnist", quick, 1, 28, 10,
                    train.images().subset(4000, 1), test.images(),
                    Normalisation.of(train.manifest().mean(), train.manifest().std()), 0);
            TrainingOutcome out = new TrainingLoop().run(setup, TrainingListener.NONE);
            System.out.printf("Fashion-MNIST, ConvMixer-64/4, 4,000 images, 3 epochs: test accuracy per epoch %s, "
                    + "%.0f training images/s%n", out.epochTestAccuracies(), out.trainImagesPerSecond());
            assertEquals(3, out.epochTestAccuracies().size());
            assertTrue(out.testAccuracy() >= 70, "test accuracy " + out.testAccuracy() + " %, epochs "
                    + out.epochTestAccuracies());
        } finally {
            server.stop(0);
        }
    }

    /** The first {@code n} images and labels of an IDX pair ({@code <prefix>-images-idx3-ubyte.gz}, labels idx1). */
    static ImageShard read(String prefix, int n) throws IOException {
        byte[] pixels;
        short[] labels = new short[n];
        try (DataInputStream in = gz(DIR.resolve(prefix + "-images-idx3-ubyte.gz"))) {
            if (in.readInt() != 0x803) {
                throw new IOException("not an IDX image file");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (rows != 28 || cols != 28 || count < n) {
                throw new IOException("unexpected IDX geometry " + count + "×" + rows + "×" + cols);
            }
            pixels = in.readNBytes(n * 28 * 28);
        }
        try (DataInputStream in = gz(DIR.resolve(prefix + "-labels-idx1-ubyte.gz"))) {
            if (in.readInt() != 0x801) {
                throw new IOException("not an IDX label file");
            }
            in.readInt();
            byte[] l = in.readNBytes(n);
            for (int i = 0; i < n; i++) {
                labels[i] = l[i];
            }
        }
        return new ImageShard(28, 28, 1, 10, labels, pixels);
    }

    private static DataInputStream gz(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
    }
}
