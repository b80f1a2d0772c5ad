package io.xscore.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** {@code xscore.trainer.*}: how this trainer runs jobs. */
@ConfigMapping(prefix = "xscore.trainer")
public interface TrainerConfig {

    /** PyTorch intra-op and inter-op threads, fixed before the engine loads (same threads + seed = same curve). */
    @WithDefault("2")
    int threads();

    /**
     * CPU threads that build training batches (crop, resize, RandAugment, ColorJitter, normalisation) and prefetch
     * the next one while a step trains; 0 = automatic: the cores left over by the PyTorch threads, at least 1.
     * Results do not depend on it (every image has its own seeded generator).
     */
    @WithDefault("0")
    int dataThreads();

    /** Seconds between HEARTBEAT progress records within an epoch. */
    @WithDefault("15")
    double heartbeatSeconds();

    /**
     * Base URL of the dataset service: the URL of the REST Client {@code datasets}
     * ({@code quarkus.rest-client.datasets.url} in application.properties refers to it).
     */
    @WithDefault("http://127.0.0.1:8082")
    String datasetServiceUrl();

    /** Local shard cache; shards are stored by SHA-256, verified on every read and reused by later jobs. */
    @WithDefault("${java.io.tmpdir}/xscore-trainer-cache")
    String cacheDir();

    /**
     * Bound of the local shard cache in bytes (least recently used shards are evicted beyond it; the shards of the
     * running job never are); 0 = unbounded. 20 GiB by default: the seven benchmark datasets' caches total ~8 GiB.
     */
    @WithDefault("21474836480")
    long cacheMaxBytes();

    /** Pre-computed augmented epochs from the dataset service ({@code xscore.trainer.augmentation-cache.*}). */
    AugmentationCache augmentationCache();

    interface AugmentationCache {

        /**
         * {@code off}: the trainer augments every epoch itself; {@code prefer}: for pipelines with RandAugment or
         * ColorJitter it asks the dataset service to pre-compute epochs ahead and streams those that are ready,
         * augmenting the others itself. Both give bit-identical images; the result records which path ran. Worth it
         * on GPU pods, where CPU augmentation is the bottleneck.
         */
        @WithDefault("off")
        Mode mode();

        /** Epochs the dataset service computes ahead of the one training. */
        @WithDefault("2")
        int lookahead();

        /**
         * The dataset service's augmentation directory ({@code xscore.dataset.augmentation.dir}) where this trainer
         * can mount it (a shared or node-local volume): epoch shards are then read from disk instead of over HTTP,
         * still verified. Unset: HTTP only.
         */
        Optional<String> sharedDir();

        enum Mode { OFF, PREFER }
    }

    /**
     * Read timeout of one request to the dataset service (manifest preparation may take a while): the REST Client's
     * {@code quarkus.rest-client.datasets.read-timeout} in application.properties is derived from it.
     */
    @WithDefault("300")
    int datasetTimeoutSeconds();

    /**
     * How long a job starting while the dataset service cannot be reached (down, restarting) waits for it before it
     * fails: a restart of the dataset service must not fail the jobs that start meanwhile.
     */
    @WithDefault("5m")
    java.time.Duration datasetUnavailableWait();

    /**
     * Directory of the checkpoints ({@code <hash of job id>.ckpt}); in Kubernetes a PersistentVolumeClaim shared by the
     * trainers, so a job handed to another pod resumes from its last checkpoint (inside an epoch after a graceful
     * stop or a periodic checkpoint). Several trainer processes may share it.
     */
    @WithDefault("${java.io.tmpdir}/xscore-trainer-checkpoints")
    String checkpointDir();

    /**
     * Time between checkpoints written inside an epoch (weights, optimiser state, position in the epoch, running
     * metrics), so that a trainer killed hard loses at most about this much work; 0 = checkpoints only at the end of
     * every epoch and on a graceful stop.
     */
    @WithDefault("10m")
    java.time.Duration checkpointInterval();

    /**
     * The share group the trainers take jobs from ({@code xscore.trainer.share-group.*}). The group settings are set
     * on the broker by every trainer at start-up (Admin incrementalAlterConfigs on the group), so the same values
     * apply on a real cluster; the broker bounds them ({@code group.share.min/max.record.lock.duration.ms},
     * {@code group.share.min/max.delivery.count.limit}).
     */
    ShareGroup shareGroup();

