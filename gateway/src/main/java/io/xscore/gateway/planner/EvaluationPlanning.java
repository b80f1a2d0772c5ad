package io.xscore.gateway.planner;

import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.common.protocol.JobIds;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import java.util.ArrayList;
import java.util.List;

/** Fans a validated request out into its jobs: every (model, dataset, seed), each with its stable job id. */
public final class EvaluationPlanning {

    private EvaluationPlanning() {
    }

    /** A job of the evaluation before the planner knows whether it can be reused. */
    public record JobSpec(String jobId, String model, String dataset, long seed) {
    }

    public static ProtocolSpec protocolOf(EvaluationRequest request) {
        return Protocols.resolve(request.protocol(), request.overrides());
    }

    public static List<JobSpec> jobs(EvaluationRequest request) {
        ProtocolSpec protocol = protocolOf(request);
        List<JobSpec> jobs = new ArrayList<>();
        for (String model : request.models()) {
            for (String dataset : request.datasets()) {
                for (long seed : request.seeds()) {
                    jobs.add(new JobSpec(JobIds.jobId(protocol, model, dataset, seed), model, dataset, seed));
                }
            }
        }
        return jobs;
    }
}
