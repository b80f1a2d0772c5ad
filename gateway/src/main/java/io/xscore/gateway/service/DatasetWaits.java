package io.xscore.gateway.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.xscore.gateway.config.GatewayConfig;
import io.xscore.gateway.evaluation.EvaluationEntity;
import io.xscore.gateway.repository.EvaluationRepository;
import io.xscore.support.messaging.TransientFailures;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The "waiting for datasets" pass. The planner cannot derive job ids without each dataset's content digest; when one
 * is not known yet (the dataset is being prepared, or the dataset service cannot be reached) it marks the evaluation
 * waiting and returns, so the Kafka consumer is never held for a preparation that may take minutes. Every
 * {@code xscore.gateway.dataset-wait-interval} this pass asks the dataset service again for the awaited datasets
 * (asking it to prepare those not prepared, idempotently) and, once every digest is known, publishes the evaluation's
 * request again through the outbox: the planner plans it as any other request, once. Meanwhile the evaluation is
 * ACCEPTED and its view says what it waits for. A request published again that never got planned is published again
 * after {@code xscore.gateway.replan-after}.
 */
@ApplicationScoped
public class DatasetWaits {

    private static final Logger LOG = Logger.getLogger(DatasetWaits.class);
    private static final int BATCH = 100;

    private final EvaluationRepository evaluations;
    private final DatasetDigests digests;
    private final OutboxRelay outbox;
    private final GatewayConfig config;
    private final MeterRegistry registry;

    public DatasetWaits(EvaluationRepository evaluations, DatasetDigests digests, OutboxRelay outbox,
            GatewayConfig config, MeterRegistry registry) {
        this.evaluations = evaluations;
        this.digests = digests;
        this.outbox = outbox;
        this.config = config;
        this.registry = registry;
    }

    @Scheduled(every = "${xscore.gateway.dataset-wait-interval:5s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void pass() {
        try {
            check();
        } catch (RuntimeException e) {
            if (!TransientFailures.isTransient(e)) {
                LOG.error("waiting-for-datasets pass failed", e);
                return;
            }
            LOG.infof("waiting-for-datasets pass stopped: a dependency is unavailable (%s)",
                    TransientFailures.describe(e));
        }
    }

    /** One pass; returns how many evaluations went back to the planner. */
    public int check() {
        Instant now = Instant.now();
        int released = 0;
        for (EvaluationEntity e : evaluations.waitingForDatasets(now.minus(config.replanAfter()), BATCH)) {
            DatasetDigests.Resolution resolution = digests.resolve(e.waitingForDatasets);
            if (!resolution.complete()) {
                if (!Objects.equals(resolution.reason(), e.waitingReason)
                        || !Objects.equals(resolution.waiting(), e.waitingForDatasets)) {
                    evaluations.updateWaiting(e.id, resolution.waiting(), resolution.reason());
                }
                continue;
            }
            evaluations.markDatasetsReady(e.id, now);
            released++;
            registry.counter("xscore_planner_dataset_waits_ended_total").increment();
            LOG.infof("evaluation %s: the content digests of %s are known; its request goes to the planner again",
                    e.id, e.waitingForDatasets);
            outbox.publishRequest(evaluations.findById(e.id), config.publishTimeout());
        }
        return released;
    }
}
