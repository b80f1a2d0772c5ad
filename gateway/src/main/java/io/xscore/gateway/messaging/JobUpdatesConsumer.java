package io.xscore.gateway.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.xscore.common.json.InvalidMessageException;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.gateway.repository.EvaluationRepository;
import io.xscore.gateway.repository.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.bson.Document;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/** Keeps the gateway's evaluation view current from the trainers' progress and results and the scoring service. */
@ApplicationScoped
public class JobUpdatesConsumer {

    private static final Logger LOG = Logger.getLogger(JobUpdatesConsumer.class);

    @Inject
    JobRepository jobs;

    @Inject
    EvaluationRepository evaluations;

    @Incoming("training-progress")
    @Blocking(ordered = true)
    public CompletionStage<Void> progress(Message<String> message) {
        return handle(message, TrainingProgress.class, jobs::applyProgress);
    }

    @Incoming("training-results")
    @Blocking(ordered = true)
    public CompletionStage<Void> result(Message<String> message) {
        return handle(message, TrainingResult.class, jobs::applyResult);
    }

    @Incoming("scores")
    @Blocking(ordered = true)
    public CompletionStage<Void> scores(Message<String> message) {
        return handle(message, ScoreSet.class, s -> evaluations.setScores(s.evaluationId(),
                Document.parse(MessageCodec.encode(s))));
    }

    private static <T> CompletionStage<Void> handle(Message<String> message, Class<T> type, Consumer<T> apply) {
        T decoded;
        try {
            decoded = MessageCodec.decode(message.getPayload(), type);
        } catch (InvalidMessageException e) {
            LOG.warnf("dead-lettering %s: %s", type.getSimpleName(), e.getMessage());
            return message.nack(e);
        }
        try {
            apply.accept(decoded);
            return message.ack();
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot apply %s", type.getSimpleName());
            return message.nack(e);
        }
    }
}
