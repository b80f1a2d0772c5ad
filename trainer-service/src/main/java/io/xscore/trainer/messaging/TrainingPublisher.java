package io.xscore.trainer.messaging;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes progress ({@code xscore.training-progress}) and results ({@code xscore.training-results}), both keyed
 * by job id, as schema-checked JSON strings with CloudEvents metadata (configured per channel).
 */
@ApplicationScoped
public class TrainingPublisher {

    @Inject
    @Channel("training-progress")
    MutinyEmitter<String> progress;

    @Inject
    @Channel("training-results")
    MutinyEmitter<String> results;

    /** Fire and forget. */
    public void progress(TrainingProgress p) {
        progress.sendMessageAndForget(keyed(p.jobId(), MessageCodec.encode(p)));
    }

    /** Completes once the broker has acknowledged the record (so the job may be committed). */
    public CompletionStage<Void> result(TrainingResult r) {
        return results.sendMessage(keyed(r.jobId(), MessageCodec.encode(r))).subscribeAsCompletionStage();
    }

    private static Message<String> keyed(String key, String json) {
        return Message.of(json).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
    }
}
