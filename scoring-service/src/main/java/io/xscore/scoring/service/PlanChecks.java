package io.xscore.scoring.service;

import io.xscore.common.json.InvalidMessageException;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.EvaluationPlan.PlannedJob;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Consistency checks of a plan beyond its JSON Schema; a plan failing them is dead-lettered (its reason is the
 * exception message). Every job must name a model, dataset and seed listed in the plan; job ids are unique; and
 * every (model, dataset) pair of the lists has at least one job, so a complete model has an accuracy on every
 * dataset of the evaluation.
 */
public final class PlanChecks {

    private PlanChecks() {
    }

    public static EvaluationPlan check(EvaluationPlan plan) {
        Set<String> jobIds = new HashSet<>();
        Map<String, Set<String>> datasetsByModel = new HashMap<>();
        for (PlannedJob job : plan.jobs()) {
            if (!jobIds.add(job.jobId())) {
                throw invalid(plan, "job id " + job.jobId() + " appears twice");
            }
            if (!plan.models().contains(job.model()) || !plan.datasets().contains(job.dataset())
                    || !plan.seeds().contains(job.seed())) {
                throw invalid(plan, "job " + job.jobId() + " (" + job.model() + ", " + job.dataset() + ", seed "
                        + job.seed() + ") is outside the plan's models, datasets or seeds");
            }
            datasetsByModel.computeIfAbsent(job.model(), m -> new HashSet<>()).add(job.dataset());
        }
        for (String model : plan.models()) {
            for (String dataset : plan.datasets()) {
                if (!datasetsByModel.getOrDefault(model, Set.of()).contains(dataset)) {
                    throw invalid(plan, "no job for model " + model + " on dataset " + dataset);
                }
            }
        }
        if (plan.datasets().stream().distinct().count() != plan.datasets().size()
                || plan.models().stream().distinct().count() != plan.models().size()) {
            throw invalid(plan, "models and datasets must not repeat");
        }
        return plan;
    }

    private static InvalidMessageException invalid(EvaluationPlan plan, String reason) {
        return new InvalidMessageException("EvaluationPlan " + plan.evaluationId() + " is inconsistent: " + reason);
    }
}
