package io.xscore.trainer.messaging;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.xscore.common.concurrent.DaemonThreads;
import io.xscore.common.json.InvalidMessageException;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.JobAttempt;
import io.xscore.common.messaging.Provenance;
import io.xscore.common.messaging.Topics;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.support.messaging.TransientFailures;
import io.xscore.trainer.config.TrainerConfig;
import io.xscore.trainer.service.DjlEnvironment;
import io.xscore.trainer.service.FinishedJobs;
import io.xscore.trainer.service.TrainerMetrics;
import io.xscore.trainer.service.TrainingJobService;
import io.xscore.trainer.training.StopRequest;
import io.xscore.trainer.training.TrainingSuspendedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Takes jobs from {@code xscore.training-jobs} as a member of the Kafka share group {@code trainers} (KIP-932): every
 * trainer takes the next job from one queue, however many partitions the topic has, and the broker locks each job to
 * the trainer that took it.
 *
 * <ul>
 *   <li>One thread owns the {@link KafkaShareConsumer} (it is not thread-safe): it polls, acknowledges and renews.
 *       Jobs run one at a time on the worker thread. {@code share.acknowledgement.mode=explicit},
 *       {@code max.poll.records=1} and {@code share.acquire.mode=record_limit}: a trainer acquires one job.</li>
 *   <li>While a job trains, its acquisition lock is renewed every third of the lock duration
 *       ({@code acknowledge(record, RENEW)} + commit, KIP-1222), and the consumer polls after each renewal. Kafka
 *       4.2/4.3 hands a renewed record back on the next poll (KAFKA-20458, seen with 4.3.1): it is recognised by
 *       topic, partition and offset and not started twice. A job a poll hands over beside the one training is
 *       released at once; one on its last allowed delivery is kept (released, the broker would archive it without
 *       a result) and answered after the running job.</li>
 *   <li>Outcome of a delivery: ACCEPT once the job's result is acknowledged by the broker and recorded in the ledger
 *       (then the checkpoint is deleted; the order is that of {@link FinishedJobs}: a redelivered finished job is
 *       answered from the ledger or the scoring service, never trained again). RELEASE at shutdown: the run is
 *       stopped through its {@link StopRequest} after its current batch, writes a checkpoint, a RELEASED progress
 *       is published and another trainer continues at once. REJECT for a record that cannot be read (dead-lettered
 *       first, header {@code dead-letter-reason}) and for a job on its last allowed delivery
 *       ({@code share.delivery.count.limit}): it is not trained again but answered with a FAILED result
 *       ("rejected after N deliveries: …"), so a job that kills its trainer every time ends FAILED.</li>
 *   <li>A renewal the broker refuses means the lock expired (this process stalled) and another trainer may have the
 *       job: the run is stopped, logged and counted ({@code xscore_trainer_lock_lost_total}).</li>
 * </ul>
 */
@ApplicationScoped
public class TrainingJobConsumer {

