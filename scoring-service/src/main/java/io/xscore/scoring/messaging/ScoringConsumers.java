package io.xscore.scoring.messaging;

import io.smallrye.common.annotation.Blocking;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.scoring.config.ScoringConfig;
import io.xscore.scoring.service.PlanChecks;
import io.xscore.scoring.service.ScoringService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code xscore.training-results} and {@code xscore.evaluation-plans} (group {@code scoring-service}). A
 * record that is not valid (malformed JSON, schema violation, or a plan failing {@link PlanChecks}) makes the method
 * throw, which nacks it: SmallRye writes it to {@code <topic>.dlq.scoring-service} with the reason in the
 * {@code dead-letter-reason} header, and the consumer continues. Valid records are retried a few times on errors.
 */
@ApplicationScoped
public class ScoringConsumers {

    private final ScoringService scoring;
    private final ScoringConfig config;

    public ScoringConsumers(ScoringService scoring, ScoringConfig config) {
        this.scoring = scoring;
        this.config = config;
    }

    @Incoming("training-results")
    @Blocking
    public void result(String payload) {
        TrainingResult result = MessageCodec.decode(payload, TrainingResult.class);
        Attempts.run(config.attempts(), "result of job " + result.jobId(), () -> scoring.onResult(result));
    }

    @Incoming("evaluation-plans")
    @Blocking
    public void plan(String payload) {
        EvaluationPlan plan = PlanChecks.check(MessageCodec.decode(payload, EvaluationPlan.class));
        Attempts.run(config.attempts(), "plan of evaluation " + plan.evaluationId(), () -> scoring.onPlan(plan));
    }
}
