package io.xscore.scoring.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.scoring.service.PlanChecks;
import io.xscore.scoring.service.ScoringService;
import io.xscore.support.logging.LogContext;
import io.xscore.support.messaging.RecordProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes {@code xscore.training-results} and {@code xscore.evaluation-plans} (group {@code scoring-service})
 * through {@link RecordProcessor}: a record that is not valid (malformed JSON, schema violation, or a plan failing
 * {@link PlanChecks}) goes to {@code <topic>.dlq.scoring-service} with the reason in the {@code dead-letter-reason}
 * header; a valid record is held and retried while MongoDB or the broker is unavailable (readiness DOWN meanwhile),
 * never dead-lettered for it.
 */
@ApplicationScoped
public class ScoringConsumers {

    private final RecordProcessor records;
    private final ScoringService scoring;

    public ScoringConsumers(RecordProcessor records, ScoringService scoring) {
        this.records = records;
        this.scoring = scoring;
    }

    @Incoming("training-results")
    @Blocking(ordered = true)
    public CompletionStage<Void> result(Message<String> message) {
        return records.process("training-results", message, TrainingResult.class,
                r -> LogContext.of(r.evaluationId(), r.jobId()), scoring::onResult);
    }

    @Incoming("evaluation-plans")
    @Blocking(ordered = true)
    public CompletionStage<Void> plan(Message<String> message) {
        return records.process("evaluation-plans", message,
                payload -> PlanChecks.check(MessageCodec.decode(payload, EvaluationPlan.class)),
                plan -> LogContext.evaluation(plan.evaluationId()), scoring::onPlan);
    }
}
