package io.xscore.augment;

import java.util.List;
import java.util.Random;

/**
 * torchvision's {@code RandAugment(num_ops, magnitude, num_magnitude_bins=31, interpolation=NEAREST, fill=None)}
 * ({@code torchvision/transforms/autoaugment.py}, torchvision 0.14): {@code numOps} times, an op is drawn uniformly
 * from the 14 of {@link Op}, its magnitude is bin {@code magnitude} of the op's range over 31 bins, and signed ops
 * are negated with probability ½. Fill is 0 (grid_sample's zero padding).
 *
 * <p>With magnitude 10 of 31 bins (docs/benchmark.md §3): shear ±0.1, translate ±(150/331)·side/3 (truncated to whole
 * pixels), rotate ±10°, brightness/colour/contrast/sharpness factor 1 ± 0.3, posterize 7 bits, solarize threshold
 * 170.
 */
public record RandAugment(int numOps, int magnitude, int bins) implements ImageOp {

    public static final RandAugment BENCHMARK = new RandAugment(2, 10, 31);

    /** The op space in torchvision's order (the index drawn selects from this list). */
    public enum Op {
        IDENTITY(0, false), SHEAR_X(0.3, true), SHEAR_Y(0.3, true), TRANSLATE_X(150.0 / 331.0, true),
        TRANSLATE_Y(150.0 / 331.0, true), ROTATE(30, true), BRIGHTNESS(0.9, true), COLOR(0.9, true),
        CONTRAST(0.9, true), SHARPNESS(0.9, true), POSTERIZE(0, false), SOLARIZE(0, false), AUTO_CONTRAST(0, false),
        EQUALIZE(0, false);

        final double max;
        final boolean signed;

        Op(double max, boolean signed) {
            this.max = max;
            this.signed = signed;
        }
    }

    private static final List<Op> OPS = List.of(Op.values());

    public RandAugment {
        if (numOps < 0 || bins < 2 || magnitude < 0 || magnitude >= bins) {
            throw new IllegalArgumentException("bad RandAugment(" + numOps + ", " + magnitude + ", " + bins + ")");
        }
    }

    /**
     * The unsigned magnitude of an op at this setting for an image of the given size, as
     * {@code _augmentation_space(...)[op][magnitude]} (linspace values; posterize {@code 8 − round(m/((bins−1)/4))};
     * solarize {@code linspace(255, 0)}; 0 for the magnitude-free ops).
     */
    public double magnitudeOf(Op op, int height, int width) {
        double share = (double) magnitude / (bins - 1);
        return switch (op) {
            case TRANSLATE_X -> op.max * width * share;
            case TRANSLATE_Y -> op.max * height * share;
            case POSTERIZE -> 8 - Math.rint(magnitude / ((bins - 1) / 4.0));
            case SOLARIZE -> 255.0 - 255.0 * share;
            case IDENTITY, AUTO_CONTRAST, EQUALIZE -> 0;
            default -> op.max * share;
        };
    }

    /** One drawn op with its signed magnitude. */
    public record Applied(Op op, double magnitude) {
    }

    /** Draws {@code numOps} ops and their signs (the RNG consumption of torchvision's forward). */
    public Applied[] sample(int height, int width, Random rng) {
        Applied[] out = new Applied[numOps];
        for (int i = 0; i < numOps; i++) {
            Op op = OPS.get(rng.nextInt(OPS.size()));
            double m = magnitudeOf(op, height, width);
            if (op.signed && rng.nextBoolean()) {
                m = -m;
            }
            out[i] = new Applied(op, m);
        }
        return out;
    }

    @Override
    public void apply(RgbImage img, Random rng) {
        for (Applied a : sample(img.height(), img.width(), rng)) {
            apply(img, a.op(), a.magnitude());
        }
    }

    /** {@code _apply_op}. */
    public static void apply(RgbImage img, Op op, double m) {
        switch (op) {
            case IDENTITY -> {
            }
            case SHEAR_X -> Affine.shearX(img, m);
            case SHEAR_Y -> Affine.shearY(img, m);
            case TRANSLATE_X -> Affine.translate(img, (int) m, 0);
            case TRANSLATE_Y -> Affine.translate(img, 0, (int) m);
            case ROTATE -> Affine.rotate(img, m);
            case BRIGHTNESS -> ColorOps.brightness(img, 1 + m);
            case COLOR -> ColorOps.saturation(img, 1 + m);
            case CONTRAST -> ColorOps.contrast(img, 1 + m);
            case SHARPNESS -> ColorOps.sharpness(img, 1 + m);
            case POSTERIZE -> ColorOps.posterize(img, (int) m);
            case SOLARIZE -> ColorOps.solarize(img, m);
            case AUTO_CONTRAST -> ColorOps.autocontrast(img);
            case EQUALIZE -> ColorOps.equalize(img);
            default -> throw new IllegalStateException(op.name());
        }
    }
}
