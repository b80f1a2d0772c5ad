package io.xscore.dataset.augmentation;

import java.util.List;

/**
 * Body of {@code POST /api/v1/datasets/{id}/augmented}: which epochs to pre-compute, e.g.
 * {@code {"split":"train","augmentation":"paper","resolution":32,"seed":0,"epochs":[0,1,2]}}. Every field is required.
 */
public record AugmentationRequest(String split, String augmentation, Integer resolution, Long seed,
        List<Integer> epochs) {
}
