package io.xscore.trainer.augment;

import java.util.Random;

/**
 * A per-image training transform: which region of the source to take and whether to mirror it. The crop is resized
 * to the training resolution by {@link Resampler}, in one interpolation as torchvision's RandomResizedCrop does.
 */
public interface Augmentation {

    record Choice(Crop crop, boolean flip) {
    }

    Choice sample(int height, int width, Random rng);

    /** "light": RandomResizedCrop(scale 0.9–1.1, ratio 1) then horizontal flip with p = 0.5. */
    Augmentation LIGHT = (h, w, rng) -> {
        Crop crop = RandomResizedCrop.BENCHMARK.sample(h, w, rng);
        return new Choice(crop, rng.nextDouble() < 0.5);
    };

    /** Evaluation: resize + centre crop, no flip. */
    Augmentation NONE = (h, w, rng) -> new Choice(Crop.centreSquare(h, w), false);

    /**
     * The pipeline a protocol names. Throws {@link UnsupportedOperationException} for "paper" (RandAugment,
     * ColorJitter, RandomErasing come in a later issue): a job must fail rather than silently train otherwise.
     */
    static Augmentation named(String name) {
        if ("light".equals(name)) {
            return LIGHT;
        }
        if ("paper".equals(name)) {
            throw new UnsupportedOperationException("augmentation pipeline 'paper' is not implemented yet");
        }
        throw new UnsupportedOperationException("unknown augmentation pipeline '" + name + "'");
    }
}
