package io.xscore.gateway.planner;

import io.xscore.augment.AugmentationDefinitions;
import io.xscore.common.catalog.ModelDefinitions;
import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.common.messaging.JobIdentity;
import io.xscore.common.protocol.JobIds;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fans a validated request out into its jobs: every (model, dataset, seed), each with its identity and the stable job
 * id derived from it ({@link JobIds}): the resolved protocol, the model definition's digest
 * ({@link ModelDefinitions}), the dataset's content digest (from the dataset service) and the digest of the
 * augmentation pipeline the protocol resolves to for the dataset ({@link AugmentationDefinitions}).
 */
public final class EvaluationPlanning {

    private EvaluationPlanning() {
    }

    /** A job of the evaluation before the planner knows whether it can be reused. */
    public record JobSpec(String jobId, String model, String dataset, long seed, JobIdentity identity) {
    }

    public static ProtocolSpec protocolOf(EvaluationRequest request) {
        return Protocols.resolve(request.protocol(), request.overrides());
    }

    /**
     * The request's jobs, given the content digest of each of its datasets. Throws {@link IllegalStateException}
     * for a model without a definition or a dataset without a digest (the caller resolves digests first).
     */
    public static List<JobSpec> jobs(EvaluationRequest request, Map<String, String> datasetDigests) {
        ProtocolSpec protocol = protocolOf(request);
        Map<String, String> modelDigests = new HashMap<>();
        for (String model : request.models()) {
            modelDigests.put(model, modelDigest(model));
        }
        List<JobSpec> jobs = new ArrayList<>();
        for (String model : request.models()) {
            for (String dataset : request.datasets()) {
                String datasetDigest = datasetDigests.get(dataset);
                if (datasetDigest == null) {
                    throw new IllegalStateException("no content digest for dataset " + dataset);
                }
                JobIdentity identity = JobIds.withRobustness(JobIds.identity(protocol, modelDigests.get(model),
                        datasetDigest, AugmentationDefinitions.digest(protocol.augmentation(), dataset)),
                        request.robustness());
                for (long seed : request.seeds()) {
                    jobs.add(new JobSpec(JobIds.jobId(model, dataset, seed, identity), model, dataset, seed,
                            identity));
                }
            }
        }
        return jobs;
    }

    /** The digest of a catalog model's definition. */
    public static String modelDigest(String model) {
        return ModelDefinitions.find(model).map(ModelDefinitions.ModelDefinition::digest)
                .orElseThrow(() -> new IllegalStateException("model " + model + " has no definition"));
    }
}
