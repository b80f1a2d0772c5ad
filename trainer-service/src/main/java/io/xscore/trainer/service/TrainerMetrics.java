package io.xscore.trainer.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.xscore.trainer.data.ShardCache;
import io.xscore.trainer.training.NativeMemory;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prometheus metrics (names as exported): {@code xscore_jobs_total{state=started|succeeded|failed}},
 * {@code xscore_training_epoch_seconds}, {@code xscore_training_step_seconds},
 * {@code xscore_training_images_per_second} (last epoch), {@code xscore_trainer_busy} and
 * {@code xscore_training_native_memory_bytes} (process VmRSS), and the local shard cache:
 * {@code xscore_trainer_shard_cache_bytes}, {@code xscore_trainer_shard_cache_requests_total{result=hit|miss}},
 * {@code xscore_trainer_shard_cache_evictions_total}. Tags: model, dataset, protocol (and state); never a job id.
 *
 * <p>The share-group job queue: {@code xscore_trainer_busy} (1 while a job record is held, 0 idle),
 * {@code xscore_trainer_jobs_accepted_total{source=trained|ledger|scoring}},
 * {@code xscore_trainer_jobs_released_total{reason=shutdown|surplus|lock_lost}},
 * {@code xscore_trainer_jobs_rejected_total{reason=delivery_limit|invalid|unpublishable}},
 * {@code xscore_trainer_jobs_redelivered_total} (jobs received with a delivery count above 1),
 * {@code xscore_trainer_lock_renewals_total}, {@code xscore_trainer_lock_renewal_failures_total} (a renewal the
 * broker refused or that could not be sent; a refused one means the lock was lost),
 * {@code xscore_trainer_lock_lost_total}, {@code xscore_trainer_acknowledgement_failures_total{type}}.
 */
@ApplicationScoped
public class TrainerMetrics {

    private final MeterRegistry registry;

    public TrainerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }


    private final AtomicInteger busy = new AtomicInteger();
    private final Map<Tags, double[]> imagesPerSecond = new ConcurrentHashMap<>();

    @jakarta.annotation.PostConstruct
    void init() {
        registry.gauge("xscore.trainer.busy", Tags.empty(), busy);
        Gauge.builder("xscore.training.native.memory", NativeMemory::residentBytes).baseUnit("bytes")
                .description("resident memory of the trainer process (VmRSS), dominated by PyTorch's native memory")
                .register(registry);
    }

    /** Exports the counters of the trainer's local shard cache. */
    public void watch(ShardCache shardCache) {
        Gauge.builder("xscore.trainer.shard.cache", shardCache, c -> Math.max(0, c.bytes())).baseUnit("bytes")
                .description("bytes in the local shard cache after the last store").register(registry);
        FunctionCounter.builder("xscore.trainer.shard.cache.requests", shardCache, ShardCache::hits)
                .tag("result", "hit").register(registry);
        FunctionCounter.builder("xscore.trainer.shard.cache.requests", shardCache, ShardCache::misses)
                .tag("result", "miss").register(registry);
        FunctionCounter.builder("xscore.trainer.shard.cache.evictions", shardCache, ShardCache::evictions)
                .register(registry);
    }

    public static Tags tags(String model, String dataset, String protocol) {
        return Tags.of("model", nz(model), "dataset", nz(dataset), "protocol", nz(protocol));
    }

    private static String nz(String s) {
        return s == null ? "unknown" : s;
    }

    public void job(Tags tags, String state) {
        registry.counter("xscore.jobs", tags.and("state", state)).increment();
    }

    /**
     * A job delivered again that was not trained again: answered from this trainer's result ledger
     * ({@code source=ledger}, its result published again) or found succeeded by the scoring service
     * ({@code source=scoring}).
     */
    public void notRetrained(String source) {
        registry.counter("xscore.trainer.jobs.not.retrained", "source", source).increment();
    }

    /** A result publish the broker did not acknowledge, retried. */
    public void resultPublishRetried() {
        registry.counter("xscore.trainer.result.publish.retries").increment();
    }

    /** A job record acknowledged ACCEPT: its result is safe ({@code source=trained|ledger|scoring}). */
    public void accepted(String source) {
        registry.counter("xscore.trainer.jobs.accepted", "source", source).increment();
    }

    /** A job record handed back to the group ({@code reason=shutdown|surplus|lock_lost}). */
    public void released(String reason) {
        registry.counter("xscore.trainer.jobs.released", "reason", reason).increment();
    }

    /** A job record given up for good ({@code reason=delivery_limit|invalid|unpublishable}). */
    public void rejected(String reason) {
        registry.counter("xscore.trainer.jobs.rejected", "reason", reason).increment();
    }

    /** A job received with a delivery count above 1 (released, or its lock expired, before). */
    public void redelivered() {
        registry.counter("xscore.trainer.jobs.redelivered").increment();
    }

    public void lockRenewed() {
        registry.counter("xscore.trainer.lock.renewals").increment();
    }

    public void lockRenewalFailed() {
        registry.counter("xscore.trainer.lock.renewal.failures").increment();
    }

    /** The broker refused a renewal or the final acknowledgement: the lock had expired, another trainer may have it. */
    public void lockLost() {
        registry.counter("xscore.trainer.lock.lost").increment();
    }

    /** A final acknowledgement (ACCEPT, RELEASE, REJECT) the broker did not confirm. */
    public void acknowledgementFailed(String type) {
        registry.counter("xscore.trainer.acknowledgement.failures", "type", type).increment();
    }

    public void busy(boolean value) {
        busy.set(value ? 1 : 0);
    }

    public void epoch(Tags tags, double seconds, double imagesPerSecondValue) {
        Timer.builder("xscore.training.epoch").tags(tags).register(registry)
                .record(Duration.ofNanos((long) (seconds * 1e9)));
        double[] holder = imagesPerSecond.computeIfAbsent(tags, t -> {
            double[] h = new double[1];
            registry.gauge("xscore.training.images.per.second", t, h, a -> a[0]);
            return h;
        });
        holder[0] = imagesPerSecondValue;
    }

    public Timer stepTimer(Tags tags) {
        return Timer.builder("xscore.training.step").tags(tags).register(registry);
    }
}
