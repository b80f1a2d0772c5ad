package io.xscore.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RandAugment's sampling, ColorJitter, RandomErasing and the per-dataset pipelines of docs/benchmark.md §3. */
class PaperPipelineTest {

    @Test
    void randAugmentMagnitudesAtTenOfThirtyOneBins() {
        RandAugment ra = RandAugment.BENCHMARK;
        assertEquals(0.1, ra.magnitudeOf(RandAugment.Op.SHEAR_X, 32, 32), 1e-12);
        assertEquals(150.0 / 331 * 32 / 3, ra.magnitudeOf(RandAugment.Op.TRANSLATE_X, 32, 32), 1e-12);
        assertEquals(150.0 / 331 * 20 / 3, ra.magnitudeOf(RandAugment.Op.TRANSLATE_Y, 20, 32), 1e-12);
        assertEquals(10.0, ra.magnitudeOf(RandAugment.Op.ROTATE, 32, 32), 1e-12);
        assertEquals(0.3, ra.magnitudeOf(RandAugment.Op.BRIGHTNESS, 32, 32), 1e-12);
        assertEquals(0.3, ra.magnitudeOf(RandAugment.Op.SHARPNESS, 32, 32), 1e-12);
        assertEquals(7.0, ra.magnitudeOf(RandAugment.Op.POSTERIZE, 32, 32));
        assertEquals(170.0, ra.magnitudeOf(RandAugment.Op.SOLARIZE, 32, 32), 1e-12);
        assertEquals(0.0, ra.magnitudeOf(RandAugment.Op.EQUALIZE, 32, 32));
    }

    @Test
    void randAugmentPicksTwoOpsUniformlyWithRandomSigns() {
        Random rng = new Random(1);
        int[] counts = new int[RandAugment.Op.values().length];
        Set<RandAugment.Op> negative = EnumSet.noneOf(RandAugment.Op.class);
        for (int i = 0; i < 14_000; i++) {
            RandAugment.Applied[] ops = RandAugment.BENCHMARK.sample(32, 32, rng);
            assertEquals(2, ops.length);
            for (RandAugment.Applied a : ops) {
                counts[a.op().ordinal()]++;
                double unsigned = RandAugment.BENCHMARK.magnitudeOf(a.op(), 32, 32);
                assertEquals(unsigned, Math.abs(a.magnitude()), 1e-12);
                if (a.magnitude() < 0) {
                    negative.add(a.op());
                }
            }
        }
        for (int c : counts) {
            assertTrue(c > 1700 && c < 2300, "about 2000 draws per op: " + Arrays.toString(counts));
        }
        assertEquals(EnumSet.of(RandAugment.Op.SHEAR_X, RandAugment.Op.SHEAR_Y, RandAugment.Op.TRANSLATE_X,
                RandAugment.Op.TRANSLATE_Y, RandAugment.Op.ROTATE, RandAugment.Op.BRIGHTNESS, RandAugment.Op.COLOR,
                RandAugment.Op.CONTRAST, RandAugment.Op.SHARPNESS), negative, "exactly the signed ops get negated");
    }

    @Test
    void colorJitterDrawsAPermutationAndFactorsInRange() {
        Random rng = new Random(2);
        Set<String> orders = new java.util.HashSet<>();
        for (int i = 0; i < 2000; i++) {
            ColorJitter.Params p = ColorJitter.BENCHMARK.sample(rng);
            int[] sorted = p.order().clone();
            Arrays.sort(sorted);
            assertArrayEquals(new int[] {0, 1, 2, 3}, sorted);
            orders.add(Arrays.toString(p.order()));
            assertTrue(p.brightness() >= 0.8 && p.brightness() <= 1.2);
            assertTrue(p.contrast() >= 0.7 && p.contrast() <= 1.3);
            assertTrue(p.saturation() >= 0.7 && p.saturation() <= 1.3);
            assertTrue(p.hue() >= -0.2 && p.hue() <= 0.2);
        }
        assertEquals(24, orders.size(), "every order of the four occurs");
        // brightness 1.2 only on a grey pixel (contrast/saturation 1 and hue 0 leave it alone): 100 → 120
        RgbImage grey = new RgbImage(1, 1, new byte[] {100, 100, 100});
        ColorJitter.apply(grey, new ColorJitter.Params(new int[] {3, 2, 1, 0}, 1.2, 1.0, 1.0, 0.0));
        assertArrayEquals(new byte[] {120, 120, 120}, grey.data());
    }

