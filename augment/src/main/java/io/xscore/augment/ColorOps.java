package io.xscore.augment;

/**
 * The photometric image functions of torchvision for uint8 tensors, reproduced from
 * {@code torchvision/transforms/functional_tensor.py} (torchvision 0.14, the file Debian's python3-torchvision ships;
 * renamed {@code _functional_tensor.py} in later releases): {@code _blend}, {@code rgb_to_grayscale},
 * {@code adjust_brightness}, {@code adjust_contrast}, {@code adjust_saturation}, {@code adjust_hue} (through
 * {@code _rgb2hsv}/{@code _hsv2rgb}), {@code adjust_sharpness} ({@code _blurred_degenerate_image}),
 * {@code posterize}, {@code solarize}, {@code autocontrast} and {@code equalize} ({@code _scale_channel}).
 *
 * <p>uint8 semantics as torch has them: arithmetic in float32, results clamped to [0, 255] and converted back by
 * truncation ({@code .to(torch.uint8)}); the sharpness blur is rounded before the cast ({@code _cast_squeeze_out}).
 * All functions modify the image in place.
 */
public final class ColorOps {

    private ColorOps() {
    }

    /** {@code _blend(img, other, ratio)} against a per-pixel grey image (one plane, applied to every channel). */
    private static void blendPlane(RgbImage img, float[] otherPlane, double factor) {
        byte[] d = img.data();
        int plane = img.plane();
        float ratio = (float) factor;
        float inv = (float) (1.0 - factor);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                d[c * plane + i] = toUint8(ratio * (d[c * plane + i] & 0xFF) + inv * otherPlane[i]);
            }
        }
    }

    /** {@code _blend(img, constant, ratio)}. */
    private static void blendConstant(RgbImage img, float other, double factor) {
        byte[] d = img.data();
        float ratio = (float) factor;
        float inv = (float) (1.0 - factor);
        float b = inv * other;
        for (int i = 0; i < d.length; i++) {
            d[i] = toUint8(ratio * (d[i] & 0xFF) + b);
        }
    }

    /** clamp(0, 255) then truncation, as {@code tensor.clamp(0, 255).to(torch.uint8)}. */
    static byte toUint8(float v) {
        if (!(v > 0)) {
            return 0;
        }
        return (byte) (v >= 255f ? 255 : (int) v);
    }

    /** {@code rgb_to_grayscale}: (0.2989·r + 0.587·g + 0.114·b) truncated to uint8, one value per pixel. */
    public static float[] grayscale(RgbImage img) {
        int plane = img.plane();
        byte[] d = img.data();
        float[] g = new float[plane];
        for (int i = 0; i < plane; i++) {
            float l = 0.2989f * (d[i] & 0xFF) + 0.587f * (d[plane + i] & 0xFF) + 0.114f * (d[2 * plane + i] & 0xFF);
            g[i] = toUint8(l) & 0xFF;
        }
        return g;
    }

    /** {@code adjust_brightness}: blend with black. */
    public static void brightness(RgbImage img, double factor) {
        blendConstant(img, 0f, factor);
    }

    /** {@code adjust_contrast}: blend with the mean of the (uint8) greyscale image. */
    public static void contrast(RgbImage img, double factor) {
        float[] g = grayscale(img);
        double sum = 0;
        for (float v : g) {
            sum += v;
        }
        blendConstant(img, (float) (sum / g.length), factor);
    }

    /** {@code adjust_saturation}: blend with the greyscale image. */
    public static void saturation(RgbImage img, double factor) {
        blendPlane(img, grayscale(img), factor);
    }

    /**
     * {@code adjust_hue}: to float in [0, 1], RGB → HSV (Pillow's algorithm as torchvision writes it), h ← (h + f)
     * mod 1, HSV → RGB, ×255 truncated to uint8. {@code factor} in [−0.5, 0.5].
     */
    public static void hue(RgbImage img, double factor) {
        if (factor < -0.5 || factor > 0.5) {
            throw new IllegalArgumentException("hue factor " + factor + " outside [-0.5, 0.5]");
        }
        byte[] d = img.data();
        int plane = img.plane();
        float hf = (float) factor;
        for (int i = 0; i < plane; i++) {
            float r = (d[i] & 0xFF) / 255f;
            float g = (d[plane + i] & 0xFF) / 255f;
            float b = (d[2 * plane + i] & 0xFF) / 255f;
            float maxc = Math.max(r, Math.max(g, b));
            float minc = Math.min(r, Math.min(g, b));
            boolean eqc = maxc == minc;
            float cr = maxc - minc;
            float s = cr / (eqc ? 1f : maxc);
            float div = eqc ? 1f : cr;
            float rc = (maxc - r) / div;
            float gc = (maxc - g) / div;
            float bc = (maxc - b) / div;
            float h;
            if (maxc == r) {
                h = bc - gc;
            } else if (maxc == g) {
                h = 2f + rc - bc;
            } else {
                h = 4f + gc - rc;
            }
            h = fmod(h / 6f + 1f, 1f);
            h = pyMod(h + hf, 1f);
            // _hsv2rgb
            float v = maxc;
            float i6 = (float) Math.floor(h * 6f);
            float f = h * 6f - i6;
            int sector = Math.floorMod((int) i6, 6);
            float p = clamp01(v * (1f - s));
            float q = clamp01(v * (1f - s * f));
            float t = clamp01(v * (1f - s * (1f - f)));
            float ro;
            float go;
            float bo;
            switch (sector) {
                case 0 -> { ro = v; go = t; bo = p; }
                case 1 -> { ro = q; go = v; bo = p; }
                case 2 -> { ro = p; go = v; bo = t; }
                case 3 -> { ro = p; go = q; bo = v; }
                case 4 -> { ro = t; go = p; bo = v; }
                default -> { ro = v; go = p; bo = q; }
            }
            d[i] = toUint8(ro * 255f);
            d[plane + i] = toUint8(go * 255f);
            d[2 * plane + i] = toUint8(bo * 255f);
        }
    }

    private static float clamp01(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    /** torch.fmod: sign of the dividend. */
    private static float fmod(float a, float b) {
        return a % b;
    }

    /** Python's %: sign of the divisor. */
    private static float pyMod(float a, float b) {
        float r = a % b;
        return r < 0 ? r + b : r;
    }

    /**
     * {@code adjust_sharpness}: blend with the image blurred by the 3×3 kernel [[1,1,1],[1,5,1],[1,1,1]]/13 (rounded
     * to uint8; border pixels keep their value). Images of side ≤ 2 are returned unchanged.
     */
    public static void sharpness(RgbImage img, double factor) {
        int h = img.height();
        int w = img.width();
        if (h <= 2 || w <= 2) {
            return;
        }
        byte[] d = img.data();
        int plane = img.plane();
        float[] degenerate = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            degenerate[i] = d[i] & 0xFF;
        }
        for (int c = 0; c < 3; c++) {
            int base = c * plane;
            for (int y = 1; y < h - 1; y++) {
                for (int x = 1; x < w - 1; x++) {
                    float sum = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            float k = dy == 0 && dx == 0 ? 5f / 13f : 1f / 13f;
                            sum += k * (d[base + (y + dy) * w + x + dx] & 0xFF);
                        }
                    }
                    degenerate[base + y * w + x] = (float) Math.rint(sum);
                }
            }
        }
        float ratio = (float) factor;
        float inv = (float) (1.0 - factor);
        for (int i = 0; i < d.length; i++) {
            d[i] = toUint8(ratio * (d[i] & 0xFF) + inv * degenerate[i]);
        }
    }

    /** {@code posterize}: keep the top {@code bits} bits of every value. */
    public static void posterize(RgbImage img, int bits) {
        int mask = -(1 << (8 - bits));
        byte[] d = img.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (d[i] & mask);
        }
    }

    /** {@code solarize}: values ≥ threshold are inverted (255 − v). */
    public static void solarize(RgbImage img, double threshold) {
        byte[] d = img.data();
        for (int i = 0; i < d.length; i++) {
            int v = d[i] & 0xFF;
            if (v >= threshold) {
                d[i] = (byte) (255 - v);
            }
        }
    }

    /** {@code autocontrast}: per channel, map [min, max] linearly onto [0, 255] (constant channels unchanged). */
    public static void autocontrast(RgbImage img) {
        byte[] d = img.data();
        int plane = img.plane();
        for (int c = 0; c < 3; c++) {
            int base = c * plane;
            int min = 255;
            int max = 0;
            for (int i = 0; i < plane; i++) {
                int v = d[base + i] & 0xFF;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (max == min) {
                continue;
            }
            float scale = 255f / (max - min);
            for (int i = 0; i < plane; i++) {
                d[base + i] = toUint8(((d[base + i] & 0xFF) - min) * scale);
            }
        }
    }

    /** {@code equalize} ({@code _scale_channel}): per-channel histogram equalisation with PIL's lookup table. */
    public static void equalize(RgbImage img) {
        byte[] d = img.data();
        int plane = img.plane();
        for (int c = 0; c < 3; c++) {
            int base = c * plane;
            long[] hist = new long[256];
            for (int i = 0; i < plane; i++) {
                hist[d[base + i] & 0xFF]++;
            }
            long lastNonZero = 0;
            long nonZeroSum = 0;
            for (long n : hist) {
                if (n != 0) {
                    nonZeroSum += n;
                    lastNonZero = n;
                }
            }
            long step = (nonZeroSum - lastNonZero) / 255;
            if (step == 0) {
                continue;
            }
            int[] lut = new int[256];
            long cumulative = 0;
            for (int v = 0; v < 256; v++) {
                // lut = (cumsum + step // 2) // step, shifted right by one (pad [1, 0], drop the last)
                lut[v] = (int) Math.min(255, (cumulative + step / 2) / step);
                cumulative += hist[v];
            }
            for (int i = 0; i < plane; i++) {
                d[base + i] = (byte) lut[d[base + i] & 0xFF];
            }
        }
    }
}
