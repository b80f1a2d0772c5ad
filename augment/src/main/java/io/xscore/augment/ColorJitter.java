package io.xscore.augment;

import io.xscore.common.protocol.Seeds;
import java.util.Random;

/**
 * torchvision's {@code ColorJitter(brightness, contrast, saturation, hue)} ({@code transforms.py},
 * {@code ColorJitter.get_params}/{@code forward}): the four adjustments in a random order (a uniform permutation),
 * with factors b ~ U(1−brightness, 1+brightness), c ~ U(1−contrast, 1+contrast), s ~ U(1−saturation, 1+saturation),
 * h ~ U(−hue, hue), each applied by {@link ColorOps} (hue through HSV). Per image on CPU over uint8: the order
 * differs per image, so a batched form would need a pass per permutation; at these sizes it is not worth it.
 */
public record ColorJitter(double brightness, double contrast, double saturation, double hue) implements ImageOp {

    public static final ColorJitter BENCHMARK = new ColorJitter(0.2, 0.3, 0.3, 0.2);

    /** The drawn order (0 brightness, 1 contrast, 2 saturation, 3 hue) and factors. */
    public record Params(int[] order, double brightness, double contrast, double saturation, double hue) {
    }

    public Params sample(Random rng) {
        int[] order = Seeds.permutation(4, rng);
        return new Params(order, uniform(rng, 1 - brightness, 1 + brightness), uniform(rng, 1 - contrast, 1 + contrast),
                uniform(rng, 1 - saturation, 1 + saturation), uniform(rng, -hue, hue));
    }

    private static double uniform(Random rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    @Override
    public void apply(RgbImage img, Random rng) {
        apply(img, sample(rng));
    }

    public static void apply(RgbImage img, Params p) {
        for (int fn : p.order()) {
            switch (fn) {
                case 0 -> ColorOps.brightness(img, p.brightness());
                case 1 -> ColorOps.contrast(img, p.contrast());
                case 2 -> ColorOps.saturation(img, p.saturation());
                default -> ColorOps.hue(img, p.hue());
            }
        }
    }
}
