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

    /** Base URL of the dataset service. */
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

    /** Timeout of one request to the dataset service (manifest preparation may take a while). */
    @WithDefault("300")
    int datasetTimeoutSeconds();

    /**
     * How long a job starting while the dataset service cannot be reached (down, restarting) waits for it before it
     * fails: a restart of the dataset service must not fail the jobs that start meanwhile.
     */
    @WithDefault("5m")
    java.time.Duration datasetUnavailableWait();

    /**
     * Longest a job may run before the consumer channel reports unhealthy (the Kafka throttled commit strategy's
     * unprocessed-record age, applied through application.properties). 24 h by default: a job running longer is
     * the alarm.
     */
    @WithDefault("86400000")
    long maxJobDurationMs();

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
     * every epoch and on a graceful stop. A checkpoint of a paper-size model takes well under a second.
     */
    @WithDefault("10m")
    java.time.Duration checkpointInterval();

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
