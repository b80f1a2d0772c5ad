package io.xscore.dataset.synthetic;

import java.util.SplittableRandom;

/**
 * Ten texture classes, each a pattern with a class-specific orientation and period: stripes at 0/45/90/135
 * degrees (period 8), fine stripes at 0/90 degrees (period 4), checkerboards at 0/45 degrees (period 10), a dot
 * lattice and concentric rings. Orientation (+-10 degrees), period (+-15 %), phase, the two colours and the noise
 * level are random per image.
 */
public final class TexturesGenerator implements ImageGenerator {

    private enum Pattern { STRIPES, CHECKER, DOTS, RINGS }

    private record TextureClass(String name, Pattern pattern, double degrees, double period) {
    }

    private static final TextureClass[] CLASSES = {
        new TextureClass("stripes-0", Pattern.STRIPES, 0, 8),
        new TextureClass("stripes-45", Pattern.STRIPES, 45, 8),
        new TextureClass("stripes-90", Pattern.STRIPES, 90, 8),
        new TextureClass("stripes-135", Pattern.STRIPES, 135, 8),
        new TextureClass("fine-stripes-0", Pattern.STRIPES, 0, 4),
        new TextureClass("fine-stripes-90", Pattern.STRIPES, 90, 4),
        new TextureClass("checker-0", Pattern.CHECKER, 0, 10),
        new TextureClass("checker-45", Pattern.CHECKER, 45, 10),
        new TextureClass("dots", Pattern.DOTS, 0, 8),
        new TextureClass("rings", Pattern.RINGS, 0, 6),
    };

    @Override
    public int classes() {
        return CLASSES.length;
    }

    @Override
    public void render(int label, SplittableRandom rnd, int size, byte[] out, int offset) {
        TextureClass tc = CLASSES[label];
        double theta = Math.toRadians(tc.degrees() + (rnd.nextDouble() - 0.5) * 20);
        double k = 2 * Math.PI / (tc.period() * (0.85 + 0.3 * rnd.nextDouble()));
        double phaseU = rnd.nextDouble() * 2 * Math.PI;
        double phaseV = rnd.nextDouble() * 2 * Math.PI;
        double centreX = rnd.nextDouble() * size;
        double centreY = rnd.nextDouble() * size;
        int[][] colours = Pixels.contrastingPair(rnd, 60);
        double sigma = 10 + 14 * rnd.nextDouble();
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double u = (x * cos + y * sin) * k + phaseU;
                double v = (-x * sin + y * cos) * k + phaseV;
                double t = switch (tc.pattern()) {
                    case STRIPES -> 0.5 + 0.5 * Math.cos(u);
                    case CHECKER -> clamp(0.5 + 1.5 * Math.cos(u) * Math.cos(v));
                    case DOTS -> clamp((Math.cos(u) + Math.cos(v) - 0.6) * 1.5);
                    case RINGS -> 0.5 + 0.5 * Math.cos(Math.hypot(x - centreX, y - centreY) * k + phaseU);
                };
                int base = offset + 3 * (y * size + x);
                for (int c = 0; c < 3; c++) {
                    Pixels.put(out, base + c, colours[0][c] * (1 - t) + colours[1][c] * t, sigma, rnd);
                }
            }
        }
    }

    private static double clamp(double t) {
        return Math.max(0, Math.min(1, t));
    }
}
