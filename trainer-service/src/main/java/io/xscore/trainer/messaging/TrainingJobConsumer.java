package io.xscore.trainer.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.xscore.common.concurrent.DaemonThreads;
import io.xscore.common.messaging.Topics;
import io.xscore.support.messaging.TransientFailures;
import io.xscore.trainer.config.TrainerConfig;
import io.xscore.trainer.messaging.TrainingJobHandler.Outcome;
import io.xscore.trainer.service.TrainerMetrics;
import io.xscore.trainer.service.TrainingJobService;
import io.xscore.trainer.training.StopRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
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
 *   <li>Each job is processed by {@link TrainingJobHandler}, which says how its delivery ends (ACCEPT, RELEASE or
 *       REJECT, and why); this thread acknowledges it so. At shutdown the running job is asked to stop through its
 *       {@link StopRequest} and handed back (RELEASE).</li>
 *   <li>A renewal the broker refuses means the lock expired (this process stalled) and another trainer may have the
 *       job: the run is stopped, logged and counted ({@code xscore_trainer_lock_lost_total}).</li>
 * </ul>
 */
@ApplicationScoped
public class TrainingJobConsumer {

    private static final Logger LOG = Logger.getLogger(TrainingJobConsumer.class);
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    private static final Duration BUSY_POLL = Duration.ofMillis(200);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);

    private final TrainingJobHandler handler;
    private final TrainingJobService service;
    private final TrainerMetrics metrics;
    private final TrainerConfig.ShareGroup config;
    private final KafkaClientSettings kafka;
    private final AttemptLog attempts;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(DaemonThreads.named("xscore-trainer-job"));
    private final CountDownLatch loopEnded = new CountDownLatch(1);

    private volatile boolean stopping;
    private volatile Thread thread;
    private volatile Delivery running;
    private volatile long lastLoopNanos = System.nanoTime();
    private volatile boolean subscribed;
    private volatile String problem;

    public TrainingJobConsumer(TrainingJobHandler handler, TrainingJobService service, TrainerMetrics metrics,
            TrainerConfig config, KafkaClientSettings kafka) {
        this.handler = handler;
        this.service = service;
        this.metrics = metrics;
        this.config = config.shareGroup();
        this.kafka = kafka;
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
            problem = new ShareGroupSettings(kafka, config).apply(() -> stopping);
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
        return consumerConfig(kafka, config, service.trainerName());
    }

    /**
     * The share consumer's configuration: the cluster's connection and security settings (the same {@code kafka.*}
     * settings as the SmallRye channels, {@link KafkaClientSettings}) and the share group's own.
     */
    static Map<String, Object> consumerConfig(KafkaClientSettings kafka, TrainerConfig.ShareGroup config,
            String trainerName) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, config.id());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "trainer-jobs-" + trainerName);
        c.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        c.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, config.acquireMode());
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        return kafka.with(c);
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
                if (current.lockLost) {
                    // Nothing of ours to renew, and a poll now would acquire the next queued job only to release it
                    // (each acquisition counts as a delivery: a tight loop here once burned a queued job's ten
                    // deliveries in a second while a broker restarted). Wait for the stopping run to end.
                    current.nextRenewalNanos = System.nanoTime() + renewalInterval(consumer).toNanos();
                    continue;
                }
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
        d.outcome = worker.submit(() -> handler.handle(d, () -> stopping));
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
        // Stop after the batch and checkpoint as at shutdown: safe even if another trainer has the job by now, because
        // the checkpoint store never replaces a further-along checkpoint and a resume is deterministic (the same
        // position holds the same state, whoever trained it), and it keeps the work done since the last checkpoint
        // (a broker restart loses every lock).
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

    /** One delivery of a job record to this trainer. */
    private static final class Delivery implements TrainingJobHandler.Received {
        final String topic;
        final int partition;
        final long offset;
        final int deliveryCount;
        final String key;
        final String value;
        final Map<String, String> traceHeaders = new HashMap<>();
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
            for (String name : List.of("traceparent", "tracestate")) {
                Header h = r.headers().lastHeader(name);
                if (h != null && h.value() != null) {
                    traceHeaders.put(name, new String(h.value(), StandardCharsets.UTF_8));
                }
            }
            // a label until the record is decoded (the key is the evaluation id, not the job id)
            this.jobId = topic + "-" + partition + "@" + offset;
        }

        boolean is(ConsumerRecord<String, String> r) {
            return r.offset() == offset && r.partition() == partition && r.topic().equals(topic);
        }

        @Override
        public String topic() {
            return topic;
        }

        @Override
        public int partition() {
            return partition;
        }

        @Override
        public long offset() {
            return offset;
        }

        @Override
        public int deliveryCount() {
            return deliveryCount;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public String value() {
            return value;
        }

        @Override
        public StopRequest stop() {
            return stop;
        }

        @Override
        public boolean lockLost() {
            return lockLost;
        }

        @Override
        public Map<String, String> traceHeaders() {
            return traceHeaders;
        }

        @Override
        public void identify(String jobId) {
            this.jobId = jobId;
        }
    }
}
