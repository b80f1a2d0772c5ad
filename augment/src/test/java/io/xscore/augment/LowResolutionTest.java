package io.xscore.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The size arithmetic of the LR0.FM transform, as torchvision computes it (pixels: {@link PillowBicubicTest}). */
class LowResolutionTest {

    @Test
    void theShorterSideGoesToNAndTheLongerIsTruncated() {
        // 224×300 (H×W) → n = 16: 16·300/224 = 21.43 → 21
        assertArrayEquals(new int[] {16, 21}, LowResolution.shorterSideTo(224, 300, 16));
        // portrait 500×333 → 16: 16·500/333 = 24.02 → 24
        assertArrayEquals(new int[] {24, 16}, LowResolution.shorterSideTo(500, 333, 16));
        // back up: 16×21 → 224: 224·21/16 = 294 exactly
        assertArrayEquals(new int[] {224, 294}, LowResolution.shorterSideTo(16, 21, 224));
        assertArrayEquals(new int[] {32, 32}, LowResolution.shorterSideTo(224, 224, 32));
    }

    @Test
    void theCentreCropRoundsHalvesToEvenAsPython() {
        assertEquals(35, LowResolution.centreOffset(294, 224)); // 70/2
        assertEquals(2, LowResolution.centreOffset(227, 224)); // 1.5 → 2
        assertEquals(2, LowResolution.centreOffset(229, 224)); // 2.5 → 2
        assertEquals(0, LowResolution.centreOffset(225, 224)); // 0.5 → 0
    }

    @Test
    void theTransformGivesTheModelSizeAndNamesItsResampler() {
        LowResolution lr = new LowResolution(16, 224);
        RgbImage out = lr.apply(RgbImage.blank(60, 100));
        assertEquals(224, out.height());
        assertEquals(224, out.width());
        assertEquals("lr0fm-16@224/pillow-bicubic-antialias", lr.description());
        assertThrows(IllegalArgumentException.class, () -> new LowResolution(0, 224));
    }
}
