package io.xscore.trainer.messaging;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.Topics;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.support.tracing.TraceContexts;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes progress ({@code xscore.training-progress}) and results ({@code xscore.training-results}), both keyed
 * by job id, as schema-checked JSON strings with CloudEvents metadata (configured per channel), and job records that
 * cannot be read to {@code xscore.training-jobs.dlq.trainer-service} as they came, with header
 * {@code dead-letter-reason} (the convention of every service's dead-letter topics).
 */
@ApplicationScoped
public class TrainingPublisher {

    private final MutinyEmitter<String> progress;
    private final MutinyEmitter<String> results;
    private final MutinyEmitter<String> deadLetters;

    public TrainingPublisher(@Channel("training-progress") MutinyEmitter<String> progress,
            @Channel("training-results") MutinyEmitter<String> results,
            @Channel("training-jobs-dead-letters") MutinyEmitter<String> deadLetters) {
        this.progress = progress;
        this.results = results;
        this.deadLetters = deadLetters;
    }

    /** Fire and forget. */
    public void progress(TrainingProgress p) {
        progress.sendMessageAndForget(keyed(p.jobId(), MessageCodec.encode(p)));
    }

    /** Completes once the broker has acknowledged the record (so the job may be committed). */
    public CompletionStage<Void> result(TrainingResult r) {
        return results.sendMessage(keyed(r.jobId(), MessageCodec.encode(r))).subscribeAsCompletionStage();
    }

    /**
     * Completes once the broker has acknowledged the dead letter (so the job record may be rejected). Headers as
     * SmallRye's dead-letter queue writes them for the other consumers: the reason and where the record was.
     */
    public CompletionStage<Void> deadLetter(String key, String value, String reason, String topic, int partition,
                                            long offset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.DEAD_LETTER_REASON_HEADER, String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", String.valueOf(topic).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-partition", Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        Message<String> message = Message.of(value == null ? "" : value).addMetadata(OutgoingKafkaRecordMetadata
                .<String>builder().withKey(key).withHeaders(headers).build());
        return deadLetters.sendMessage(message).subscribeAsCompletionStage();
    }

    private static Message<String> keyed(String key, String json) {
        // the caller's trace context (the job's span) goes with the record as its traceparent header
        return TraceContexts.withCurrent(
                Message.of(json).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build()));
    }
}
