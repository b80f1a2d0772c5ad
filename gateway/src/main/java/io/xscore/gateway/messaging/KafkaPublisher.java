package io.xscore.gateway.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationCancellation;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.common.messaging.TrainingJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Everything the gateway writes to Kafka. Each send completes when the broker has acknowledged the record, so callers
 * can acknowledge their own input only after their output is safe.
 */
@ApplicationScoped
public class KafkaPublisher {

    @Inject
    @Channel("evaluation-requests-out")
    Emitter<String> requests;

    @Inject
    @Channel("training-jobs")
    Emitter<String> jobs;

    @Inject
    @Channel("evaluation-plans")
    Emitter<String> plans;

    @Inject
    @Channel("evaluation-cancellations")
    Emitter<String> cancellations;

    public CompletionStage<Void> publish(EvaluationCancellation cancellation) {
        return send(cancellations, cancellation.evaluationId(), MessageCodec.encode(cancellation));
    }

    public CompletionStage<Void> publish(EvaluationRequest request) {
        return send(requests, request.evaluationId(), MessageCodec.encode(request));
    }

    public CompletionStage<Void> publish(TrainingJob job) {
        return send(jobs, job.jobId(), MessageCodec.encode(job));
    }

    public CompletionStage<Void> publish(EvaluationPlan plan) {
        return send(plans, plan.evaluationId(), MessageCodec.encode(plan));
    }

    private static CompletionStage<Void> send(Emitter<String> emitter, String key, String json) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Message<String> message = Message.of(json, Metadata.of(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(key).build()),
                () -> {
                    done.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    done.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
        return done;
    }
}
