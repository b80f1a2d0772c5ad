package io.xscore.gateway.messaging;

import io.xscore.common.messaging.EvaluationCancellation;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.gateway.service.RecordPublisher;
import io.xscore.support.messaging.KeyedPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Everything the gateway writes to Kafka, keyed by the id its records must stay ordered by. Each send completes when
 * the broker has acknowledged the record, so callers can acknowledge their own input only after their output is safe.
 */
@ApplicationScoped
public class KafkaPublisher implements RecordPublisher {

    private final Emitter<String> requests;
    private final Emitter<String> jobs;
    private final Emitter<String> plans;
    private final Emitter<String> cancellations;

    public KafkaPublisher(@Channel("evaluation-requests-out") Emitter<String> requests,
            @Channel("training-jobs") Emitter<String> jobs, @Channel("evaluation-plans") Emitter<String> plans,
            @Channel("evaluation-cancellations") Emitter<String> cancellations) {
        this.requests = requests;
        this.jobs = jobs;
        this.plans = plans;
        this.cancellations = cancellations;
    }

    @Override
    public CompletionStage<Void> publish(EvaluationCancellation cancellation) {
        return KeyedPublisher.send(cancellations, cancellation.evaluationId(), cancellation);
    }

    @Override
    public CompletionStage<Void> publish(EvaluationRequest request) {
        return KeyedPublisher.send(requests, request.evaluationId(), request);
    }

    /**
     * Keyed by evaluation id, not job id: all new jobs of one evaluation land on one partition, in the order the
     * planner sends them (longest first), and the share group's trainers acquire a partition's records in offset order.
     * Keyed by job id they would spread over the partitions and be taken in an interleaved, only roughly longest-first
     * order. Nothing reads the key as a job id; the job id is in the record.
     */
    @Override
    public CompletionStage<Void> publish(TrainingJob job) {
        return KeyedPublisher.send(jobs, job.evaluationId(), job);
    }

    @Override
    public CompletionStage<Void> publish(EvaluationPlan plan) {
        return KeyedPublisher.send(plans, plan.evaluationId(), plan);
    }
}
