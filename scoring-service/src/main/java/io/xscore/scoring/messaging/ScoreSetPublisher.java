package io.xscore.scoring.messaging;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.scoring.service.ScoreSetSink;
import io.xscore.support.tracing.TraceContexts;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes score sets on {@code xscore.scores} (channel {@code scores}), keyed by evaluation id. */
@ApplicationScoped
public class ScoreSetPublisher implements ScoreSetSink {

    private final MutinyEmitter<String> emitter;

    public ScoreSetPublisher(@Channel("scores") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Sends and waits for the broker's acknowledgement (call from a worker thread). */
    @Override
    public void publish(ScoreSet set) {
        Message<String> message = TraceContexts.withCurrent(Message.of(MessageCodec.encode(set))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(set.evaluationId()).build()));
        emitter.sendMessageAndAwait(message);
    }
}
