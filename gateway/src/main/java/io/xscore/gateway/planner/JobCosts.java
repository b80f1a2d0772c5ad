package io.xscore.gateway.planner;

import io.xscore.common.cost.TrainingCost;
import io.xscore.common.messaging.CostEstimate;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The planner's cost estimates ({@link TrainingCost}, docs/scheduling.md) and the order it publishes an evaluation's
 * new jobs in: longest first. Trainers of the share group each take the next job when they become idle, so the
 * publishing order is the scheduling order, and longest-processing-time-first keeps the makespan close to the best
 * possible (at most 4/3 of it for independent jobs on identical trainers).
 */
@ApplicationScoped
public class JobCosts {

    private final Double referenceRate;
    private final String referenceDevice;

    public JobCosts(GatewayConfig config) {
        this.referenceDevice = config.cost().referenceDevice();
        this.referenceRate = config.cost().macsPerSecond().get(referenceDevice);
    }

    /** The device whose rate gives the estimated seconds (null seconds when it has no configured rate). */
    public String referenceDevice() {
        return referenceDevice;
    }

    /** The estimate of one job, or null when its model's MACs or its dataset are unknown. */
    public CostEstimate estimate(String model, String dataset, ProtocolSpec protocol) {
        return TrainingCost.estimate(model, dataset, protocol, referenceRate).orElse(null);
    }

    /** Every job's estimate (null for unknown), in the jobs' order. */
    public Map<EvaluationPlanning.JobSpec, CostEstimate> estimates(List<EvaluationPlanning.JobSpec> jobs,
            ProtocolSpec protocol) {
        Map<EvaluationPlanning.JobSpec, CostEstimate> estimates = new LinkedHashMap<>();
        for (EvaluationPlanning.JobSpec job : jobs) {
            estimates.put(job, estimate(job.model(), job.dataset(), protocol));
        }
        return estimates;
    }

    /**
     * The jobs in publishing order: descending estimated training MACs (an unknown estimate first), ties broken by
     * model, dataset, seed and job id, so the same request is always published in the same order.
     */
    public static List<EvaluationPlanning.JobSpec> longestFirst(Map<EvaluationPlanning.JobSpec, CostEstimate> costs) {
        List<EvaluationPlanning.JobSpec> order = new ArrayList<>(costs.keySet());
        order.sort(Comparator.<EvaluationPlanning.JobSpec, CostEstimate>comparing(costs::get, TrainingCost.longestFirst())
                .thenComparing(EvaluationPlanning.JobSpec::model)
                .thenComparing(EvaluationPlanning.JobSpec::dataset)
                .thenComparingLong(EvaluationPlanning.JobSpec::seed)
                .thenComparing(EvaluationPlanning.JobSpec::jobId));
        return order;
    }
}
