package io.xscore.trainer.messaging;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.xscore.common.json.InvalidMessageException;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.JobAttempt;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.support.logging.LogContext;
import io.xscore.support.messaging.TransientFailures;
import io.xscore.support.tracing.TraceContexts;
import io.xscore.trainer.config.TrainerConfig;
import io.xscore.trainer.service.FinishedJobs;
import io.xscore.trainer.service.JobClaims;
import io.xscore.trainer.service.TrainerMetrics;
import io.xscore.trainer.service.TrainerProvenance;
import io.xscore.trainer.service.TrainingJobService;
import io.xscore.trainer.training.StopRequest;
import io.xscore.trainer.training.TrainingSuspendedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.jboss.logging.Logger;

/**
 * Processes one delivered job record on the worker thread and says how the delivery ends; the consumer thread
 * ({@link TrainingJobConsumer}) acknowledges it so.
 *
 * <p>First the job is claimed across trainers ({@link JobClaims}): all trainers share one queue, so two records of one
 * job can reach two trainers at once, and only the claim's holder runs it.
 *
 * <ul>
 *   <li>ACCEPT for a copy of a job another trainer runs from another record (that record comes back if it fails).</li>
 *   <li>ACCEPT once the job's result is acknowledged by the broker and recorded in the ledger (then the checkpoint is
 *       deleted; the order is that of {@link FinishedJobs}: a redelivered finished job is answered from the ledger or
 *       the scoring service, never trained again).</li>
 *   <li>RELEASE at shutdown: the run is stopped through its {@link StopRequest} after its current batch, writes a
 *       checkpoint, a RELEASED progress is published and another trainer continues at once.</li>
 *   <li>REJECT for a record that cannot be read (dead-lettered first, header {@code dead-letter-reason}) and for a job
 *       on its last allowed delivery ({@code share.delivery.count.limit}): it is not trained again but answered with
 *       a FAILED result ("rejected after N deliveries: …"), so a job that kills its trainer every time ends
 *       FAILED.</li>
 * </ul>
 */
@ApplicationScoped
public class TrainingJobHandler {

    private static final Logger LOG = Logger.getLogger(TrainingJobHandler.class);
    private static final long CLAIM_POLL_MILLIS = 500;

    private final TrainingJobService service;
    private final TrainingPublisher publisher;
    private final ResultPublication results;
    private final FinishedJobs finished;
    private final TrainerMetrics metrics;
    private final TrainerProvenance provenance;
    private final int deliveryLimit;
    private final AttemptLog attempts;
    private final JobClaims claims;
    /** How long a redelivered record waits for its previous holder to stop (it stops within its stop timeout). */
    private final Duration claimWait;
    private volatile boolean claimsUnavailableLogged;
    private final Tracer tracer;

    public TrainingJobHandler(TrainingJobService service, TrainingPublisher publisher, ResultPublication results,
            FinishedJobs finished, TrainerMetrics metrics, TrainerProvenance provenance, TrainerConfig config,
            Tracer tracer) {
        this.tracer = tracer;
        this.service = service;
        this.publisher = publisher;
        this.results = results;
        this.finished = finished;
        this.metrics = metrics;
        this.provenance = provenance;
        this.deliveryLimit = config.shareGroup().deliveryLimit();
        this.attempts = new AttemptLog(Path.of(config.checkpointDir()));
        this.claims = new JobClaims(Path.of(config.checkpointDir()));
        this.claimWait = config.shareGroup().stopTimeout();
        int pruned = claims.prune(config.results().ledgerRetention());
        if (pruned > 0) {
            LOG.infof("job claims: %d files older than %s pruned", pruned, config.results().ledgerRetention());
        }
    }

    /** What processing needs of one delivery; its polling, renewal and acknowledgement stay with the consumer thread. */
    interface Received {
        String topic();

        int partition();

        long offset();

        int deliveryCount();

        String key();

        String value();

        /** Asked by the consumer thread at shutdown or when the lock is lost. */
        StopRequest stop();

        boolean lockLost();

        /** The record is decoded: the delivery is known by its job id from now on. */
        void identify(String jobId);

