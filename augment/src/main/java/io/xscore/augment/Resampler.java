package io.xscore.augment;

/**
 * Turns a region of an 8-bit HWC image into a normalised float CHW image of S×S: bilinear interpolation with
 * half-pixel centres (PyTorch's {@code align_corners=False}, no antialiasing), grey replicated to three channels,
 * optional horizontal flip, then {@code (x/255 − mean_c)/std_c}.
 */
public final class Resampler {

    private Resampler() {
    }

    /**
     * @param src      pixels of many images, HWC per image
     * @param offset   index of the image's first byte in {@code src}
     * @param dst      output, CHW with 3 channels, written from {@code dstOffset}
     */
    public static void resample(byte[] src, int offset, int height, int width, int channels, Crop crop, int size,
                                boolean flip, float[] mean, float[] std, float[] dst, int dstOffset) {
        int plane = size * size;
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = 1f / (255f * std[c]);
            shift[c] = -mean[c] / std[c];
        }
        boolean identity = crop.top() == 0 && crop.left() == 0 && crop.height() == size && crop.width() == size
                && height == size && width == size;
        double sy = (double) crop.height() / size;
        double sx = (double) crop.width() / size;
        for (int oy = 0; oy < size; oy++) {
            double fy = Math.min(Math.max(crop.top() + (oy + 0.5) * sy - 0.5, 0), height - 1);
            int y0 = (int) fy;
            int y1 = Math.min(y0 + 1, height - 1);
            float wy = (float) (fy - y0);
            for (int ox = 0; ox < size; ox++) {
                int tx = flip ? size - 1 - ox : ox;
                int out = dstOffset + oy * size + tx;
                if (identity) {
                    int base = offset + (oy * width + ox) * channels;
                    for (int c = 0; c < 3; c++) {
                        int v = src[base + (channels == 1 ? 0 : c)] & 0xFF;
                        dst[out + c * plane] = v * scale[c] + shift[c];
                    }
                    continue;
                }
                double fx = Math.min(Math.max(crop.left() + (ox + 0.5) * sx - 0.5, 0), width - 1);
                int x0 = (int) fx;
                int x1 = Math.min(x0 + 1, width - 1);
                float wx = (float) (fx - x0);
                int r0 = offset + y0 * width * channels;
                int r1 = offset + y1 * width * channels;
                for (int c = 0; c < 3; c++) {
                    int ch = channels == 1 ? 0 : c;
                    float p00 = src[r0 + x0 * channels + ch] & 0xFF;
                    float p01 = src[r0 + x1 * channels + ch] & 0xFF;
                    float p10 = src[r1 + x0 * channels + ch] & 0xFF;
                    float p11 = src[r1 + x1 * channels + ch] & 0xFF;
                    float top = p00 + (p01 - p00) * wx;
                    float bottom = p10 + (p11 - p10) * wx;
                    float v = top + (bottom - top) * wy;
                    dst[out + c * plane] = v * scale[c] + shift[c];
                }
            }
        }
    }
}
