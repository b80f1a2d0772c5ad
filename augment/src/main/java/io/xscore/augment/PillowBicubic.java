package io.xscore.augment;

/**
 * Pillow's {@code Image.resize(size, Image.BICUBIC)} on 8-bit images, bit for bit (Pillow 9.4,
 * {@code libImaging/Resample.c}): what torchvision's {@code Resize} does to a PIL image, and so what the LR0.FM
 * low-resolution test images are made with. Plain AWT bicubic does not antialias when it shrinks and gives other
 * pixels; a resampler difference alone moves ImageNet accuracy by about a point.
 *
 * <p>Separable: a horizontal pass, rounded to 8 bits, then a vertical pass. Each output pixel is a weighted sum of
 * source pixels under the cubic kernel (a = −0.5, support 2). When shrinking by a factor s the kernel is stretched by s
 * (support 2s), which is the antialiasing. Weights are normalised to sum 1, then rounded to 22-bit fixed point; sums
 * start at ½ and are shifted back and clamped to 0..255. An axis whose size does not change is copied.
 *
 * <p>{@link #resizeBox} is Pillow's {@code Image.BOX} through the same code with the box kernel (support ½).
 */
public final class PillowBicubic {

    /** Recorded with every low-resolution result, so that numbers from another resampler are not mixed with these. */
    public static final String NAME = "pillow-bicubic-antialias";

    private static final int PRECISION_BITS = 32 - 8 - 2;

    /** A Pillow resampling filter: its support (before stretching) and kernel, as in {@code Resample.c}. */
    enum Filter {
        /** {@code bicubic_filter}, support 2. */
        BICUBIC(2.0),
        /** {@code box_filter}: 1 on (−½, ½], support ½ (each output pixel averages the source pixels it covers). */
        BOX(0.5);

        final double support;

        Filter(double support) {
            this.support = support;
        }

        double at(double x) {
            return this == BICUBIC ? kernel(x) : (x > -0.5 && x <= 0.5 ? 1.0 : 0.0);
        }
    }

    private PillowBicubic() {
    }