        /** The record's W3C trace context headers ({@code traceparent}, {@code tracestate}); empty without. */
        default Map<String, String> traceHeaders() {
            return Map.of();
        }
    }

    /** How a delivery ends: the acknowledgement and why (the metric's tag). */
    record Outcome(AcknowledgeType type, String reason) {
    }

    /**
     * Decodes the record, then answers a finished job, rejects one on its last delivery or trains it.
     *
     * @param stopping whether the application is stopping (the job is then handed back)
     */
    Outcome handle(Received d, BooleanSupplier stopping) {
        TrainingJob job;
        try {
            job = MessageCodec.decode(d.value(), TrainingJob.class);
        } catch (InvalidMessageException e) {
            LOG.warnf("dead-lettering an invalid training job: %s", e.getMessage());
            return deadLetter(d, e.getMessage(), "invalid", stopping);
        }
        d.identify(job.jobId());
        // Every line logged on this worker thread while the job is handled (claimed, trained, published) names it.
        try (LogContext log = LogContext.of(job.evaluationId(), job.jobId())) {
            return handleTraced(d, job, stopping);
        }
    }

    private Outcome handleTraced(Received d, TrainingJob job, BooleanSupplier stopping) {
        // The job's span continues the planner's trace (the record's traceparent): current while the job runs, so
        // its progress and result records carry it on to the gateway and the scoring service.
        Span span = tracer.spanBuilder("train " + job.jobId()).setSpanKind(SpanKind.CONSUMER)
                .setParent(TraceContexts.fromHeaders(d.traceHeaders()))
                .setAttribute("xscore.job.id", job.jobId())
                .setAttribute("xscore.evaluation.id", job.evaluationId())
                .setAttribute("xscore.model", job.model())
                .setAttribute("xscore.dataset", job.dataset())
                .setAttribute("xscore.seed", job.seed())
                .setAttribute("xscore.delivery", d.deliveryCount()).startSpan();
        return TraceContexts.within(span, () -> {
            Outcome outcome = handle(d, job, stopping);
            span.setAttribute("xscore.outcome", outcome.type() + " " + outcome.reason());
            return outcome;
        });
    }

    private Outcome handle(Received d, TrainingJob job, BooleanSupplier stopping) {
        if (d.deliveryCount() > 1) {
            metrics.redelivered();
            LOG.infof("job %s: delivery %d", job.jobId(), d.deliveryCount());
        }
        Claiming claiming;
        try {
            claiming = claim(d, job, stopping);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(AcknowledgeType.RELEASE, "shutdown");
        }
        if (claiming.outcome() != null) {
            return claiming.outcome();
        }
        try (JobClaims.Claim held = claiming.claim()) {
            return process(d, job, stopping);
        }
    }

