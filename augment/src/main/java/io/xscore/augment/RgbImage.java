package io.xscore.augment;

/**
 * An 8-bit RGB image in CHW layout (as a torch uint8 tensor of shape (3, H, W)), the working format of the
 * photometric and geometric ops of the {@code paper} pipeline. Mutable; ops replace {@link #data()} in place.
 */
public record RgbImage(int height, int width, byte[] data) {

    public RgbImage {
        if (data.length != 3 * height * width) {
            throw new IllegalArgumentException("need 3·" + height + "·" + width + " bytes, got " + data.length);
        }
    }

    public static RgbImage blank(int height, int width) {
        return new RgbImage(height, width, new byte[3 * height * width]);
    }

    public int plane() {
        return height * width;
    }

    /** Channel c, row y, column x as 0..255. */
    public int get(int c, int y, int x) {
        return data[c * plane() + y * width + x] & 0xFF;
    }

    public void set(int c, int y, int x, int value) {
        data[c * plane() + y * width + x] = (byte) value;
    }

    public RgbImage copy() {
        return new RgbImage(height, width, data.clone());
    }

    /** Writes {@code (v/255 − mean_c)/std_c} as float CHW into {@code dst} from {@code offset}. */
    public void normalise(float[] mean, float[] std, float[] dst, int offset) {
        int plane = plane();
        for (int c = 0; c < 3; c++) {
            float scale = 1f / (255f * std[c]);
            float shift = -mean[c] / std[c];
            int base = c * plane;
            for (int i = 0; i < plane; i++) {
                dst[offset + base + i] = (data[base + i] & 0xFF) * scale + shift;
            }
        }
    }

    /** Writes the image as HWC bytes (the shard layout) into {@code dst} from {@code offset}. */
    public void toHwc(byte[] dst, int offset) {
        int plane = plane();
        for (int i = 0; i < plane; i++) {
            int o = offset + 3 * i;
            dst[o] = data[i];
            dst[o + 1] = data[plane + i];
            dst[o + 2] = data[2 * plane + i];
        }
    }

    /**
     * {@link #normalise} of an RGB image stored HWC in {@code src} from {@code offset} (a cached augmented image), with
     * the same arithmetic, so the floats are bit-identical to normalising the image it was stored from.
     */
    public static void normaliseHwc(byte[] src, int offset, int height, int width, float[] mean, float[] std,
                                    float[] dst, int dstOffset) {
        int plane = height * width;
        for (int c = 0; c < 3; c++) {
            float scale = 1f / (255f * std[c]);
            float shift = -mean[c] / std[c];
            int base = dstOffset + c * plane;
            for (int i = 0; i < plane; i++) {
                dst[base + i] = (src[offset + 3 * i + c] & 0xFF) * scale + shift;
            }
        }
    }
}
