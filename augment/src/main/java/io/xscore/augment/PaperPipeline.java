package io.xscore.augment;

import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * One training pipeline of the paper's protocol (docs/benchmark.md §3, {@code augmentation = "paper"}), before
 * CutMix: a random resized crop (or, when {@code crop} is null, the whole image resized), a horizontal flip, image
 * ops on the resized 8-bit image, and an optional RandomErasing on the normalised tensor. Which dataset gets which
 * pipeline is data, not code: {@code protocols/augmentations/paper.json} ({@link PipelineTable}) — cifar10,
 * mit_indoor67, miniplaces: RandAugment(2, 10) then ColorJitter(0.2, 0.3, 0.3, 0.2); cifar100 the same plus
 * RandomErasing(0.25); imagenette ColorJitter then RandAugment; stanford_dogs ColorJitter; ham10000 a resize and the
 * flip only; datasets outside the paper's seven the {@code cifar-style} pipeline at their own resolution.
 * Test images: resize + centre crop ({@link Augmentation#NONE}). Crop and flip happen in the one resampling of
 * {@link io.xscore.augment.Resampler}; RandAugment and ColorJitter on the resized uint8 image; RandomErasing
 * on the normalised batch as an NDArray op.
 */
public record PaperPipeline(String name, RandomResizedCrop crop, List<ImageOp> ops, RandomErasing erasing)
        implements Augmentation {

    private static final PipelineTable PAPER = PipelineTable.load("paper");

    /** A pipeline with the benchmark's crop ({@link RandomResizedCrop#BENCHMARK}) or a plain resize. */
    public PaperPipeline(String name, boolean randomCrop, List<ImageOp> ops, RandomErasing erasing) {
        this(name, randomCrop ? RandomResizedCrop.BENCHMARK : null, ops, erasing);
    }

    /** The paper protocol's pipeline for a dataset (protocols/augmentations/paper.json). */
    public static PaperPipeline forDataset(String dataset) {
        return PAPER.forDataset(dataset);
    }

    /** Whether a random resized crop is taken (else the whole image is resized). */
    public boolean randomCrop() {
        return crop != null;
    }

    @Override
    public Choice sample(int height, int width, Random rng) {
        Crop region = crop != null ? crop.sample(height, width, rng) : Crop.whole(height, width);
        return new Choice(region, rng.nextDouble() < FLIP_PROBABILITY);
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
        return name + ": " + (crop != null ? describe(crop) : "Resize") + " + flip"
                + (steps.isEmpty() ? "" : " + " + steps)
                + (erasing == null ? "" : " + RandomErasing(" + erasing.p() + ")");
    }

    private static String describe(RandomResizedCrop c) {
        String ratio = c.ratioMin() == c.ratioMax() ? number(c.ratioMin())
                : number(c.ratioMin()) + "-" + number(c.ratioMax());
        return "RandomResizedCrop(" + number(c.scaleMin()) + "-" + number(c.scaleMax()) + ", ratio " + ratio + ")";
    }

    /** 1.0 as "1", 0.9 as "0.9": how the descriptions have always written these parameters. */
    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
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
