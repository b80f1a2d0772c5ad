package io.xscore.gateway.service;

import io.xscore.common.messaging.EvaluationCancellation;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.common.messaging.TrainingJob;
import java.util.concurrent.CompletionStage;

/**
 * The records the planner and the outbox relay write, as the service layer sees them: each send completes when the
 * broker has acknowledged the record, so a caller acknowledges its own input only after its output is safe.
 * Implemented by {@code messaging.KafkaPublisher} (the Kafka channels and record keys); declared here so that the
 * service layer does not depend on the messaging package, which depends on it.
 */
public interface RecordPublisher {

    CompletionStage<Void> publish(EvaluationCancellation cancellation);

    CompletionStage<Void> publish(EvaluationRequest request);

    CompletionStage<Void> publish(TrainingJob job);

    CompletionStage<Void> publish(EvaluationPlan plan);
}
