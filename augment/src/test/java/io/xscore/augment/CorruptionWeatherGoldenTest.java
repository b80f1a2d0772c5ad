package io.xscore.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deterministic arithmetic of motion blur, fog and snow against {@code golden/weather-golden.txt}, made by
 * {@code golden/make_weather_golden.py} (numpy 2.4.6, scipy 1.17.1) from the formulas of {@code hendrycks/robustness}
 * (plasma fractal, fog, snow, clipped zoom) and {@code bethgelab/imagecorruptions} (the numpy motion blur) with their
 * random draws replaced by fixed inputs: the blur angle given, the fractal's uniforms u_k = (k·0.618…) mod 1 in draw
 * order, snow's normals a fixed pattern. What the seed then adds (which uniforms, which normals, which angle) is
 * checked in {@link CorruptionWeatherTest}. Images: those of {@code corruption-golden.txt}.
 */
class CorruptionWeatherGoldenTest {

    static final List<String[]> LINES = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        CorruptionGoldenTest.load();
        if (!LINES.isEmpty()) {
            return;
        }
        try (var in = CorruptionWeatherGoldenTest.class.getResourceAsStream("/golden/weather-golden.txt");
             var reader = new BufferedReader(new InputStreamReader(Objects.requireNonNull(in),
                     StandardCharsets.US_ASCII))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.startsWith("#")) {
                    LINES.add(line.split(" "));
                }
            }
        }
    }

    /** The generator's stand-in for numpy's uniforms: u_k = (k · 0.6180339887498949) mod 1. */
    static java.util.function.DoubleSupplier sequence() {
        long[] k = {0};
        return () -> (k[0]++ * 0.6180339887498949) % 1.0;
    }

    private static List<String[]> lines(String kind) {
        List<String[]> out = LINES.stream().filter(f -> f[0].equals(kind)).toList();
        assertTrue(!out.isEmpty(), "no " + kind + " lines");
        return out;
    }

    private static void assertWithin(int tolerance, RgbImage expected, RgbImage actual, String what) {
        int max = CorruptionGoldenTest.maxAbsDiff(actual, expected);
        System.out.printf("%s: max |Δ| %d, %d of %d values differ%n", what, max,
                CorruptionGoldenTest.countDiff(actual, expected), actual.data().length);
        assertTrue(max <= tolerance, what + ": max |Δ| " + max);
    }

    @Test
    void motionBlurKernelAndOffsetsAreThePorts() {
        for (String[] f : lines("kernel")) {
            int radius = Integer.parseInt(f[1]);
            double sigma = Double.parseDouble(f[2]);
            double angle = Double.parseDouble(f[3]);
            MotionBlur.Line line = MotionBlur.line(radius, sigma, angle);
            int width = 2 * radius + 1;
            assertEquals(width, line.weights().length);
            for (int i = 0; i < width; i++) {
                double expected = Double.parseDouble(f[4 + i]);
                assertEquals(expected, line.weights()[i], 4 * Math.ulp(expected), "weight " + i + " of " + radius);
                String[] shift = f[4 + width + i].split(",");
                // the port shifts the image by (dy, dx); the Java taps read at minus that
                assertEquals(-Integer.parseInt(shift[0]), line.dy()[i], "dy " + i + " at " + angle + "°");
                assertEquals(-Integer.parseInt(shift[1]), line.dx()[i], "dx " + i + " at " + angle + "°");
            }
        }
    }

    @Test
    void motionBlurWithinOne() {
        // "motion_blur IMAGE RADIUS SIGMA ANGLE PIXELS": the port's sums are float64 in the same tap order, so only
        // truncation at an exact integer could differ
        for (String[] f : lines("motion_blur")) {
            RgbImage src = CorruptionGoldenTest.IMAGES.get(f[1]);
            RgbImage expected = CorruptionGoldenTest.decode(f[5], src.height(), src.width());
            MotionBlur.Line line = MotionBlur.line(Integer.parseInt(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]));
            assertWithin(1, expected, MotionBlur.blurImage(src, line), "motion blur " + f[2] + "/" + f[3] + " at "
                    + f[4] + "° on " + f[1]);
        }
    }

    @Test
    void plasmaFractalIsTheReferencesDiamondSquare() {
        // "plasma N DECAY" then the values at 0, 1, N + 1, N²/2 + 3, N² − 1: no transcendental functions, so exact
        for (String[] f : lines("plasma")) {
            int n = Integer.parseInt(f[1]);
            double[] map = PlasmaFractal.generate(n, Double.parseDouble(f[2]), sequence());
            int[] at = {0, 1, n + 1, n * n / 2 + 3, n * n - 1};
            for (int i = 0; i < at.length; i++) {
                assertEquals(Double.parseDouble(f[3 + i]), map[at[i]], 0.0, "plasma " + n + " at " + at[i]);
            }
        }
    }

    @Test
    void fogWithinOne() {
        // "fog IMAGE SCALE SEVERITY PIXELS": the fractal from the fixed uniforms, at the map size of the Java rule
        for (String[] f : lines("fog")) {
            RgbImage src = CorruptionGoldenTest.IMAGES.get(f[1]);
            CorruptionScale scale = f[2].equals("cifar") ? CorruptionScale.CIFAR : CorruptionScale.IMAGENET;
            assertEquals(scale, CorruptionScale.forImage(src));
            int severity = Integer.parseInt(f[3]);
            double[] c = (scale == CorruptionScale.CIFAR ? WeatherCorruptions.FOG_CIFAR
                    : WeatherCorruptions.FOG_IMAGENET)[severity - 1];
            int n = Math.max(scale == CorruptionScale.CIFAR ? 32 : 256,
                    PlasmaFractal.mapSizeFor(Math.max(src.height(), src.width())));
            RgbImage actual = WeatherCorruptions.fogBlend(src, PlasmaFractal.generate(n, c[1], sequence()), n, c[0]);
            assertWithin(1, CorruptionGoldenTest.decode(f[4], src.height(), src.width()), actual,
                    "fog/" + severity + "@" + f[2] + " on " + f[1]);
        }
    }

    @Test
    void snowWithinOne() {
        // "snow IMAGE SCALE SEVERITY ANGLE PIXELS": normals mean + sd·z_i, z_i = ((i·37 mod 101)/100 − ½)·3
        for (String[] f : lines("snow")) {
            RgbImage src = CorruptionGoldenTest.IMAGES.get(f[1]);
            CorruptionScale scale = f[2].equals("cifar") ? CorruptionScale.CIFAR : CorruptionScale.IMAGENET;
            int severity = Integer.parseInt(f[3]);
            double[] c = (scale == CorruptionScale.CIFAR ? WeatherCorruptions.SNOW_CIFAR
                    : WeatherCorruptions.SNOW_IMAGENET)[severity - 1];
            double[] normals = new double[src.plane()];
            for (int i = 0; i < normals.length; i++) {
                normals[i] = c[0] + c[1] * (((i * 37 % 101) / 100.0 - 0.5) * 3);
            }
            RgbImage actual = WeatherCorruptions.snowFrom(src, normals, Double.parseDouble(f[4]), c);
            assertWithin(1, CorruptionGoldenTest.decode(f[5], src.height(), src.width()), actual,
                    "snow/" + severity + "@" + f[2] + " on " + f[1]);
        }
    }
}
