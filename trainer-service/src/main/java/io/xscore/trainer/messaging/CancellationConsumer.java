package io.xscore.trainer.messaging;

import io.xscore.common.json.InvalidMessageException;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationCancellation;
import io.xscore.trainer.service.CancellationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code xscore.evaluation-cancellations} as a broadcast: every trainer has a consumer group of its own
 * ({@code trainer-cancellations-<uuid>}, from the earliest retained record), so each one learns every cancellation,
 * including those published before it started. Invalid records are dead-lettered to
 * {@code xscore.evaluation-cancellations.dlq.trainer-service} (once per trainer that reads them).
 */
@ApplicationScoped
public class CancellationConsumer {

    private static final Logger LOG = Logger.getLogger(CancellationConsumer.class);

    @Inject
    CancellationRegistry registry;

    @Incoming("evaluation-cancellations")
    public CompletionStage<Void> consume(Message<String> message) {
        EvaluationCancellation c;
        try {
            c = MessageCodec.decode(message.getPayload(), EvaluationCancellation.class);
        } catch (InvalidMessageException e) {
            LOG.warnf("dead-lettering an invalid cancellation: %s", e.getMessage());
            return message.nack(e);
        }
        LOG.infof("evaluation %s cancelled%s", c.evaluationId(), c.reason() == null ? "" : ": " + c.reason());
        registry.cancel(c);
        return message.ack();
    }
}
