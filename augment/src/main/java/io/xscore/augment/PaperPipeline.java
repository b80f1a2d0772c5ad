package io.xscore.augment;

import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The per-dataset training pipelines of docs/benchmark.md §3 ({@code augmentation = "paper"}), before CutMix:
 * <ul>
 *   <li>cifar10, mit_indoor67, miniplaces: RandomResizedCrop(res, scale 0.9–1.1, ratio 1), flip p=0.5,
 *       RandAugment(2, 10), ColorJitter(0.2, 0.3, 0.3, 0.2);</li>
 *   <li>cifar100: the same plus RandomErasing(p=0.25) on the normalised tensor;</li>
 *   <li>imagenette: RandomResizedCrop(160), flip, ColorJitter, then RandAugment (this order, as listed);</li>
 *   <li>stanford_dogs: RandomResizedCrop(224) from the stored 256 px images, flip, ColorJitter;</li>
 *   <li>ham10000: resize to 224 (the whole image, no crop), flip only;</li>
 *   <li>datasets outside the paper's seven (fashion-mnist, synthetic-*): the cifar pipeline without erasing, at the
 *       dataset's own resolution (the {@code cifar-style} entry), named in the result's trainer description.</li>
 * </ul>
 * Test images: resize + centre crop ({@link Augmentation#NONE}). Crop and flip happen in the one resampling of
 * {@link io.xscore.augment.Resampler}; RandAugment and ColorJitter on the resized uint8 image; RandomErasing
 * on the normalised batch as an NDArray op.
 */
public record PaperPipeline(String name, boolean randomCrop, List<ImageOp> ops, RandomErasing erasing)
        implements Augmentation {

    private static final List<ImageOp> RA_CJ = List.of(RandAugment.BENCHMARK, ColorJitter.BENCHMARK);

    public static PaperPipeline forDataset(String dataset) {
        return switch (dataset) {
            case "cifar10", "mit_indoor67", "miniplaces" -> new PaperPipeline("paper/" + dataset, true, RA_CJ, null);
            case "cifar100" -> new PaperPipeline("paper/cifar100", true, RA_CJ, RandomErasing.withProbability(0.25));
            case "imagenette" -> new PaperPipeline("paper/imagenette", true,
                    List.of(ColorJitter.BENCHMARK, RandAugment.BENCHMARK), null);
            case "stanford_dogs" -> new PaperPipeline("paper/stanford_dogs", true, List.of(ColorJitter.BENCHMARK),
                    null);
            case "ham10000" -> new PaperPipeline("paper/ham10000", false, List.of(), null);
            default -> new PaperPipeline("paper/cifar-style", true, RA_CJ, null);
        };
    }

    @Override
    public Choice sample(int height, int width, Random rng) {
        Crop crop = randomCrop ? RandomResizedCrop.BENCHMARK.sample(height, width, rng) : Crop.whole(height, width);
        return new Choice(crop, rng.nextDouble() < FLIP_PROBABILITY);
    }

    @Override
    public boolean hasImageOps() {
        return !ops.isEmpty();
    }

    @Override
    public void applyImageOps(RgbImage img, Random rng) {
        for (ImageOp op : ops) {
            op.apply(img, rng);
        }
    }

    @Override
    public String description() {
        String steps = ops.stream().map(PaperPipeline::describe).collect(Collectors.joining(" + "));
        return name + ": " + (randomCrop ? "RandomResizedCrop(0.9-1.1, ratio 1)" : "Resize") + " + flip"
                + (steps.isEmpty() ? "" : " + " + steps)
                + (erasing == null ? "" : " + RandomErasing(" + erasing.p() + ")");
    }

    private static String describe(ImageOp op) {
        if (op instanceof RandAugment ra) {
            return "RandAugment(" + ra.numOps() + ", " + ra.magnitude() + ")";
        }
        if (op instanceof ColorJitter cj) {
            return "ColorJitter(" + cj.brightness() + ", " + cj.contrast() + ", " + cj.saturation() + ", " + cj.hue()
                    + ")";
        }
        return op.toString();
    }
}
