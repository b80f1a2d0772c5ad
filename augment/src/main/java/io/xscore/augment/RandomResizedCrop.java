package io.xscore.augment;

import java.util.Random;

/**
 * The crop-sampling half of torchvision's {@code RandomResizedCrop} ({@code get_params}), reproduced step for step:
 * up to 10 attempts draw an area share from U(scale) and a log-uniform aspect ratio; an attempt succeeds when the
 * crop fits inside the image and then gets a uniformly random position. If all 10 fail, torchvision's fallback is a
 * centre crop of the whole image clamped to the ratio range (the whole image for ratio 1 and a square source).
 *
 * <p>With the benchmark's scale (0.9, 1.1) an attempt with a share above 1 never fits, so each attempt succeeds with
 * probability ½, and after 10 failures (probability 1/1024) the whole image is used: exactly what torchvision does.
 * The caller resizes the crop to the output resolution ({@link Resampler}).
 */
public record RandomResizedCrop(double scaleMin, double scaleMax, double ratioMin, double ratioMax) {

    public static final RandomResizedCrop BENCHMARK = new RandomResizedCrop(0.9, 1.1, 1.0, 1.0);

    public Crop sample(int height, int width, Random rng) {
        double area = (double) height * width;
        double logMin = Math.log(ratioMin);
        double logMax = Math.log(ratioMax);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (scaleMin + (scaleMax - scaleMin) * rng.nextDouble());
            double ratio = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
            int w = (int) Math.round(Math.sqrt(target * ratio));
            int h = (int) Math.round(Math.sqrt(target / ratio));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                int top = rng.nextInt(height - h + 1);
                int left = rng.nextInt(width - w + 1);
                return new Crop(top, left, h, w);
            }
        }
        double inRatio = (double) width / height;
        int w;
        int h;
        if (inRatio < ratioMin) {
            w = width;
            h = (int) Math.round(w / ratioMin);
        } else if (inRatio > ratioMax) {
            h = height;
            w = (int) Math.round(h * ratioMax);
        } else {
            w = width;
            h = height;
        }
        return new Crop((height - h) / 2, (width - w) / 2, h, w);
    }
}
