package io.xscore.scoring.messaging;

import io.smallrye.common.annotation.Blocking;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.scoring.config.ScoringConfig;
import io.xscore.scoring.service.PlanChecks;
import io.xscore.scoring.service.ScoringService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code xscore.evaluation-plans} (group {@code scoring-service}). Invalid plans (bad JSON, schema
 * violation, or inconsistent per {@link PlanChecks}) are nacked to {@code xscore.evaluation-plans.dlq.scoring-service}.
 */
@ApplicationScoped
public class EvaluationPlanConsumer {

    private final ScoringService scoring;
    private final ScoringConfig config;

    public EvaluationPlanConsumer(ScoringService scoring, ScoringConfig config) {
        this.scoring = scoring;
        this.config = config;
    }

    @Incoming("evaluation-plans")
    @Blocking
    public void consume(String payload) {
        EvaluationPlan plan = PlanChecks.check(MessageCodec.decode(payload, EvaluationPlan.class));
        Attempts.run(config.attempts(), "plan of evaluation " + plan.evaluationId(), () -> scoring.onPlan(plan));
    }
}
