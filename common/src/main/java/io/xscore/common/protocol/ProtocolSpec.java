package io.xscore.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A named, versioned training protocol with every hyper-parameter resolved (docs/benchmark.md §3). Protocols are
 * configuration: the definitions live in {@code protocols/<name>.json} and are loaded by {@link Protocols}; a job
 * carries the resolved spec so a result always records exactly what ran.
 *
 * @param paper            true for the paper's protocol: only such results go on the reference scale
 * @param lrMaxByModel     per-model-family exceptions to {@code lrMax} (MobileViT trains at 1e-4)
 * @param weightDecay      recorded, must be 0: the paper trains with plain Adam, weight decay 0 (docs/benchmark.md §3), and
 *                         the trainer applies none. The field stays because it is part of every job id's canonical
 *                         spec and of every record written so far; {@link Protocols} refuses a definition with
 *                         another value, the schema ({@code maximum 0}) a message with one, and the trainer a job
 * @param trainSubset      null for the full training split, else the first N images of a seeded shuffle
 * @param testSubset       null for the full test split
 * @param resolution       null for the dataset's own resolution (§2)
 * @param augmentation     {@code paper} (the per-dataset pipelines of §3) or {@code light} (crop + flip)
 * @param overrides        the job-level overrides applied on top of the named definition (non-paper only)
 * @param adversarialTraining null for standard training; else every batch is attacked and the model trained on the
 *                         attack (classic adversarial training or TRADES, {@link AdversarialTraining}); only non-paper
 *                         protocols have it, and it is absent (so left out of the canonical JSON and of job ids) for
 *                         every protocol without it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProtocolSpec(
        String name,
        int version,
        boolean paper,
        int epochs,
        int warmupEpochs,
        double lrMax,
        double lrMin,
        Map<String, Double> lrMaxByModel,
        int batchSize,
        double labelSmoothing,
        double cutmixAlpha,
        double adamBeta1,
        double adamBeta2,
        double adamEpsilon,
        double weightDecay,
        Integer trainSubset,
        Integer testSubset,
        Integer resolution,
        String augmentation,
        Map<String, Integer> overrides,
        AdversarialTraining adversarialTraining) {

    public ProtocolSpec {
        if (paper && adversarialTraining != null) {
            throw new IllegalArgumentException("protocol " + name + ": a paper protocol has no adversarial training");
        }
    }

    /** A protocol with standard training (no {@link AdversarialTraining}): the signature before robust training. */
    public ProtocolSpec(String name, int version, boolean paper, int epochs, int warmupEpochs, double lrMax,
                        double lrMin, Map<String, Double> lrMaxByModel, int batchSize, double labelSmoothing,
                        double cutmixAlpha, double adamBeta1, double adamBeta2, double adamEpsilon, double weightDecay,
                        Integer trainSubset, Integer testSubset, Integer resolution, String augmentation,
                        Map<String, Integer> overrides) {
        this(name, version, paper, epochs, warmupEpochs, lrMax, lrMin, lrMaxByModel, batchSize, labelSmoothing,
                cutmixAlpha, adamBeta1, adamBeta2, adamEpsilon, weightDecay, trainSubset, testSubset, resolution,
                augmentation, overrides, null);
    }

    /**
     * The record's usual text, without {@code adversarialTraining} when it is absent: the trainer's checkpoint
     * fingerprints contain this text, so checkpoints written before the field existed still match their jobs.
     */
    @Override
    public String toString() {
        String text = "ProtocolSpec[name=" + name + ", version=" + version + ", paper=" + paper + ", epochs=" + epochs
                + ", warmupEpochs=" + warmupEpochs + ", lrMax=" + lrMax + ", lrMin=" + lrMin + ", lrMaxByModel="
                + lrMaxByModel + ", batchSize=" + batchSize + ", labelSmoothing=" + labelSmoothing + ", cutmixAlpha="
                + cutmixAlpha + ", adamBeta1=" + adamBeta1 + ", adamBeta2=" + adamBeta2 + ", adamEpsilon="
                + adamEpsilon + ", weightDecay=" + weightDecay + ", trainSubset=" + trainSubset + ", testSubset="
                + testSubset + ", resolution=" + resolution + ", augmentation=" + augmentation + ", overrides="
                + overrides;
        return text + (adversarialTraining == null ? "]" : ", adversarialTraining=" + adversarialTraining + "]");
    }

    /** The peak learning rate for a model id: the family exception if one matches its prefix, else lrMax. */
    public double lrMaxFor(String model) {
        if (lrMaxByModel != null) {
            for (Map.Entry<String, Double> e : lrMaxByModel.entrySet()) {
                if (model.equals(e.getKey()) || model.startsWith(e.getKey() + "-")) {
                    return e.getValue();
                }
            }
        }
        return lrMax;
    }
}
