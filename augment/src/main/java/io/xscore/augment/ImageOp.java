package io.xscore.augment;

import java.util.Random;

/** A random per-image op on the resized 8-bit image (RandAugment, ColorJitter). */
public interface ImageOp {
    void apply(RgbImage img, Random rng);
}