    private static final Logger LOG = Logger.getLogger(TrainingJobConsumer.class);
    /** Non-transient failures to publish a result (a bug) before the job record is given up to the dead-letter topic. */
    private static final int MAX_PUBLISH_FAILURES = 5;
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    private static final Duration BUSY_POLL = Duration.ofMillis(200);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);

    private final TrainingJobService service;
    private final TrainingPublisher publisher;
    private final FinishedJobs finished;
    private final TrainerMetrics metrics;
    private final DjlEnvironment djl;
    private final TrainerConfig.ShareGroup config;
    private final String bootstrapServers;
    private final AttemptLog attempts;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(DaemonThreads.named("xscore-trainer-job"));
    private final CountDownLatch loopEnded = new CountDownLatch(1);

    private volatile boolean stopping;
    private volatile Thread thread;
    private volatile Delivery running;
    private volatile long lastLoopNanos = System.nanoTime();
    private volatile boolean subscribed;
    private volatile String problem;
    private volatile Provenance provenance;

    public TrainingJobConsumer(TrainingJobService service, TrainingPublisher publisher, FinishedJobs finished,
            TrainerMetrics metrics, DjlEnvironment djl, TrainerConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.service = service;
        this.publisher = publisher;
        this.finished = finished;
        this.metrics = metrics;
        this.djl = djl;
        this.config = config.shareGroup();
        this.bootstrapServers = bootstrapServers;
        this.attempts = new AttemptLog(Path.of(config.checkpointDir()));
    }

    void onStart(@Observes StartupEvent event) {
        Thread t = new Thread(this::loop, "xscore-trainer-share-consumer");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /**
     * SIGTERM: the running job is asked to stop after its current batch (checkpoint, RELEASED, record released) and
     * shutdown waits for that, up to {@code xscore.trainer.share-group.stop-timeout}.
     */
    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Stops taking jobs and hands the running one back; idempotent. Package-private for tests. */
    void stop() {
        if (!stopping) {
            stopping = true;
            Delivery d = running;
            if (d != null) {
                LOG.infof("shutting down: asking job %s to stop after its current batch", d.jobId);
                d.stop.request();
            }
        }
        try {
            if (thread != null && !loopEnded.await(config.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("the running job did not stop within %s; exiting anyway (its lock expires and another "
                        + "trainer continues from its last checkpoint)", config.stopTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.shutdownNow();
    }

    // ---- health ------------------------------------------------------------------------------------------------

    /** The consumer thread is alive and went round its loop recently (it does at least every renewal interval). */
    public boolean alive() {
        Thread t = thread;
        return t == null || stopping || (t.isAlive() && sinceLastLoop().compareTo(Duration.ofMinutes(5)) < 0);
    }

    /** Subscribed and polling, and no configuration problem (share groups off, group configs refused). */
    public Optional<String> notReady() {
        if (!alive()) {
            return Optional.of("the job consumer thread is not running");
        }
        if (!subscribed) {
            return Optional.of(problem != null ? problem : "not yet subscribed to " + Topics.TRAINING_JOBS);
        }
        return Optional.ofNullable(problem);
    }

    public Duration sinceLastLoop() {
        return Duration.ofNanos(System.nanoTime() - lastLoopNanos);
    }

    /** The job running now, if any. */
    public Optional<String> runningJob() {
        Delivery d = running;
        return d == null ? Optional.empty() : Optional.of(d.jobId + " (delivery " + d.deliveryCount + ")");
    }

    // ---- the consumer thread -----------------------------------------------------------------------------------

    private void loop() {
        try {
            problem = new ShareGroupSettings(bootstrapServers, config).apply(() -> stopping);
            if (stopping) {
                return;
            }
            try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(consumerConfig(),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(Topics.TRAINING_JOBS));
                subscribed = true;
                LOG.infof("taking jobs from %s as a member of share group %s (lock %s, delivery limit %d)",
                        Topics.TRAINING_JOBS, config.id(), config.lockDuration(), config.deliveryLimit());
                run(consumer);
                subscribed = false;
                consumer.close(Duration.ofSeconds(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            problem = "the job consumer stopped: " + t;
            LOG.error("the job consumer stopped", t);
        } finally {
            subscribed = false;
            loopEnded.countDown();
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, config.id());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "trainer-jobs-" + service.trainerName());
        c.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        c.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, config.acquireMode());
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        return c;
    }

    private void run(KafkaShareConsumer<String, String> consumer) throws InterruptedException {
        Delivery current = null;
        Deque<Delivery> waiting = new ArrayDeque<>();
        while (true) {
            lastLoopNanos = System.nanoTime();
            if (current == null) {
                current = waiting.poll();
                if (current != null) {
                    submit(current);
                    continue;
                }
                if (stopping) {
                    return;
                }
                current = take(consumer, poll(consumer, IDLE_POLL), null, waiting);
                continue;
            }
            Outcome outcome = await(current, Math.max(0, current.nextRenewalNanos - System.nanoTime()));
            lastLoopNanos = System.nanoTime();
            if (outcome != null) {
                finish(consumer, current, outcome);
                current = null;
                continue;
            }
            if (System.nanoTime() - current.nextRenewalNanos >= 0) {
                renew(consumer, current, waiting);
                take(consumer, poll(consumer, BUSY_POLL), current, waiting);
            }
        }
    }

    private ConsumerRecords<String, String> poll(KafkaShareConsumer<String, String> consumer, Duration timeout)
            throws InterruptedException {
        try {
            return consumer.poll(timeout);
        } catch (WakeupException e) {
            return ConsumerRecords.empty();
        } catch (KafkaException e) {
            LOG.warnf("polling %s failed (%s); retrying", Topics.TRAINING_JOBS, TransientFailures.describe(e));
            Thread.sleep(1_000);
            return ConsumerRecords.empty();
        }
    }

    /** Starts the first new record when idle; recognises renewed ones; releases (or keeps) surplus ones. */
    private Delivery take(KafkaShareConsumer<String, String> consumer, ConsumerRecords<String, String> records,
                          Delivery current, Deque<Delivery> waiting) {
        Delivery started = null;
        boolean acknowledged = false;
        for (ConsumerRecord<String, String> r : records) {
            Delivery held = current != null && current.is(r) ? current
                    : waiting.stream().filter(w -> w.is(r)).findFirst().orElse(null);
            if (held != null) {
                if (held.lockLost) {
                    // Ours again with a new delivery while the old run is being stopped: let another trainer have it.
                    acknowledged |= acknowledge(consumer, r, AcknowledgeType.RELEASE);
                    metrics.released("lock_lost");
                } else {
                    held.record = r; // handed back after a renewal (KAFKA-20458): the same delivery, not a new job
                }
                continue;
            }
            if (current == null && started == null) {
                started = new Delivery(r);
                submit(started);
                continue;
            }
            int delivery = r.deliveryCount().orElse((short) 1);
            if (delivery >= config.deliveryLimit()) {
                LOG.infof("record %s-%d@%d arrived beside the running job on its last delivery; keeping it for "
                        + "afterwards", r.topic(), r.partition(), r.offset());
                Delivery keep = new Delivery(r);
                keep.nextRenewalNanos = System.nanoTime() + renewalInterval(consumer).toNanos();
                waiting.add(keep);
            } else {
                LOG.infof("record %s-%d@%d arrived beside the running job; releasing it to the other trainers",
                        r.topic(), r.partition(), r.offset());
                acknowledged |= acknowledge(consumer, r, AcknowledgeType.RELEASE);
                metrics.released("surplus");
            }
        }
        if (acknowledged) {
            try {
                consumer.commitAsync();
            } catch (KafkaException e) {
                LOG.debugf("could not send releases at once: %s", e.getMessage());
            }
        }
        return started;
    }

    private void submit(Delivery d) {
        d.nextRenewalNanos = System.nanoTime() + renewalInterval(null).toNanos();
        running = d;
        metrics.busy(true);
        d.outcome = worker.submit(() -> process(d));
    }

    private static Outcome await(Delivery d, long nanos) throws InterruptedException {
        try {
            return d.outcome.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            LOG.errorf(e.getCause(), "job %s: unexpected failure; releasing it", d.jobId);
            return new Outcome(AcknowledgeType.RELEASE, "failure");
        } catch (java.util.concurrent.CancellationException e) {
            return new Outcome(AcknowledgeType.RELEASE, "shutdown");
        }
    }

    /** Renews the lock of every record held (the running one and any kept for afterwards). */
    private void renew(KafkaShareConsumer<String, String> consumer, Delivery current, Deque<Delivery> waiting) {
        List<Delivery> held = new ArrayList<>();
        held.add(current);
        held.addAll(waiting);
        held.removeIf(d -> d.lockLost);
        long next = System.nanoTime() + renewalInterval(consumer).toNanos();
        held.forEach(d -> d.nextRenewalNanos = next);
        List<Delivery> sent = new ArrayList<>();
        for (Delivery d : held) {
            if (acknowledge(consumer, d, AcknowledgeType.RENEW)) {
                sent.add(d);
            } else {
                lockLost(d, "the consumer no longer holds the record");
            }
        }
        if (sent.isEmpty()) {
            return;
        }
        Map<TopicIdPartition, Optional<KafkaException>> result;
        try {
            result = consumer.commitSync(renewalInterval(consumer));
        } catch (KafkaException e) {
            // Broker away: try again soon; if the outage outlasts the lock, the broker refuses the next renewal.
            metrics.lockRenewalFailed();
            LOG.warnf("renewing the lock of job %s failed (%s); retrying", current.jobId,
                    TransientFailures.describe(e));
            long soon = System.nanoTime() + Math.min(renewalInterval(consumer).toNanos(), 5_000_000_000L);
            held.forEach(d -> d.nextRenewalNanos = soon);
            return;
        }
        for (Delivery d : sent) {
            Optional<KafkaException> failure = result.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(d.topic) && e.getKey().partition() == d.partition)
                    .map(Map.Entry::getValue).filter(Optional::isPresent).map(Optional::get).findFirst();
            if (failure.isPresent()) {
                metrics.lockRenewalFailed();
                lockLost(d, failure.get().toString());
            } else {
                metrics.lockRenewed();
                LOG.debugf("job %s: lock renewed", d.jobId);
            }
        }
    }

    private void lockLost(Delivery d, String why) {
        if (d.lockLost) {
            return;
        }
        d.lockLost = true;
        metrics.lockLost();
        LOG.warnf("job %s (delivery %d): its acquisition lock is lost (%s): another trainer may have it; stopping "
                + "this run", d.jobId, d.deliveryCount, why);
        attempts.note(d.jobId, service.trainerName() + " lost its lock on delivery " + d.deliveryCount + " at "
                + Instant.now());
        d.stop.request();
    }

    private void finish(KafkaShareConsumer<String, String> consumer, Delivery d, Outcome outcome) {
        running = null;
        metrics.busy(false);
        switch (outcome.type()) {
            case ACCEPT -> metrics.accepted(outcome.reason());
            case RELEASE -> metrics.released(outcome.reason());
            case REJECT -> metrics.rejected(outcome.reason());
            default -> { }
        }
        if (d.lockLost) {
            LOG.infof("job %s: %s not acknowledged (the lock was lost)", d.jobId, outcome);
            return;
        }
        if (!acknowledge(consumer, d, outcome.type())) {
            metrics.acknowledgementFailed(outcome.type().name());
            return;
        }
        try {
            Map<TopicIdPartition, Optional<KafkaException>> result = consumer.commitSync(COMMIT_TIMEOUT);
            result.values().stream().filter(Optional::isPresent).map(Optional::get).findFirst().ifPresent(e -> {
                metrics.acknowledgementFailed(outcome.type().name());
                LOG.warnf("job %s: the broker refused %s (%s); if the record comes back it is answered from the "
                        + "ledger", d.jobId, outcome.type(), e.toString());
            });
        } catch (KafkaException e) {
            metrics.acknowledgementFailed(outcome.type().name());
            LOG.warnf("job %s: %s not confirmed by the broker (%s)", d.jobId, outcome.type(),
                    TransientFailures.describe(e));
        }
        LOG.debugf("job %s: %s", d.jobId, outcome);
    }

    private boolean acknowledge(KafkaShareConsumer<String, String> consumer, Delivery d, AcknowledgeType type) {
        if (d.record != null) {
            try {
                consumer.acknowledge(d.record, type);
                return true;
            } catch (IllegalStateException e) {
                // not among the records of the last poll (already acknowledged, e.g. renewed and not handed back)
            }
        }
        try {
            consumer.acknowledge(d.topic, d.partition, d.offset, type);
            return true;
        } catch (IllegalStateException | KafkaException e) {
            LOG.warnf("job %s: cannot acknowledge %s: %s", d.jobId, type, e.getMessage());
            return false;
        }
    }

    private static boolean acknowledge(KafkaShareConsumer<String, String> consumer, ConsumerRecord<String, String> r,
                                       AcknowledgeType type) {
        try {
            consumer.acknowledge(r, type);
            return true;
        } catch (IllegalStateException | KafkaException e) {
            LOG.warnf("record %s-%d@%d: cannot acknowledge %s: %s", r.topic(), r.partition(), r.offset(), type,
                    e.getMessage());
            return false;
        }
    }

    /** A third of the lock: two renewals may fail (broker hiccup, long GC) before the lock expires. */
    private Duration renewalInterval(KafkaShareConsumer<String, String> consumer) {
        long lock = config.lockDuration().toMillis();
        if (consumer != null) {
            lock = Math.min(lock, consumer.acquisitionLockTimeoutMs().orElse((int) lock));
        }
        return Duration.ofMillis(Math.max(1_000, lock / 3));
    }

    // ---- the worker thread -------------------------------------------------------------------------------------

    private Outcome process(Delivery d) {
        TrainingJob job;
        try {
            job = MessageCodec.decode(d.value, TrainingJob.class);
        } catch (InvalidMessageException e) {
            LOG.warnf("dead-lettering an invalid training job: %s", e.getMessage());
            return deadLetter(d, e.getMessage(), "invalid");
        }
        d.jobId = job.jobId();
        if (d.deliveryCount > 1) {
            metrics.redelivered();
            LOG.infof("job %s: delivery %d", job.jobId(), d.deliveryCount);
        }
        JobAttempt attempt = new JobAttempt(d.deliveryCount, service.trainerName(), Instant.now(), null);
        try {
            FinishedJobs.Verdict verdict = finished.check(job);
            if (verdict instanceof FinishedJobs.Verdict.Republish again) {
                LOG.infof("job %s finished here before (its record came back); publishing its result again, not "
                        + "training", job.jobId());
                metrics.notRetrained("ledger");
                publishUntilAcknowledged(again.result());
                attempts.forget(job.jobId());
                return new Outcome(AcknowledgeType.ACCEPT, "ledger");
            }
            if (verdict instanceof FinishedJobs.Verdict.AlreadyStored stored) {
                LOG.infof("job %s already succeeded (%s); not training it again", job.jobId(), stored.result().trainer());
                metrics.notRetrained("scoring");
                attempts.forget(job.jobId());
                return new Outcome(AcknowledgeType.ACCEPT, "scoring");
            }
            if (d.deliveryCount >= config.deliveryLimit()) {
                return rejectAtLimit(d, job, attempt);
            }
            if (stopping || d.stop.isRequested()) {
                throw new Stopping();
            }
            attempt = new JobAttempt(d.deliveryCount, service.trainerName(), attempt.startedAt(),
                    service.resumePoint(job).orElse(null));
            attempts.note(job.jobId(), attempt.trainer() + " took delivery " + d.deliveryCount + " at "
                    + attempt.startedAt() + " and stopped without finishing it");
            JobAttempt started = attempt;
            Consumer<TrainingProgress> progress = p -> publisher.progress(
                    p.kind() == TrainingProgress.Kind.STARTED && p.attempt() == null ? withAttempt(p, started) : p);
            TrainingResult result = service.run(job, progress, d.stop).withAttempt(attempt, provenance());
            publishUntilAcknowledged(result);
            finished.ledger().record(result);
            service.finished(job);
            attempts.forget(job.jobId());
            return new Outcome(AcknowledgeType.ACCEPT, "trained");
        } catch (TrainingSuspendedException e) {
            if (d.lockLost) {
                return new Outcome(AcknowledgeType.RELEASE, "lock_lost");
            }
            attempts.note(job.jobId(), attempt.trainer() + " released delivery " + d.deliveryCount
                    + " at shutdown at epoch " + (e.epoch() + 1) + ", batch " + e.batch());
            publisher.progress(released(job, attempt, e.epoch()));
            LOG.infof("job %s: released at epoch %d, batch %d; another trainer continues from its checkpoint",
                    job.jobId(), e.epoch() + 1, e.batch());
            return new Outcome(AcknowledgeType.RELEASE, "shutdown");
        } catch (Stopping e) {
            LOG.infof("job %s: released at shutdown before it finished; it will be delivered again", job.jobId());
            return new Outcome(AcknowledgeType.RELEASE, d.lockLost ? "lock_lost" : "shutdown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(AcknowledgeType.RELEASE, "shutdown");
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s: its result cannot be published; dead-lettering the job", job.jobId());
            return deadLetter(d, TransientFailures.describe(e), "unpublishable");
        }
    }

    /** The job's last allowed delivery: not trained again, answered FAILED with the reason, then rejected. */
    private Outcome rejectAtLimit(Delivery d, TrainingJob job, JobAttempt attempt) throws InterruptedException {
        String reason = "rejected after " + d.deliveryCount + " deliveries: " + attempts.last(job.jobId())
                .orElse("its trainer stopped without finishing it " + (d.deliveryCount - 1) + " times");
        LOG.warnf("job %s: %s", job.jobId(), reason);
        ProtocolFields p = new ProtocolFields(job);
        TrainingResult failed = new TrainingResult(TrainingResult.SCHEMA_VERSION, job.evaluationId(), job.jobId(),
                job.model(), job.dataset(), job.seed(), p.name, p.paper, TrainingResult.Status.FAILED, null, null,
                null, null, 0.0, null, null, null, null, service.trainerName(), reason, job.protocol(), Instant.now())
                .withAttempt(attempt, provenance());
        publishUntilAcknowledged(failed);
        attempts.forget(job.jobId());
        return new Outcome(AcknowledgeType.REJECT, "delivery_limit");
    }

    private record ProtocolFields(String name, boolean paper) {
        ProtocolFields(TrainingJob job) {
            this(job.protocol().name(), job.protocol().paper());
        }
    }

    private Outcome deadLetter(Delivery d, String reason, String why) {
        long backoff = 1_000;
        for (int attempt = 1; ; attempt++) {
            try {
                publisher.deadLetter(d.key, d.value, reason).toCompletableFuture().get(1, TimeUnit.MINUTES);
                return new Outcome(AcknowledgeType.REJECT, why);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(AcknowledgeType.RELEASE, "shutdown");
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                if (stopping || attempt >= MAX_PUBLISH_FAILURES) {
                    LOG.errorf("record %s-%d@%d could not be dead-lettered (%s); releasing it", d.topic, d.partition,
                            d.offset, TransientFailures.describe(e));
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

    /** Publishes the result and waits for the broker, for as long as the broker is away; never gives it up. */
    private void publishUntilAcknowledged(TrainingResult result) throws InterruptedException {
        long backoff = 1_000;
        int failures = 0;
        while (true) {
            if (stopping) {
                throw new Stopping();
            }
            try {
                publisher.result(result).toCompletableFuture().get(3, TimeUnit.MINUTES);
                return;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (!TransientFailures.isTransient(e) && ++failures >= MAX_PUBLISH_FAILURES) {
                    throw new IllegalStateException("the result of job " + result.jobId() + " could not be published "
                            + failures + " times", cause);
                }
                metrics.resultPublishRetried();
                LOG.warnf("job %s: the broker did not acknowledge its result (%s); retrying in %d ms", result.jobId(),
                        TransientFailures.describe(cause), backoff);
            }
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, 30_000);
        }
    }

    private static TrainingProgress withAttempt(TrainingProgress p, JobAttempt attempt) {
        return new TrainingProgress(p.schemaVersion(), p.evaluationId(), p.jobId(), p.model(), p.dataset(), p.seed(),
                p.protocol(), p.kind(), p.epoch(), p.epochs(), p.trainLoss(), p.trainAccuracy(), p.testAccuracy(),
                p.learningRate(), p.imagesPerSecond(), p.etaSeconds(), p.trainer(), p.at(), attempt);
    }

    private static TrainingProgress released(TrainingJob job, JobAttempt attempt, int epochsDone) {
        return new TrainingProgress(TrainingProgress.SCHEMA_VERSION, job.evaluationId(), job.jobId(), job.model(),
                job.dataset(), job.seed(), job.protocol().name(), TrainingProgress.Kind.RELEASED, epochsDone,
                job.protocol().epochs(), null, null, null, null, null, null, attempt.trainer(), Instant.now(),
                attempt);
    }

    /** Trainer build, DJL, PyTorch, CUDA (on a GPU) and device; computed once (loads the engine). */
    Provenance provenance() {
        Provenance p = provenance;
        if (p == null) {
            String build = "trainer-service " + ConfigProvider.getConfig()
                    .getOptionalValue("quarkus.application.version", String.class).orElse("unknown");
            try {
                djl.describe(); // configures and loads the engine as training does
                Engine engine = Engine.getInstance();
                Device device = engine.defaultDevice();
                String cuda = device.isGpu() && CudaUtils.hasCuda() ? CudaUtils.getCudaVersionString() : null;
                p = new Provenance(build, Engine.getDjlVersion(), engine.getVersion(), cuda, device.toString());
            } catch (RuntimeException | LinkageError e) {
                LOG.warnf("engine versions unavailable: %s", e.toString());
                p = new Provenance(build, Engine.getDjlVersion(), null, null, null);
            }
            provenance = p;
        }
        return p;
    }

    /** One delivery of a job record to this trainer. */
    private static final class Delivery {
        final String topic;
        final int partition;
        final long offset;
        final int deliveryCount;
        final String key;
        final String value;
        final StopRequest stop = new StopRequest();
        /** The record object of the latest poll that returned it (the consumer thread only). */
        ConsumerRecord<String, String> record;
        volatile String jobId;
        volatile boolean lockLost;
        Future<Outcome> outcome;
        long nextRenewalNanos;

        Delivery(ConsumerRecord<String, String> r) {
            this.record = r;
            this.topic = r.topic();
            this.partition = r.partition();
            this.offset = r.offset();
            this.deliveryCount = r.deliveryCount().orElse((short) 1);
            this.key = r.key();
            this.value = r.value();
            // a label until the record is decoded (the key is the evaluation id, not the job id)
            this.jobId = topic + "-" + partition + "@" + offset;
        }

        boolean is(ConsumerRecord<String, String> r) {
            return r.offset() == offset && r.partition() == partition && r.topic().equals(topic);
        }
    }

    /** How a delivery ends: the acknowledgement and why (the metric's tag). */
    private record Outcome(AcknowledgeType type, String reason) {
    }

    /** The application is stopping: hand the job back. */
    private static final class Stopping extends RuntimeException {
        Stopping() {
            super("shutting down", null, false, false);
        }
    }
}
