package io.xscore.augment;

import java.util.Random;

/**
 * torchvision's {@code RandomErasing(p, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0)} ({@code transforms.py},
 * {@code RandomErasing.get_params}/{@code forward}): with probability p, up to 10 attempts draw an area share from
 * U(scale) and a log-uniform aspect ratio; {@code h = round(√(area·r))}, {@code w = round(√(area/r))}; the first
 * attempt with h &lt; H and w &lt; W gets a uniform position and is erased (set to 0, i.e. to the mean colour, since
 * it runs on the normalised tensor); if none fits the image is left alone.
 *
 * <p>Boxes are drawn on the CPU; the trainer erases them with one multiplication of the batch by a mask on the
 * model's device ({@code io.xscore.trainer.training.ErasingMask}).
 */
public record RandomErasing(double p, double scaleMin, double scaleMax, double ratioMin, double ratioMax) {

    public static RandomErasing withProbability(double p) {
        return new RandomErasing(p, 0.02, 0.33, 0.3, 3.3);
    }

    /** Rows [top, top+height), columns [left, left+width). */
    public record Box(int top, int left, int height, int width) {
    }

    /** The box to erase in one image, or null (not drawn with probability 1−p, or no attempt fitted). */
    public Box sample(int height, int width, Random rng) {
        if (!(rng.nextDouble() < p)) {
            return null;
        }
        double area = (double) height * width;
        double logMin = Math.log(ratioMin);
        double logMax = Math.log(ratioMax);
        for (int attempt = 0; attempt < 10; attempt++) {
            double erase = area * (scaleMin + (scaleMax - scaleMin) * rng.nextDouble());
            double ratio = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
            int h = (int) Math.rint(Math.sqrt(erase * ratio));
            int w = (int) Math.rint(Math.sqrt(erase / ratio));
            if (!(h < height && w < width)) {
                continue;
            }
            int top = rng.nextInt(height - h + 1);
            int left = rng.nextInt(width - w + 1);
            return new Box(top, left, h, w);
        }
        return null;
    }

    /** Boxes for a batch, one per image (null entries: untouched). */
    public Box[] sample(int n, int height, int width, Random rng) {
        Box[] boxes = new Box[n];
        for (int i = 0; i < n; i++) {
            boxes[i] = sample(height, width, rng);
        }
        return boxes;
    }
}
