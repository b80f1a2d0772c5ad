package io.xscore.augment;

/**
 * A procedural frost texture for {@code frost-procedural}: a <em>stand-in</em> for the reference's frost photographs
 * (six images shipped with hendrycks/robustness, of which {@code frost} crops one at random), which the platform does
 * not have and does not download. It is designed to look like frost, not measured against the photographs: its
 * brightness, colour and structure statistics are not those of the published frost, so results with it are not
 * comparable with published frost numbers.
 *
 * <p>Per image, from the seed, in this order of draws:
 * <ol>
 * <li>crystals: N = max(4, round(H·W/L²)) centres (L = max(4, 0.15·min(H, W)) px, the longest needle), each with a
 * brightness U(0.5, 1) and 3–6 needles at a uniform angle and a length U(0.4, 1)·L, drawn as half-pixel steps whose
 * intensity fades to 40 % at the tip; at 40 % and 70 % of its length each needle sprouts two side needles at ±60° of
 * 30 % of its length (the fern-like branching of window frost); overlapping needles keep the brighter value;</li>
 * <li>haze: a {@link PlasmaFractal} (wibble decay 2.5) over the next power of two of the longer side, top-left corner,
 * for the uneven density of the ice;</li>
 * <li>grain: U(−0.03, 0.03) per pixel.</li>
 * </ol>
 * F = clip(0.2 + 0.35·haze + 0.75·crystals + grain, 0, 1), coloured pale blue-white as the photographs are
 * (R, G, B) = 255·F·(0.80, 0.90, 1.00).
 */
final class FrostTexture {

    private FrostTexture() {
    }

    /** The texture, CHW, values 0..255 as floats (the reference blends the photograph's 8-bit values). */
    static float[] generate(int h, int w, CorruptionRandom random) {
        int plane = h * w;
        float[] crystals = new float[plane];
        double longest = Math.max(4, 0.15 * Math.min(h, w));
        int count = (int) Math.max(4, Math.round(plane / (longest * longest)));
        for (int k = 0; k < count; k++) {
            double cy = random.nextDouble() * h;
            double cx = random.nextDouble() * w;
            double brightness = 0.5 + 0.5 * random.nextDouble();
            int needles = 3 + random.nextInt(4);
            for (int n = 0; n < needles; n++) {
                double angle = 2 * Math.PI * random.nextDouble();
                double length = (0.4 + 0.6 * random.nextDouble()) * longest;
                needle(crystals, h, w, cy, cx, angle, length, brightness, true);
            }
        }
        int n = PlasmaFractal.mapSizeFor(Math.max(h, w));
        double[] haze = PlasmaFractal.generate(Math.max(n, 4), 2.5, random::nextDouble);
        int side = Math.max(n, 4);
        float[] out = new float[3 * plane];
        float[] tint = {0.80f, 0.90f, 1.00f};
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double grain = -0.03 + 0.06 * random.nextDouble();
                double f = 0.2 + 0.35 * haze[y * side + x] + 0.75 * crystals[i] + grain;
                f = f < 0 ? 0 : Math.min(f, 1);
                for (int ch = 0; ch < 3; ch++) {
                    out[ch * plane + i] = (float) (255 * f * tint[ch]);
                }
            }
        }
        return out;
    }

    /** One needle from (y, x) with its side needles (if {@code branches}), max-composited into {@code layer}. */
    private static void needle(float[] layer, int h, int w, double y, double x, double angle, double length,
                               double brightness, boolean branches) {
        double sy = StrictMath.sin(angle);
        double sx = StrictMath.cos(angle);
        for (double t = 0; t <= length; t += 0.5) {
            int py = (int) Math.floor(y + t * sy);
            int px = (int) Math.floor(x + t * sx);
            if (py >= 0 && py < h && px >= 0 && px < w) {
                float v = (float) (brightness * (1 - 0.6 * t / length));
                int i = py * w + px;
                layer[i] = Math.max(layer[i], v);
            }
        }
        if (branches) {
            for (double at : new double[] {0.4, 0.7}) {
                double by = y + at * length * sy;
                double bx = x + at * length * sx;
                double fade = brightness * (1 - 0.6 * at);
                needle(layer, h, w, by, bx, angle + Math.PI / 3, 0.3 * length, fade, false);
                needle(layer, h, w, by, bx, angle - Math.PI / 3, 0.3 * length, fade, false);
            }
        }
    }
}