    /** The job is this trainer's to run (claimed, or claims are unavailable): answer, reject or train it. */
    private Outcome process(Received d, TrainingJob job, BooleanSupplier stopping) {
        JobAttempt attempt = new JobAttempt(d.deliveryCount(), service.trainerName(), Instant.now(), null);
        try {
            FinishedJobs.Verdict verdict = finished.check(job);
            if (verdict instanceof FinishedJobs.Verdict.Republish again) {
                LOG.infof("job %s finished here before (its record came back); publishing its result again, not "
                        + "training", job.jobId());
                metrics.notRetrained("ledger");
                results.untilAcknowledged(again.result(), stopping);
                attempts.forget(job.jobId());
                return new Outcome(AcknowledgeType.ACCEPT, "ledger");
            }
            if (verdict instanceof FinishedJobs.Verdict.AlreadyStored stored) {
                LOG.infof("job %s already succeeded (%s); not training it again", job.jobId(), stored.result().trainer());
                metrics.notRetrained("scoring");
                attempts.forget(job.jobId());
                return new Outcome(AcknowledgeType.ACCEPT, "scoring");
            }
            if (d.deliveryCount() >= deliveryLimit) {
                return rejectAtLimit(d, job, attempt, stopping);
            }
            if (stopping.getAsBoolean() || d.stop().isRequested()) {
                throw new Stopping();
            }
            attempt = new JobAttempt(d.deliveryCount(), service.trainerName(), attempt.startedAt(),
                    service.resumePoint(job).orElse(null));
            attempts.note(job.jobId(), attempt.trainer() + " took delivery " + d.deliveryCount() + " at "
                    + attempt.startedAt() + " and stopped without finishing it");
            JobAttempt started = attempt;
            Span span = Span.current();
            Context traced = Context.current();
            Consumer<TrainingProgress> progress = p -> {
                if (p.kind() == TrainingProgress.Kind.EPOCH) {
                    span.addEvent("epoch " + p.epoch(), epochAttributes(p));
                }
                try (Scope scope = traced.makeCurrent()) {
                    publisher.progress(p.kind() == TrainingProgress.Kind.STARTED && p.attempt() == null
                            ? p.withAttempt(started) : p);
                }
            };
            TrainingResult result = service.run(job, progress, d.stop()).withAttempt(attempt, provenance.current());
            // The order below is what makes a crash at any point safe: until the result is acknowledged the
            // checkpoint stays (training resumes); once it is in the ledger a redelivery publishes it again.
            results.untilAcknowledged(result, stopping);
            finished.ledger().record(result);
            service.finished(job);
            attempts.forget(job.jobId());
            return new Outcome(AcknowledgeType.ACCEPT, "trained");
        } catch (TrainingSuspendedException e) {
            if (d.lockLost()) {
                return new Outcome(AcknowledgeType.RELEASE, "lock_lost");
            }
            attempts.note(job.jobId(), attempt.trainer() + " released delivery " + d.deliveryCount()
                    + " at shutdown at epoch " + (e.epoch() + 1) + ", batch " + e.batch());
            publisher.progress(released(job, attempt, e.epoch()));
            LOG.infof("job %s: released at epoch %d, batch %d; another trainer continues from its checkpoint",
                    job.jobId(), e.epoch() + 1, e.batch());
            return new Outcome(AcknowledgeType.RELEASE, "shutdown");
        } catch (Stopping e) {
            LOG.infof("job %s: released at shutdown before it finished; it will be delivered again", job.jobId());
            return new Outcome(AcknowledgeType.RELEASE, d.lockLost() ? "lock_lost" : "shutdown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(AcknowledgeType.RELEASE, "shutdown");
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s: its result cannot be published; dead-lettering the job", job.jobId());
            return deadLetter(d, TransientFailures.describe(e), "unpublishable", stopping);
        }
    }

    private static Attributes epochAttributes(TrainingProgress p) {
        AttributesBuilder a = Attributes.builder().put("xscore.epoch", p.epoch()).put("xscore.epochs", p.epochs());
        if (p.trainLoss() != null) {
            a.put("xscore.train_loss", p.trainLoss());
        }
        if (p.trainAccuracy() != null) {
            a.put("xscore.train_accuracy", p.trainAccuracy());
        }
        if (p.testAccuracy() != null) {
            a.put("xscore.test_accuracy", p.testAccuracy());
        }
        return a.build();
    }

    /** A claim held, or how the delivery ends without one. */
    private record Claiming(JobClaims.Claim claim, Outcome outcome) {
    }

    /**
     * Claims the job across trainers ({@link JobClaims}) before anything else. Held by another trainer for another
     * record of the job: this record is a copy and is acknowledged without training; the holder's own record comes
     * back to the queue if that trainer fails, so the copy is never needed. Held for this very record: its holder
     * lost the lock on it and is stopping (batch, checkpoint); this trainer waits for the claim, renewing the record,
     * up to the stop timeout, then continues from the holder's checkpoint.
     */
    private Claiming claim(Received d, TrainingJob job, BooleanSupplier stopping) throws InterruptedException {
        JobClaims.Holder me = new JobClaims.Holder(service.trainerName(), d.topic(), d.partition(), d.offset(),
                Instant.now());
        long deadline = System.nanoTime() + claimWait.toNanos();
        boolean waiting = false;
        while (true) {
            JobClaims.Attempt attempt = claims.tryClaim(job.jobId(), me);
            if (attempt instanceof JobClaims.Attempt.Claimed claimed) {
                if (waiting) {
                    LOG.infof("job %s: claimed after its previous holder stopped", job.jobId());
                }
                return new Claiming(claimed.claim(), null);
            }
            if (attempt instanceof JobClaims.Attempt.Unavailable unavailable) {
                if (!claimsUnavailableLogged) {
                    claimsUnavailableLogged = true;
                    LOG.warnf("job claims are unavailable in the checkpoint directory (%s): a copy of a job delivered "
                            + "to two trainers at once would be trained by both", unavailable.why());
                }
                return new Claiming(null, null);
            }
            Optional<JobClaims.Holder> holder = ((JobClaims.Attempt.HeldElsewhere) attempt).holder();
            if (holder.isPresent() && !holder.get().sameRecord(d.topic(), d.partition(), d.offset())) {
                LOG.infof("job %s: %s runs it; this copy (record %s-%d@%d) is acknowledged without training (the "
                        + "holder's record comes back if its trainer fails)", job.jobId(), holder.get(), d.topic(),
                        d.partition(), d.offset());
                metrics.notRetrained("copy");
                return new Claiming(null, new Outcome(AcknowledgeType.ACCEPT, "copy"));
            }
            if (stopping.getAsBoolean() || d.stop().isRequested()) {
                return new Claiming(null, new Outcome(AcknowledgeType.RELEASE, d.lockLost() ? "lock_lost"
                        : "shutdown"));
            }
            if (System.nanoTime() > deadline) {
                LOG.warnf("job %s: %s still holds its claim after %s; releasing the record", job.jobId(),
                        holder.map(JobClaims.Holder::toString).orElse("another trainer"), claimWait);
                return new Claiming(null, new Outcome(AcknowledgeType.RELEASE, "claimed"));
            }
            if (!waiting) {
                waiting = true;
                LOG.infof("job %s: its record was delivered to %s before, which still holds the job (it lost the "
                        + "lock and is stopping); waiting up to %s", job.jobId(),
                        holder.map(JobClaims.Holder::toString).orElse("another trainer"), claimWait);
            }
            Thread.sleep(CLAIM_POLL_MILLIS);
        }
    }

    /** The job's last allowed delivery: not trained again, answered FAILED with the reason, then rejected. */
    private Outcome rejectAtLimit(Received d, TrainingJob job, JobAttempt attempt, BooleanSupplier stopping)
            throws InterruptedException {
        String reason = "rejected after " + d.deliveryCount() + " deliveries: " + attempts.last(job.jobId())
                .orElse("its trainer stopped without finishing it " + (d.deliveryCount() - 1) + " times");
        LOG.warnf("job %s: %s", job.jobId(), reason);
        TrainingResult failed = TrainingResult.failed(job.ref(), job.protocol(), service.trainerName(), reason, 0.0,
                Instant.now()).withAttempt(attempt, provenance.current());
        results.untilAcknowledged(failed, stopping);
        attempts.forget(job.jobId());
        return new Outcome(AcknowledgeType.REJECT, "delivery_limit");
    }

    private Outcome deadLetter(Received d, String reason, String why, BooleanSupplier stopping) {
        long backoff = 1_000;
        for (int attempt = 1; ; attempt++) {
            try {
                publisher.deadLetter(d.key(), d.value(), reason, d.topic(), d.partition(), d.offset())
                        .toCompletableFuture().get(1, TimeUnit.MINUTES);
                return new Outcome(AcknowledgeType.REJECT, why);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(AcknowledgeType.RELEASE, "shutdown");
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                if (stopping.getAsBoolean() || attempt >= ResultPublication.MAX_PUBLISH_FAILURES) {
                    LOG.errorf("record %s-%d@%d could not be dead-lettered (%s); releasing it", d.topic(),
                            d.partition(), d.offset(), TransientFailures.describe(e));
                    return new Outcome(AcknowledgeType.RELEASE, "failure");
                }
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(AcknowledgeType.RELEASE, "shutdown");
            }
            backoff = Math.min(backoff * 2, 10_000);
        }
    }

    private static TrainingProgress released(TrainingJob job, JobAttempt attempt, int epochsDone) {
        return TrainingProgress.of(job.ref(), TrainingProgress.Kind.RELEASED, epochsDone, job.protocol().epochs(),
                null, null, null, null, null, null, attempt.trainer(), Instant.now(), attempt);
    }
}
