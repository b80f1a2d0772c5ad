package io.xscore.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deterministic corruptions against {@code golden/corruption-golden.txt}, made by
 * {@code golden/make_corruption_golden.py} from the published formulas of {@code hendrycks/robustness} written out in
 * numpy 1.24.2 (scikit-image's HSV conversion, OpenCV's GaussianBlur and filter2D with BORDER_REFLECT_101) and
 * Pillow 9.4.0 (BOX resize, JPEG), at severities 1, 3 and 5, on four synthetic images: 32×32 ramp with black, white,
 * grey and tied-maximum patches, 32×32 uniform noise, 40×48 and 66×72 gradients with checkerboards (the last at the
 * ImageNet scale).
 *
 * <p>Brightness, contrast and defocus: at most 1 apart per channel (all equal when this was written). The reference
 * truncates (np.uint8) rather than rounds, so a value whose exact result is an integer k can land on k − 1 in one
 * implementation and k in the other when the two sum in a different order or precision (numpy's pairwise mean; real
 * OpenCV blurs the disk in float32 and filters large kernels through a DFT). Pixelate: the same fixed-point arithmetic
 * as Pillow, byte for byte. JPEG: the JDK's codec (its own libjpeg 6b) is not Pillow's libjpeg-turbo, so it is held to
 * a PSNR band (at least {@value #JPEG_MIN_PSNR} dB against Pillow's output, at most {@value #JPEG_MAX_DIFF} apart per
 * value), not bytes; with libjpeg's quantisation tables it matched Debian 12's Pillow 9.4 byte for byte here.
 *
 * <p>Zoom blur's cases are in {@code golden/zoom-golden.txt} ({@code golden/make_zoom_golden.py}, scipy's order-1
 * {@code zoom} itself, on the same four images read back from the first file): within 1, identical when written.
 */
class CorruptionGoldenTest {

    static final double JPEG_MIN_PSNR = 40;
    static final int JPEG_MAX_DIFF = 16;

    record Case(String corruption, String image, CorruptionScale scale, int severity, RgbImage expected) {
    }

    static final Map<String, RgbImage> IMAGES = new HashMap<>();
    static final List<Case> CASES = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        if (!CASES.isEmpty()) {
            return;
        }
        read("/golden/corruption-golden.txt");
        read("/golden/zoom-golden.txt"); // its cases use the images of the first file
    }

    private static void read(String resource) throws IOException {
        try (var in = CorruptionGoldenTest.class.getResourceAsStream(resource);
             var reader = new BufferedReader(new InputStreamReader(Objects.requireNonNull(in),
                     StandardCharsets.US_ASCII))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] f = line.split(" ");
                if (f[0].equals("#")) {
                    continue;
                }
                if (f[0].equals("image")) {
                    IMAGES.put(f[1], decode(f[4], Integer.parseInt(f[2]), Integer.parseInt(f[3])));
                } else {
                    RgbImage src = IMAGES.get(f[1]);
                    CASES.add(new Case(f[0], f[1], f[2].equals("cifar") ? CorruptionScale.CIFAR
                            : CorruptionScale.IMAGENET, Integer.parseInt(f[3]),
                            decode(f[4], src.height(), src.width())));
                }
            }
        }
    }

    /** Inflates, undoes the horizontal delta filter, and turns HWC into an {@link RgbImage} (CHW). */
    static RgbImage decode(String base64, int height, int width) {
        Inflater inflater = new Inflater();
        inflater.setInput(Base64.getDecoder().decode(base64));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        try {
            while (!inflater.finished()) {
                out.write(buf, 0, inflater.inflate(buf));
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException(e);
        } finally {
            inflater.end();
        }
        byte[] hwc = out.toByteArray();
        assertEquals(3 * height * width, hwc.length);
        for (int y = 0; y < height; y++) {
            for (int i = 3; i < 3 * width; i++) {
                int at = y * 3 * width + i;
                hwc[at] = (byte) (hwc[at] + hwc[at - 3]);
            }
        }
        RgbImage img = RgbImage.blank(height, width);
        for (int p = 0; p < height * width; p++) {
            for (int c = 0; c < 3; c++) {
                img.data()[c * img.plane() + p] = hwc[3 * p + c];
            }
        }
        return img;
    }

    static int maxAbsDiff(RgbImage a, RgbImage b) {
        int max = 0;
        for (int i = 0; i < a.data().length; i++) {
            max = Math.max(max, Math.abs((a.data()[i] & 0xFF) - (b.data()[i] & 0xFF)));
        }
        return max;
    }

    static int countDiff(RgbImage a, RgbImage b) {
        int n = 0;
        for (int i = 0; i < a.data().length; i++) {
            n += a.data()[i] != b.data()[i] ? 1 : 0;
        }
        return n;
    }

    static double psnr(RgbImage a, RgbImage b) {
        double se = 0;
        for (int i = 0; i < a.data().length; i++) {
            double d = (a.data()[i] & 0xFF) - (b.data()[i] & 0xFF);
            se += d * d;
        }
        double mse = se / a.data().length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    private void check(String corruption, int tolerance) {
        check(corruption, tolerance, 0);
    }

    private void check(String corruption, int tolerance, double minPsnr) {
        int n = 0;
        for (Case c : CASES) {
            if (!c.corruption().equals(corruption)) {
                continue;
            }
            n++;
            RgbImage src = IMAGES.get(c.image());
            assertEquals(c.scale(), CorruptionScale.forImage(src), "the generator applies the scale rule");
            Corruption corr = Corruptions.of(corruption, c.severity(), c.scale());
            RgbImage actual = corr.apply(src, 0);
            int max = maxAbsDiff(actual, c.expected());
            System.out.printf("%s %s: max |Δ| %d, %d of %d values differ, PSNR %.2f dB%n", corr.description(),
                    c.image(), max, countDiff(actual, c.expected()), actual.data().length, psnr(actual, c.expected()));
            assertTrue(max <= tolerance, corr.description() + " on " + c.image() + ": max |Δ| " + max);
            assertTrue(psnr(actual, c.expected()) >= minPsnr, corr.description() + " on " + c.image() + ": PSNR "
                    + psnr(actual, c.expected()));
        }
        assertEquals(12, n, "4 images × 3 severities of " + corruption);
    }

    @Test
    void brightnessWithinOne() {
        check("brightness", 1);
    }

    @Test
    void contrastWithinOne() {
        check("contrast", 1);
    }

    @Test
    void pixelateExact() {
        check("pixelate", 0);
    }

    @Test
    void defocusWithinOne() {
        check("defocus_blur", 1);
    }

    @Test
    void jpegWithinPsnrBand() {
        check("jpeg_compression", JPEG_MAX_DIFF, JPEG_MIN_PSNR);
    }

    /**
     * zoom_blur against {@code zoom-golden.txt} ({@code make_zoom_golden.py}: scipy's order-1 zoom itself, float32 as
     * the reference): within 1 for the same truncation reason as the others.
     */
    @Test
    void zoomBlurWithinOne() {
        check("zoom_blur", 1);
    }

    @Test
    void goldenIsLoaded() {
        assertFalse(CASES.isEmpty());
    }
}
