package io.xscore.trainer.rest;

import io.xscore.trainer.service.StoredRunSuites.AdversarialExample;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * An adversarial example as one PNG: the clean test image on the left, the adversarial one on the right, each enlarged
 * by nearest neighbour for viewing, with a one-pixel grey gap.
 */
final class ExamplePng {

    private ExamplePng() {
    }

    static byte[] of(AdversarialExample example, int scale) {
        int s = example.size();
        int side = s * scale;
        BufferedImage out = new BufferedImage(2 * side + scale, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < scale; x++) {
                out.setRGB(side + x, y, 0x808080);
            }
        }
        draw(out, example.clean(), s, scale, 0);
        draw(out, example.adversarial(), s, scale, side + scale);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }

    /** CHW RGB bytes of an s×s image, drawn enlarged from column {@code left}. */
    private static void draw(BufferedImage out, byte[] chw, int s, int scale, int left) {
        int plane = s * s;
        for (int y = 0; y < s * scale; y++) {
            for (int x = 0; x < s * scale; x++) {
                int i = (y / scale) * s + x / scale;
                int rgb = (chw[i] & 0xFF) << 16 | (chw[plane + i] & 0xFF) << 8 | (chw[2 * plane + i] & 0xFF);
                out.setRGB(left + x, y, rgb);
            }
        }
    }
}