    @Test
    void randomErasingBoxesRespectAreaAndRatioBoundsAndProbability() {
        RandomErasing re = RandomErasing.withProbability(0.25);
        Random rng = new Random(3);
        int erased = 0;
        int trials = 8000;
        for (int i = 0; i < trials; i++) {
            RandomErasing.Box b = re.sample(32, 32, rng);
            if (b == null) {
                continue;
            }
            erased++;
            double share = b.height() * b.width() / 1024.0;
            // rounding each side of √(area·r) moves the area a little beyond [0.02, 0.33]
            assertTrue(share >= 0.012 && share <= 0.36, "share " + share);
            double ratio = (double) b.height() / b.width();
            assertTrue(ratio >= 0.2 && ratio <= 4.5, "ratio " + ratio);
            assertTrue(b.height() < 32 && b.width() < 32 && b.top() >= 0 && b.left() >= 0
                    && b.top() + b.height() <= 32 && b.left() + b.width() <= 32);
        }
        assertTrue(Math.abs(erased / (double) trials - 0.25) < 0.02, "erased share " + erased / (double) trials);
        assertNull(RandomErasing.withProbability(0).sample(32, 32, rng));
    }

    @Test
    void perDatasetPipelinesFollowBenchmarkSection3() {
        List<ImageOp> raCj = List.of(RandAugment.BENCHMARK, ColorJitter.BENCHMARK);
        for (String d : List.of("cifar10", "mit_indoor67", "miniplaces")) {
            PaperPipeline p = PaperPipeline.forDataset(d);
            assertTrue(p.randomCrop());
            assertEquals(raCj, p.ops());
            assertNull(p.erasing());
        }
        PaperPipeline c100 = PaperPipeline.forDataset("cifar100");
        assertEquals(raCj, c100.ops());
        assertEquals(0.25, c100.erasing().p());
        assertEquals(0.02, c100.erasing().scaleMin());
        assertEquals(3.3, c100.erasing().ratioMax());
        assertEquals(List.of(ColorJitter.BENCHMARK, RandAugment.BENCHMARK),
                PaperPipeline.forDataset("imagenette").ops());
        assertEquals(List.of(ColorJitter.BENCHMARK), PaperPipeline.forDataset("stanford_dogs").ops());
        PaperPipeline ham = PaperPipeline.forDataset("ham10000");
        assertFalse(ham.randomCrop());
        assertFalse(ham.hasImageOps());
        assertEquals(new Crop(0, 0, 450, 600), ham.sample(450, 600, new Random(1)).crop());
        PaperPipeline fm = PaperPipeline.forDataset("fashion-mnist");
        assertEquals("paper/cifar-style", fm.name());
        assertEquals(raCj, fm.ops());
        assertEquals("paper/cifar100: RandomResizedCrop(0.9-1.1, ratio 1) + flip + RandAugment(2, 10) + "
                + "ColorJitter(0.2, 0.3, 0.3, 0.2) + RandomErasing(0.25)", c100.description());
        assertEquals(new ColorJitter(0.2, 0.3, 0.3, 0.2), ColorJitter.BENCHMARK);
    }

    @Test
    void pipelineIsDeterministicBySeed() {
        PaperPipeline p = PaperPipeline.forDataset("cifar10");
        byte[] pixels = new byte[3 * 32 * 32];
        new Random(9).nextBytes(pixels);
        byte[] a = run(p, pixels, 42);
        assertArrayEquals(a, run(p, pixels, 42));
        assertNotEquals(Arrays.toString(a), Arrays.toString(run(p, pixels, 43)));
    }

    private static byte[] run(PaperPipeline p, byte[] pixels, long seed) {
        Random rng = new Random(seed);
        RgbImage img = new RgbImage(32, 32, pixels.clone());
        for (int i = 0; i < 5; i++) {
            p.applyImageOps(img, rng);
        }
        return img.data();
    }
}
