package io.xscore.gateway.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xscore.common.cost.TrainingCost;
import io.xscore.common.messaging.CostEstimate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The publishing order: longest first, unknown costs first, ties deterministic whatever the request's order. */
class JobCostsTest {

    @Test
    void longestFirstWithDeterministicTies() {
        EvaluationPlanning.JobSpec smallA = spec("small", "a", 0);
        EvaluationPlanning.JobSpec smallB = spec("small", "b", 0);
        EvaluationPlanning.JobSpec smallB1 = spec("small", "b", 1);
        EvaluationPlanning.JobSpec big = spec("big", "a", 0);
        EvaluationPlanning.JobSpec unknown = spec("unknown", "a", 0);
        CostEstimate small = TrainingCost.of(10, 100, 1, null);
        Map<EvaluationPlanning.JobSpec, CostEstimate> costs = new LinkedHashMap<>();
        costs.put(smallB1, small);
        costs.put(smallB, small);
        costs.put(big, TrainingCost.of(1_000, 100, 1, null));
        costs.put(smallA, small);
        costs.put(unknown, null);
        assertEquals(List.of(unknown, big, smallA, smallB, smallB1), JobCosts.longestFirst(costs));
    }

    static EvaluationPlanning.JobSpec spec(String model, String dataset, long seed) {
        return new EvaluationPlanning.JobSpec(model + "/" + dataset + "/" + seed, model, dataset, seed, null);
    }
}
