package io.xscore.trainer.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.xscore.common.messaging.EvaluationCancellation;
import io.xscore.support.logging.LogContext;
import io.xscore.support.messaging.RecordProcessor;
import io.xscore.trainer.service.CancellationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code xscore.evaluation-cancellations} as a broadcast: every trainer has a consumer group of its own
 * ({@code trainer-cancellations-<trainer name>}, from the earliest retained record), so each one learns every
 * cancellation, including those published before it started. Offsets are committed, so a rebalance (a broker restart)
 * does not replay the topic and a poison record is dead-lettered once per group, to
 * {@code xscore.evaluation-cancellations.dlq.trainer-service}; a trainer keeping its name across restarts
 * ({@code XSCORE_TRAINER_NAME}) keeps its group and its position.
 */
@ApplicationScoped
public class CancellationConsumer {

    private static final Logger LOG = Logger.getLogger(CancellationConsumer.class);

    private final RecordProcessor records;
    private final CancellationRegistry registry;

    public CancellationConsumer(RecordProcessor records, CancellationRegistry registry) {
        this.records = records;
        this.registry = registry;
    }

    @Incoming("evaluation-cancellations")
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<String> message) {
        return records.process("evaluation-cancellations", message, EvaluationCancellation.class,
                c -> LogContext.evaluation(c.evaluationId()), c -> {
            LOG.infof("evaluation %s cancelled%s", c.evaluationId(), c.reason() == null ? "" : ": " + c.reason());
            registry.cancel(c);
        });
    }
}