    interface ShareGroup {

        /** The share group of the trainers (one queue of jobs, shared by all of them, without a partition ceiling). */
        @WithDefault("trainers")
        String id();

        /**
         * Group config {@code share.record.lock.duration.ms}: how long a delivered job stays locked to its trainer
         * without a renewal. The trainer renews every third of it while the job trains, so this is how long a job
         * whose trainer was killed (or stalled) waits before another trainer gets it. 60 s: the longest a broker
         * allows by default ({@code group.share.max.record.lock.duration.ms}), so a stall of up to ~40 s (GC, a slow
         * checkpoint write) never loses the lock, and a killed trainer's job is back within a minute.
         */
        @WithDefault("60s")
        java.time.Duration lockDuration();

        /**
         * Group config {@code share.delivery.count.limit}: deliveries of one job before the broker gives up on it.
         * A trainer that receives a job on this last delivery does not train it: it publishes a FAILED result
         * ("rejected after N deliveries: …") and rejects the record, so a job that kills its trainer every time ends
         * FAILED instead of crash-looping. A graceful release (shutdown, rolling update) also uses up a delivery,
         * so a job of days must survive several restarts: 10, the broker's default maximum
         * ({@code group.share.max.delivery.count.limit}), i.e. up to 9 training attempts.
         */
        @WithDefault("10")
        int deliveryLimit();

        /**
         * Group config {@code share.auto.offset.reset}: where a group that has no state yet starts. earliest: jobs
         * published before the first trainer ever started are trained too (latest, Kafka's default, would skip them).
         */
        @WithDefault("earliest")
        String autoOffsetReset();

        /**
         * Group config {@code share.renew.acknowledge.enable} (KIP-1222, Kafka 4.2+): lets trainers renew the lock of
         * the job they train for as long as it trains; without it a job longer than the lock would be handed to a
         * second trainer. Always true; a switch only to see the broker refuse it.
         */
        @WithDefault("true")
        boolean renewAcknowledgeEnable();

        /**
         * Consumer config {@code share.acquire.mode} (KIP-1206, Kafka 4.2+; a consumer setting, not a group one):
         * {@code record_limit} makes {@code max.poll.records=1} a strict limit on the records a trainer acquires, so a
         * trainer never holds a second job it cannot start (which would wait, locked, for hours or burn a delivery
         * when released). Kafka's default, batch_optimized, may acquire a whole batch.
         */
        @WithDefault("record_limit")
        String acquireMode();

        /**
         * How long shutdown (SIGTERM) waits for the running job to stop after its current batch, write its checkpoint
         * and be released to the group (RELEASED progress), before the process exits anyway (the job then comes back
         * when its lock expires). Below {@code quarkus.shutdown.timeout} (100 s), itself below Kubernetes'
         * terminationGracePeriodSeconds (120).
         */
        @WithDefault("90s")
        java.time.Duration stopTimeout();
    }

    /** Keep a job's checkpoint after its result has been acknowledged (default: delete it). */
    @WithDefault("false")
    boolean keepCheckpoints();

    /** Name recorded in results and progress; defaults to "trainer-service@&lt;host&gt;". */
    Optional<String> name();

    /**
     * How a job that already has a result is recognised before any training starts: a finished job never trains
     * again ({@code xscore.trainer.results.*}).
     */
    Results results();

    interface Results {

        /**
         * Ask the scoring service (the owner of stored results; {@code quarkus.rest-client.scoring.url}) whether the
         * job already succeeded, e.g. on another trainer. Off: only this trainer's own result ledger is checked.
         */
        @WithDefault("true")
        boolean checkScoring();

        /**
         * How long to wait for a scoring service that cannot be reached (restarting) before training anyway; one that
         * answers with an error (its database is down) is not waited for. A duplicate result is then refused
         * downstream, never shown twice: training is not held hostage by an outage of the scoring service.
         */
        @WithDefault("30s")
        java.time.Duration checkTimeout();

        /** How long the result ledger keeps a finished job's result (it answers redeliveries without retraining). */
        @WithDefault("14d")
        java.time.Duration ledgerRetention();
    }
}
