package io.xscore.augment;

import java.util.Random;

/**
 * A per-image training transform: which region of the source to take and whether to mirror it (resized to the
 * training resolution by {@link Resampler} in one interpolation, as torchvision's RandomResizedCrop does), then
 * optional ops on the resized 8-bit image and an optional RandomErasing on the normalised batch.
 */
public interface Augmentation {

    record Choice(Crop crop, boolean flip) {
    }

    Choice sample(int height, int width, Random rng);

    /** Whether {@link #applyImageOps} does anything (then batches go through an 8-bit intermediate image). */
    default boolean hasImageOps() {
        return false;
    }

    /** RandAugment / ColorJitter on the resized, flipped 8-bit image. */
    default void applyImageOps(RgbImage img, Random rng) {
    }

    /** RandomErasing applied to the normalised batch, or null. */
    default RandomErasing erasing() {
        return null;
    }

    default String description() {
        return "light: RandomResizedCrop(0.9-1.1, ratio 1) + flip";
    }

    /** Probability of the horizontal flip of every training pipeline (part of {@link AugmentationDefinitions}). */
    double FLIP_PROBABILITY = 0.5;

    /** "light": RandomResizedCrop(scale 0.9–1.1, ratio 1) then horizontal flip with p = 0.5. */
    Augmentation LIGHT = (h, w, rng) -> {
        Crop crop = RandomResizedCrop.BENCHMARK.sample(h, w, rng);
        return new Choice(crop, rng.nextDouble() < FLIP_PROBABILITY);
    };

    /** Evaluation: resize + centre crop, no flip. */
    Augmentation NONE = (h, w, rng) -> new Choice(Crop.centreSquare(h, w), false);

    /** The pipeline a protocol names for a dataset: "light", or "paper" ({@link PaperPipeline#forDataset}). */
    static Augmentation forJob(String name, String dataset) {
        if ("light".equals(name)) {
            return LIGHT;
        }
        if ("paper".equals(name)) {
            return PaperPipeline.forDataset(dataset);
        }
        throw new UnsupportedOperationException("unknown augmentation pipeline '" + name + "'");
    }
}
