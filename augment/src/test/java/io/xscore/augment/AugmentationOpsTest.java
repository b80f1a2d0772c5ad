package io.xscore.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The image ops against hand-computed examples, and every RandAugment op and the hue shift against torchvision's own
 * output on a 9×12 RGB image ({@code augment/torchvision-golden.txt}, made by {@code torchvision_golden.py} with
 * Debian's python3-torchvision 0.14).
 */
class AugmentationOpsTest {

    private static RgbImage image(int h, int w, int... chw) {
        byte[] b = new byte[chw.length];
        for (int i = 0; i < chw.length; i++) {
            b[i] = (byte) chw[i];
        }
        return new RgbImage(h, w, b);
    }

    private static int[] values(RgbImage img) {
        int[] v = new int[img.data().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = img.data()[i] & 0xFF;
        }
        return v;
    }

    @Test
    void brightnessScalesAndSaturatesOnATwoByTwoImage() {
        // R plane 10 100 200 250, G 0 50 128 255, B 1 2 3 4; factor 1.2: v·1.2 truncated, clamped at 255
        RgbImage img = image(2, 2, 10, 100, 200, 250, 0, 50, 128, 255, 1, 2, 3, 4);
        ColorOps.brightness(img, 1.2);
        assertArrayEquals(new int[] {12, 120, 240, 255, 0, 60, 153, 255, 1, 2, 3, 4}, values(img));
        RgbImage dark = image(2, 2, 10, 100, 200, 250, 0, 50, 128, 255, 1, 2, 3, 4);
        ColorOps.brightness(dark, 0.5);
        assertArrayEquals(new int[] {5, 50, 100, 125, 0, 25, 64, 127, 0, 1, 1, 2}, values(dark));
    }

    @Test
    void contrastBlendsWithTheMeanGrey() {
        // two pixels, grey values 0 and 255 (black, white): mean 127.5; factor 0.5 → 63.75 and 191.25, truncated
        RgbImage img = image(1, 2, 0, 255, 0, 255, 0, 255);
        ColorOps.contrast(img, 0.5);
        assertArrayEquals(new int[] {63, 191, 63, 191, 63, 191}, values(img));
    }

    @Test
    void saturationZeroGivesTheTorchvisionGrey() {
        // pure red: 0.2989·255 = 76.2 → 76 in every channel
        RgbImage img = image(1, 1, 255, 0, 0);
        ColorOps.saturation(img, 0);
        assertArrayEquals(new int[] {76, 76, 76}, values(img));
    }

    @Test
    void hueShiftOfPureRed() {
        // red has h = 0; +1/3 is pure green, −1/3 pure blue, +1/6 yellow; grey has no hue and stays
        RgbImage red = image(1, 1, 255, 0, 0);
        ColorOps.hue(red, 1.0 / 3);
        assertArrayEquals(new int[] {0, 255, 0}, values(red));
        RgbImage blue = image(1, 1, 255, 0, 0);
        ColorOps.hue(blue, -1.0 / 3);
        assertArrayEquals(new int[] {0, 0, 255}, values(blue));
        RgbImage yellow = image(1, 1, 255, 0, 0);
        ColorOps.hue(yellow, 1.0 / 6);
        assertArrayEquals(new int[] {255, 255, 0}, values(yellow));
        RgbImage grey = image(1, 1, 90, 90, 90);
        ColorOps.hue(grey, 0.3);
        assertArrayEquals(new int[] {90, 90, 90}, values(grey));
    }

    @Test
    void posterizeSolarizeAndAutocontrastByHand() {
        RgbImage img = image(1, 2, 255, 3, 170, 169, 100, 200);
        ColorOps.posterize(img, 7);
        assertArrayEquals(new int[] {254, 2, 170, 168, 100, 200}, values(img));
        RgbImage sol = image(1, 2, 255, 3, 170, 169, 100, 200);
        ColorOps.solarize(sol, 170);
        assertArrayEquals(new int[] {0, 3, 85, 169, 100, 55}, values(sol));
        // channel [100, 200] stretches to [0, 255]; a constant channel stays
        RgbImage ac = image(1, 2, 100, 200, 7, 7, 0, 255);
        ColorOps.autocontrast(ac);
        assertArrayEquals(new int[] {0, 255, 7, 7, 0, 255}, values(ac));
    }

    @Test
    void translateAndFlipMoveWholePixels() {
        RgbImage img = image(1, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Affine.translate(img, 1, 0);
        assertArrayEquals(new int[] {0, 1, 2, 0, 4, 5, 0, 7, 8}, values(img));
        RgbImage f = image(1, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Affine.flip(f);
        assertArrayEquals(new int[] {3, 2, 1, 6, 5, 4, 9, 8, 7}, values(f));
    }

    @Test
    void everyRandAugmentOpAndHueMatchTorchvision() throws IOException {
        List<String[]> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                getClass().getResourceAsStream("/augment/torchvision-golden.txt")), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line.trim().split(" "));
            }
        }
        RgbImage src = parse(lines.get(0));
        int checked = 0;
        for (String[] l : lines.subList(1, lines.size())) {
            RgbImage img = src.copy();
            double m = Double.parseDouble(l[1]);
            if (l[0].equals("HUE")) {
                ColorOps.hue(img, m);
            } else {
                RandAugment.apply(img, RandAugment.Op.valueOf(l[0]), m);
            }
            assertArrayEquals(values(parse(l)), values(img), l[0] + " " + l[1]);
            checked++;
        }
        assertEquals(26, checked);
    }

    private static RgbImage parse(String[] l) {
        int h = Integer.parseInt(l[2]);
        int w = Integer.parseInt(l[3]);
        byte[] b = new byte[3 * h * w];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(l[4 + i]);
        }
        return new RgbImage(h, w, b);
    }
}
