package io.xscore.common.cost;

import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.catalog.DatasetInfo;
import io.xscore.common.catalog.ModelDefinitions;
import io.xscore.common.messaging.CostEstimate;
import io.xscore.common.protocol.ProtocolSpec;
import java.util.Comparator;
import java.util.Optional;

/**
 * The cost model by which the planner orders an evaluation's jobs, longest first (docs/scheduling.md):
 *
 * <pre>
 *   trainingMacs = 3 × macsPerImage(model, resolution) × trainImages × epochs
 * </pre>
 *
 * <ul>
 *   <li>{@code macsPerImage}: multiply-accumulates of one forward pass of one image at the resolution the job trains
 *       at (the protocol's {@code resolution}, else the dataset's own), from {@link ModelDefinitions}
 *       (convolutions, linear layers and attention matmuls, counted on the trainer's real blocks);</li>
 *   <li>{@code 3 ×}: a training step is a forward pass and a backward pass, and the backward pass costs about twice
 *       the forward (gradients with respect to the activations and to the weights);</li>
 *   <li>{@code trainImages}: the dataset's training split ({@link DatasetCatalog}), or the protocol's
 *       {@code trainSubset} when it is smaller (the trainer keeps {@code min(trainSubset, split)} images);</li>
 *   <li>{@code epochs}: the resolved protocol's epochs.</li>
 * </ul>
 *
 * It ignores data loading and augmentation, the per-epoch evaluation passes on the test split (forward only, about
 * {@code testImages / (3 × trainImages)} of the training cost per epoch), and the efficiency of the hardware, which
 * depends on the model and the resolution (at 32 px small models are bound by per-operation overhead, not MACs). It
 * orders jobs; it does not predict their duration. {@code seconds} divides the training MACs by a reference rate of
 * the device (training MACs per second), and is therefore an estimate of the same quality.
 *
 * <p>Framework-free: used by the gateway's planner, usable by any service.
 */
public final class TrainingCost {

    /** Forward + backward ≈ 3 × forward. */
    public static final int PASSES = 3;

    private TrainingCost() {
    }

    /** The resolution a job trains at: the protocol's when it sets one, else the dataset's own (docs/benchmark.md §2). */
    public static int resolution(ProtocolSpec protocol, DatasetInfo dataset) {
        return protocol.resolution() != null ? protocol.resolution() : dataset.resolution();
    }

    /** Training images per epoch: the dataset's training split, or the protocol's subset when it is smaller. */
    public static long trainImages(ProtocolSpec protocol, DatasetInfo dataset) {
        return protocol.trainSubset() == null ? dataset.trainImages()
                : Math.min(protocol.trainSubset(), dataset.trainImages());
    }

    /**
     * The estimate from its three factors.
     *
     * @param macsPerSecond training MACs per second of the reference device; null or not positive for no seconds
     */
    public static CostEstimate of(long macsPerImage, long trainImages, int epochs, Double macsPerSecond) {
        double trainingMacs = (double) PASSES * macsPerImage * trainImages * epochs;
        Double seconds = macsPerSecond == null || !(macsPerSecond > 0) ? null : trainingMacs / macsPerSecond;
        return new CostEstimate(macsPerImage, trainImages, epochs, trainingMacs, seconds);
    }

    /**
     * The estimate of training {@code model} on {@code dataset} under the resolved protocol, or empty when the model's
     * MACs or the dataset are unknown.
     */
    public static Optional<CostEstimate> estimate(String model, String dataset, ProtocolSpec protocol,
                                                  Double macsPerSecond) {
        Optional<DatasetInfo> info = DatasetCatalog.find(dataset);
        if (info.isEmpty()) {
            return Optional.empty();
        }
        int resolution = resolution(protocol, info.get());
        return ModelDefinitions.find(model)
                .filter(d -> !d.macsByResolution().isEmpty())
                .map(d -> of(d.macs(resolution), trainImages(protocol, info.get()), protocol.epochs(),
                        macsPerSecond));
    }

    /**
     * Longest first: descending training MACs; an unknown estimate (null) counts as the longest, so a job of unknown
     * cost is never the one left running at the end. Ties are broken by the caller's key.
     */
    public static Comparator<CostEstimate> longestFirst() {
        return Comparator.nullsFirst(Comparator.comparingDouble(CostEstimate::trainingMacs).reversed());
    }
}
