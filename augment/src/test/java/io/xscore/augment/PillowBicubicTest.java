package io.xscore.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
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
 * {@link PillowBicubic} and {@link LowResolution} against Pillow's own output, byte for byte:
 * {@code golden/pil-resize-golden.txt}, made by {@code golden/make_pil_resize_golden.py} with Debian 12's python3-pil
 * (Pillow 9.4.0) and python3-torchvision (0.14.1). Synthetic inputs (ramps, checkerboards, seeded noise; grey and RGB;
 * square and not) shrunk by factors up to 14 (224 → 16), enlarged (28 → 64), one axis at a time, and the whole
 * LR0.FM transform.
 */
class PillowBicubicTest {

    private record Image(int height, int width, int channels, byte[] pixels) {
    }

    private record Case(String kind, String image, int p1, int p2, byte[] expected) {
    }

    private static final Map<String, Image> IMAGES = new HashMap<>();
    private static final List<Case> CASES = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        try (var in = PillowBicubicTest.class.getResourceAsStream("/golden/pil-resize-golden.txt");
             var reader = new BufferedReader(new InputStreamReader(Objects.requireNonNull(in),
                     StandardCharsets.US_ASCII))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "#" -> {
                    }
                    case "image" -> IMAGES.put(f[1], new Image(Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                            Integer.parseInt(f[4]), pixels(f[5])));
                    default -> CASES.add(new Case(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                            pixels(f[4])));
                }
            }
        }
    }

    private static byte[] pixels(String base64) {
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
        return out.toByteArray();
    }

    private static int maxAbsDifference(byte[] a, byte[] b) {
        assertEquals(a.length, b.length);
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
        }
        return max;
    }

    @Test
    void everyResizeMatchesPillowExactly() {
        int checked = 0;
        for (Case c : CASES) {
            if (!c.kind().equals("resize")) {
                continue;
            }
            Image img = IMAGES.get(c.image());
            byte[] out = PillowBicubic.resize(img.pixels(), 0, img.height(), img.width(), img.channels(), c.p1(), c.p2());
            assertArrayEquals(c.expected(), out, c.image() + " → " + c.p1() + "×" + c.p2() + ": max |Δ| "
                    + maxAbsDifference(c.expected(), out));
            checked++;
        }
        assertEquals(18, checked);
    }

    @Test
    void theLowResolutionTransformMatchesTorchvisionOnPil() {
        int checked = 0;
        for (Case c : CASES) {
            if (!c.kind().equals("lr0fm")) {
                continue;
            }
            Image img = IMAGES.get(c.image());
            byte[] out = new LowResolution(c.p1(), c.p2()).apply(img.pixels(), 0, img.height(), img.width(),
                    img.channels());
            assertArrayEquals(c.expected(), out, c.image() + " n=" + c.p1() + " size " + c.p2() + ": max |Δ| "
                    + maxAbsDifference(c.expected(), out));
            checked++;
        }
        assertEquals(6, checked);
    }

    @Test
    void chwImagesResizePlaneByPlaneLikeHwc() {
        Image img = IMAGES.get("noise100x60");
        int plane = img.height() * img.width();
        RgbImage chw = RgbImage.blank(img.height(), img.width());
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                chw.data()[c * plane + i] = img.pixels()[3 * i + c];
            }
        }
        byte[] hwc = new byte[23 * 37 * 3];
        PillowBicubic.resize(chw, 23, 37).toHwc(hwc, 0);
        assertArrayEquals(PillowBicubic.resize(img.pixels(), 0, 60, 100, 3, 23, 37), hwc);
        byte[] lr = new byte[64 * 64 * 3];
        new LowResolution(16, 64).apply(chw).toHwc(lr, 0);
        assertArrayEquals(new LowResolution(16, 64).apply(img.pixels(), 0, 60, 100, 3), lr);
    }

    /** java.awt's bicubic resize (AffineTransformOp; Graphics2D's bicubic hint is the same) of an HWC image. */
    private static byte[] awtBicubic(Image img, int outHeight, int outWidth) {
        int n = img.channels();
        BufferedImage src = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int o = n * (y * img.width() + x);
                int r = img.pixels()[o] & 0xFF;
                int g = img.pixels()[o + (n == 3 ? 1 : 0)] & 0xFF;
                int b = img.pixels()[o + (n == 3 ? 2 : 0)] & 0xFF;
                src.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        AffineTransform scale = AffineTransform.getScaleInstance((double) outWidth / img.width(),
                (double) outHeight / img.height());
        BufferedImage out = new AffineTransformOp(scale, AffineTransformOp.TYPE_BICUBIC)
                .filter(src, new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_INT_RGB));
        byte[] pixels = new byte[outHeight * outWidth * n];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                int rgb = out.getRGB(x, y);
                int o = n * (y * outWidth + x);
                pixels[o] = (byte) (n == 3 ? rgb >> 16 : rgb);
                if (n == 3) {
                    pixels[o + 1] = (byte) (rgb >> 8);
                    pixels[o + 2] = (byte) rgb;
                }
            }
        }
        return pixels;
    }

    /**
     * Why the golden test matters: java.awt's bicubic samples the source at the output pixel centres with the kernel
     * at its own width, so shrinking keeps a fine pattern's contrast (aliasing) where Pillow widens the kernel by the
     * factor and averages it away.
     */
    @Test
    void plainAwtBicubicDiffersFromPillowWhenShrinking() {
        // 3-pixel checkerboard of 5 and 250, 224 → 16: Pillow's 28-pixel-wide kernel leaves greys near the mean, AWT
        // keeps whole squares (measured: 128 apart at most); seeded noise 100×60 → 37×23: 151 apart at most
        Image checker = IMAGES.get("checker3");
        byte[] pillow = PillowBicubic.resize(checker.pixels(), 0, 224, 224, 1, 16, 16);
        assertTrue(maxAbsDifference(pillow, awtBicubic(checker, 16, 16)) >= 100);
        Image noise = IMAGES.get("noise100x60");
        pillow = PillowBicubic.resize(noise.pixels(), 0, 60, 100, 3, 23, 37);
        assertTrue(maxAbsDifference(pillow, awtBicubic(noise, 23, 37)) >= 100);
    }

    @Test
    void kernelIsKeysCubicWithAMinusHalf() {
        assertEquals(1.0, PillowBicubic.kernel(0), 0);
        assertEquals(0.0, PillowBicubic.kernel(1), 0);
        assertEquals(0.0, PillowBicubic.kernel(2), 0);
        // |x| = ½: (1.5·½ − 2.5)·¼ + 1 = 0.5625; |x| = 1.5: ((1.5 − 5)·1.5 + 8)·1.5 − 4 = 0.125, times a = −½
        assertEquals(0.5625, PillowBicubic.kernel(-0.5), 1e-15);
        assertEquals(-0.0625, PillowBicubic.kernel(1.5), 1e-15);
    }

    @Test
    void sameSizeIsACopyAndBadSizesAreRejected() {
        Image img = IMAGES.get("noise32");
        assertArrayEquals(img.pixels(), PillowBicubic.resize(img.pixels(), 0, 32, 32, 3, 32, 32));
        assertThrows(IllegalArgumentException.class, () -> PillowBicubic.resize(img.pixels(), 0, 32, 32, 3, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> PillowBicubic.resize(img.pixels(), 0, 33, 32, 3, 5, 5));
    }
}
