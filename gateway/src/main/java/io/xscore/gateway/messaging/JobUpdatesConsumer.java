package io.xscore.gateway.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.gateway.service.EvaluationUpdates;
import io.xscore.support.logging.LogContext;
import io.xscore.support.messaging.RecordProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Keeps the gateway's evaluation view current from the trainers' progress and results and the scoring service's
 * score sets. {@link RecordProcessor} dead-letters invalid records and holds the channel while MongoDB is down.
 */
@ApplicationScoped
public class JobUpdatesConsumer {

    private final RecordProcessor records;
    private final EvaluationUpdates updates;

    public JobUpdatesConsumer(RecordProcessor records, EvaluationUpdates updates) {
        this.records = records;
        this.updates = updates;
    }

    @Incoming("training-progress")
    @Blocking(ordered = true)
    public CompletionStage<Void> progress(Message<String> message) {
        return records.process("training-progress", message, TrainingProgress.class,
                p -> LogContext.of(p.evaluationId(), p.jobId()), updates::progress);
    }

    @Incoming("training-results")
    @Blocking(ordered = true)
    public CompletionStage<Void> result(Message<String> message) {
        return records.process("training-results", message, TrainingResult.class,
                r -> LogContext.of(r.evaluationId(), r.jobId()), updates::result);
    }

    @Incoming("scores")
    @Blocking(ordered = true)
    public CompletionStage<Void> scores(Message<String> message) {
        return records.process("scores", message, ScoreSet.class, s -> LogContext.evaluation(s.evaluationId()),
                updates::scores);
    }
}
