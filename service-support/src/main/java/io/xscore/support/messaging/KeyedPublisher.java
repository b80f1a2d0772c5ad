package io.xscore.support.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.xscore.common.json.MessageCodec;
import io.xscore.support.tracing.TraceContexts;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * The one way a service writes a message record: schema-checked JSON ({@link MessageCodec#encode}) under a key (the
 * id records must stay ordered by), completing when the broker has acknowledged it, so a caller acknowledges its own
 * input only once its output is safe. The caller's trace context goes with it ({@code traceparent} header).
 */
public final class KeyedPublisher {

    private KeyedPublisher() {
    }

    public static CompletionStage<Void> send(Emitter<String> emitter, String key, Object message) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Message<String> record = TraceContexts.withCurrent(Message.of(MessageCodec.encode(message),
                Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build()),
                () -> {
                    done.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    done.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        try {
            emitter.send(record);
        } catch (RuntimeException e) {
            // The emitter refuses at once when its buffer is full or the channel failed; same outcome for the caller.
            done.completeExceptionally(new DependencyUnavailableException("the broker did not take the record", e));
        }
        return done;
    }
}
