package io.xscore.augment;

/**
 * The LR0.FM low-resolution test transform (Pathak et al., "LR0.FM", arXiv 2502.03950; the authors' code
 * {@code resolution_transform}): torchvision's {@code Resize(n, BICUBIC)}, {@code Resize(modelSize, BICUBIC)},
 * {@code CenterCrop(modelSize)} on a PIL image. The shorter side goes down to n (the longer side as torchvision
 * computes it, aspect kept), the image goes back up until its shorter side is the model's input size, and the centre
 * square of that size is cut out. Both resizes are {@link PillowBicubic}, antialiased when shrinking, as PIL's are.
 *
 * @param shorterSide n, the resolution under test (LR0.FM uses 16, 32, 64 and 128)
 * @param modelSize   the model's square input size (224 for most datasets)
 */
public record LowResolution(int shorterSide, int modelSize) {

    public LowResolution {
        if (shorterSide < 1 || modelSize < 1) {
            throw new IllegalArgumentException("sizes must be positive: n=" + shorterSide + ", model " + modelSize);
        }
    }

    /** Names the transform and its resampler, e.g. {@code lr0fm-16@224/pillow-bicubic-antialias}. */
    public String description() {
        return "lr0fm-" + shorterSide + "@" + modelSize + "/" + PillowBicubic.NAME;
    }

    /**
     * torchvision's {@code Resize(n)} output size for an int n: the shorter side becomes n, the longer
     * {@code int(n · long / short)} (truncated, as Python's {@code int} of the float quotient).
     *
     * @return {height, width}
     */
    public static int[] shorterSideTo(int height, int width, int n) {
        int shorter = Math.min(height, width);
        int longer = Math.max(height, width);
        int newLonger = (int) ((double) n * longer / shorter);
        return width <= height ? new int[] {newLonger, n} : new int[] {n, newLonger};
    }

    /**
     * torchvision's {@code CenterCrop} offset, {@code int(round((size − crop) / 2.0))}: Python rounds halves to even,
     * so a difference of 3 starts the crop at 2 and one of 5 at 2, unlike {@link Crop#centreSquare}'s floor.
     */
    static int centreOffset(int size, int crop) {
        return (int) Math.rint((size - crop) / 2.0);
    }

    /**
     * The transform of an 8-bit HWC image ({@code channels} 1 or 3).
     *
     * @return the {@code modelSize}×{@code modelSize} HWC image
     */
    public byte[] apply(byte[] src, int offset, int height, int width, int channels) {
        int[] low = shorterSideTo(height, width, shorterSide);
        byte[] small = PillowBicubic.resize(src, offset, height, width, channels, low[0], low[1]);
        int[] back = shorterSideTo(low[0], low[1], modelSize);
        byte[] large = PillowBicubic.resize(small, 0, low[0], low[1], channels, back[0], back[1]);
        int top = centreOffset(back[0], modelSize);
        int left = centreOffset(back[1], modelSize);
        byte[] out = new byte[modelSize * modelSize * channels];
        int rowBytes = modelSize * channels;
        for (int y = 0; y < modelSize; y++) {
            System.arraycopy(large, ((top + y) * back[1] + left) * channels, out, y * rowBytes, rowBytes);
        }
        return out;
    }

    /** {@link #apply(byte[], int, int, int, int)} of an {@link RgbImage} (CHW), plane by plane. */
    public RgbImage apply(RgbImage img) {
        RgbImage out = RgbImage.blank(modelSize, modelSize);
        for (int c = 0; c < 3; c++) {
            byte[] plane = apply(img.data(), c * img.plane(), img.height(), img.width(), 1);
            System.arraycopy(plane, 0, out.data(), c * out.plane(), plane.length);
        }
        return out;
    }
}