    /** Keys' cubic convolution kernel with a = −0.5, as Pillow's {@code bicubic_filter}. */
    static double kernel(double x) {
        final double a = -0.5;
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /** The fixed-point weights of one axis: output i sums {@code fixed[i].length} source pixels from {@code first[i]}. */
    private record Weights(int[] first, int[][] fixed) {

        /** Pillow's {@code precompute_coeffs} and {@code normalize_coeffs_8bpc} for the whole source range. */
        static Weights of(Filter filter, int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support * filterScale;
            double ss = 1.0 / filterScale;
            int[] first = new int[outSize];
            int[][] fixed = new int[outSize][];
            for (int i = 0; i < outSize; i++) {
                double centre = (i + 0.5) * scale;
                // (int) truncates toward zero, as C's cast does; a negative start is clamped to 0 anyway
                int min = Math.max((int) (centre - support + 0.5), 0);
                int max = Math.min((int) (centre + support + 0.5), inSize) - min;
                double[] k = new double[max];
                double sum = 0.0;
                for (int x = 0; x < max; x++) {
                    k[x] = filter.at((x + min - centre + 0.5) * ss);
                    sum += k[x];
                }
                int[] f = new int[max];
                for (int x = 0; x < max; x++) {
                    double w = sum != 0.0 ? k[x] / sum : k[x];
                    // round half away from zero, as normalize_coeffs_8bpc does
                    f[x] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS)) : (int) (0.5 + w * (1 << PRECISION_BITS));
                }
                first[i] = min;
                fixed[i] = f;
            }
            return new Weights(first, fixed);
        }
    }

    private static byte clip8(int sum) {
        int v = sum >> PRECISION_BITS; // arithmetic shift: floor, as Pillow's lookup index
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /**
     * Resizes an 8-bit image stored HWC (interleaved, like Pillow's own buffers; {@code channels} 1 for grey, 3 for
     * RGB) to {@code outHeight}×{@code outWidth}.
     *
     * @return a new HWC array of {@code outHeight·outWidth·channels} bytes
     */
    public static byte[] resize(byte[] src, int offset, int height, int width, int channels, int outHeight,
                                int outWidth) {
        return resize(Filter.BICUBIC, src, offset, height, width, channels, outHeight, outWidth);
    }

    /** {@link #resize(byte[], int, int, int, int, int, int)} with Pillow's {@code filter}. */
    static byte[] resize(Filter filter, byte[] src, int offset, int height, int width, int channels, int outHeight,
                         int outWidth) {
        if (height < 1 || width < 1 || outHeight < 1 || outWidth < 1 || channels < 1) {
            throw new IllegalArgumentException("sizes must be positive: " + height + "×" + width + "×" + channels
                    + " → " + outHeight + "×" + outWidth);
        }
        if (src.length - offset < height * width * channels) {
            throw new IllegalArgumentException("need " + height * width * channels + " bytes from " + offset
                    + ", got " + (src.length - offset));
        }
        byte[] image = new byte[height * width * channels];
        System.arraycopy(src, offset, image, 0, image.length);
        if (outWidth != width) {
            image = horizontal(filter, image, height, width, channels, outWidth);
        }
        if (outHeight != height) {
            image = vertical(filter, image, height, outWidth, channels, outHeight);
        }
        return image;
    }

    /** {@link #resize} of an {@link RgbImage} (CHW): each plane is a one-channel image with the same weights. */
    public static RgbImage resize(RgbImage img, int outHeight, int outWidth) {
        return resize(Filter.BICUBIC, img, outHeight, outWidth);
    }

    /**
     * Pillow's {@code Image.resize(size, Image.BOX)} of an {@link RgbImage}: the same separable fixed-point scheme with
     * the box kernel (what ImageNet-C's pixelate uses).
     */
    public static RgbImage resizeBox(RgbImage img, int outHeight, int outWidth) {
        return resize(Filter.BOX, img, outHeight, outWidth);
    }

    static RgbImage resize(Filter filter, RgbImage img, int outHeight, int outWidth) {
        RgbImage out = RgbImage.blank(outHeight, outWidth);
        for (int c = 0; c < 3; c++) {
            byte[] plane = resize(filter, img.data(), c * img.plane(), img.height(), img.width(), 1, outHeight,
                    outWidth);
            System.arraycopy(plane, 0, out.data(), c * out.plane(), plane.length);
        }
        return out;
    }

    private static byte[] horizontal(Filter filter, byte[] in, int height, int width, int channels, int outWidth) {
        Weights w = Weights.of(filter, width, outWidth);
        byte[] out = new byte[height * outWidth * channels];
        for (int y = 0; y < height; y++) {
            int row = y * width * channels;
            for (int x = 0; x < outWidth; x++) {
                int[] k = w.fixed()[x];
                int first = w.first()[x];
                for (int c = 0; c < channels; c++) {
                    int sum = 1 << (PRECISION_BITS - 1);
                    for (int i = 0; i < k.length; i++) {
                        sum += (in[row + (first + i) * channels + c] & 0xFF) * k[i];
                    }
                    out[(y * outWidth + x) * channels + c] = clip8(sum);
                }
            }
        }
        return out;
    }

    private static byte[] vertical(Filter filter, byte[] in, int height, int width, int channels, int outHeight) {
        Weights w = Weights.of(filter, height, outHeight);
        int rowBytes = width * channels;
        byte[] out = new byte[outHeight * rowBytes];
        for (int y = 0; y < outHeight; y++) {
            int[] k = w.fixed()[y];
            int first = w.first()[y];
            for (int i = 0; i < rowBytes; i++) {
                int sum = 1 << (PRECISION_BITS - 1);
                for (int j = 0; j < k.length; j++) {
                    sum += (in[(first + j) * rowBytes + i] & 0xFF) * k[j];
                }
                out[y * rowBytes + i] = clip8(sum);
            }
        }
        return out;
    }
}
