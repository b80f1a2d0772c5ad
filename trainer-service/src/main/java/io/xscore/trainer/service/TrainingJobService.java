package io.xscore.trainer.service;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.xscore.augment.Augmentation;
import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.catalog.DatasetInfo;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Seeds;
import io.xscore.support.logging.LogContext;
import io.xscore.trainer.client.DatasetServiceClient;
import io.xscore.trainer.config.TrainerConfig;
import io.xscore.trainer.data.AugmentedEpochClient;
import io.xscore.trainer.data.AugmentedEpochs;
import io.xscore.trainer.data.DatasetClient;
import io.xscore.trainer.data.DatasetIdentityCheck;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;
import io.xscore.trainer.data.ShardCache;
import io.xscore.trainer.model.ModelRegistry;
import io.xscore.trainer.training.CheckpointStore;
import io.xscore.trainer.training.StopRequest;
import io.xscore.trainer.training.TrainingCancelledException;
import io.xscore.trainer.training.TrainingListener;
import io.xscore.trainer.training.TrainingLoop;
import io.xscore.trainer.training.TrainingOutcome;
import io.xscore.trainer.training.TrainingSetup;
import io.xscore.trainer.training.TrainingSuspendedException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Runs one {@link TrainingJob} end to end: checks model, dataset and augmentation, fetches the splits from the
 * dataset service, trains with {@link TrainingLoop}, and returns the {@link TrainingResult}. Any failure (unknown
 * model or dataset, fetch error, diverged loss, native out-of-memory...) becomes a FAILED result with the reason; the
 * one exception is a graceful stop ({@link StopRequest}): the run then writes an in-epoch checkpoint and
 * {@link TrainingSuspendedException} is thrown, so that the caller hands the job back instead of publishing a result.
 * Progress goes to the given sink.
 */
@ApplicationScoped
public class TrainingJobService {

    private static final Logger LOG = Logger.getLogger(TrainingJobService.class);

    private final TrainerConfig config;
    private final DjlEnvironment djl;
    private final TrainerMetrics metrics;
    private final CancellationRegistry cancellations;
    /** The dataset service (REST Client {@code datasets}: timeouts, retries and circuit breaker from configuration). */
    private final DatasetServiceClient datasetService;

    public TrainingJobService(TrainerConfig config, DjlEnvironment djl, TrainerMetrics metrics,
            CancellationRegistry cancellations, @RestClient DatasetServiceClient datasetService) {
        this.config = config;
        this.djl = djl;
        this.metrics = metrics;
        this.cancellations = cancellations;
        this.datasetService = datasetService;
        this.checkpoints = new CheckpointStore(Path.of(config.checkpointDir()));
    }

    /** The local shard cache, one per trainer process (size-bounded, verified). */
    private ShardCache shardCache;

    /** Fetches every job's splits through {@link #shardCache}; built once. */
    private DatasetClient datasets;

    /** The checkpoint directory; one store for the service (it holds no per-job state). */
    private final CheckpointStore checkpoints;

    private volatile TrainerStatus status;
    private volatile String trainerName;
    /**
     * Held while a job trains, and by a suite run on stored weights ({@link StoredRunSuites}): DJL has one gradient
     * recorder per process, and PGD on stored weights must not record into a training step's gradients.
     */
    private final java.util.concurrent.locks.ReentrantLock engine = new java.util.concurrent.locks.ReentrantLock();

    @PostConstruct
    void init() {
        shardCache = new ShardCache(Path.of(config.cacheDir()), config.cacheMaxBytes());
        metrics.watch(shardCache);
        datasets = new DatasetClient(datasetService, shardCache, config.datasetUnavailableWait());
    }

    public TrainerStatus status() {
        TrainerStatus s = status;
        return s != null ? s : TrainerStatus.idle(trainerName());
    }

    public String trainerName() {
        if (trainerName == null) {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "localhost";
            }
            trainerName = config.name().orElse("trainer-service@" + host);
        }
        return trainerName;
    }

    /** As {@link #run(TrainingJob, Consumer, StopRequest)} with a stop request that is never set. */
    public TrainingResult run(TrainingJob job, Consumer<TrainingProgress> progress) {
        return run(job, progress, new StopRequest());
    }

    /**
     * Trains the job (continuing from its checkpoint if there is a matching one) and returns its result, SUCCEEDED or
     * FAILED.
     *
     * @param stop set from any thread (shutdown, eviction, rebalance): the run finishes its current batch, writes a
     *             checkpoint inside the epoch and throws
     * @throws TrainingSuspendedException when {@code stop} stopped the run: no result; the job must be handed back and
     *                                    the next trainer continues from the checkpoint
     */
    public TrainingResult run(TrainingJob job, Consumer<TrainingProgress> progress, StopRequest stop) {
        // The handler sets them already; here too for a run started elsewhere (they nest).
        try (LogContext log = LogContext.of(job.evaluationId(), job.jobId())) {
            engine.lock();
            try {
                return runLogged(job, progress, stop);
            } finally {
                engine.unlock();
            }
        }
    }

    private TrainingResult runLogged(TrainingJob job, Consumer<TrainingProgress> progress, StopRequest stop) {
        long started = System.nanoTime();
        ProtocolSpec protocol = job.protocol();
        Tags tags = TrainerMetrics.tags(job.model(), job.dataset(), protocol.name());
        status = new TrainerStatus("training", trainerName(), job.jobId(), job.evaluationId(), job.model(),
                job.dataset(), protocol.name(), job.seed(), 0, protocol.epochs(), Instant.now());
        metrics.busy(true);
        metrics.job(tags, "started");
        LOG.infof("job %s: %s on %s, seed %d, protocol %s", job.jobId(), job.model(), job.dataset(), job.seed(),
                protocol.name());
        try {
            String trainer = trainerName() + " (" + djl.describe() + ")";
            safe(progress, progress(job, TrainingProgress.Kind.STARTED, 0, null, null, null, null, null, null, trainer));
            TrainingOutcome outcome = train(job, trainer, tags, progress, stop);
            trainer = trainer + "; augmentation " + outcome.augmentation()
                    + (outcome.resumedAt() != null ? "; resumed at " + outcome.resumedAt() : "");
            metrics.job(tags, "succeeded");
            LOG.infof("job %s succeeded: test accuracy %.2f %%, %.1f images/s, %.1f s", job.jobId(),
                    outcome.testAccuracy(), outcome.trainImagesPerSecond(), outcome.wallSeconds());
            return new TrainingResult(TrainingResult.SCHEMA_VERSION, job.evaluationId(), job.jobId(), job.model(),
                    job.dataset(), job.seed(), protocol.name(), protocol.paper(), TrainingResult.Status.SUCCEEDED,
                    outcome.testAccuracy(), outcome.epochTestAccuracies(), outcome.finalTrainLoss(),
                    outcome.parameterCount(), outcome.wallSeconds(), outcome.trainImagesPerSecond(),
                    outcome.trainImages(), outcome.testImages(), outcome.resolution(), trainer, null, protocol,
                    Instant.now(), outcome.augmentationSource()).withRobustness(outcome.robustness());
        } catch (TrainingSuspendedException e) {
            metrics.job(tags, "suspended");
            LOG.infof("job %s suspended at epoch %d, batch %d: handing it back", job.jobId(), e.epoch() + 1,
                    e.batch());
            throw e;
        } catch (Throwable e) {
            String reason = reason(e);
            metrics.job(tags, e instanceof TrainingCancelledException ? "cancelled" : "failed");
            LOG.warnf("job %s failed: %s", job.jobId(), reason);
            if (!(e instanceof IllegalArgumentException || e instanceof UnsupportedOperationException
                    || e instanceof io.xscore.trainer.data.DatasetFetchException
                    || e instanceof io.xscore.trainer.training.TrainingFailedException
                    || e instanceof TrainingCancelledException)) {
                LOG.warn("unexpected failure", e);
            }
            return failed(job, reason, (System.nanoTime() - started) / 1e9);
        } finally {
            status = null;
            metrics.busy(false);
        }
    }

    private TrainingOutcome train(TrainingJob job, String trainer, Tags tags, Consumer<TrainingProgress> progress,
                                  StopRequest stop) {
        ProtocolSpec protocol = job.protocol();
        DatasetInfo dataset = DatasetCatalog.find(job.dataset())
                .orElseThrow(() -> new IllegalArgumentException("unknown dataset '" + job.dataset() + "'"));
        int resolution = resolution(protocol, dataset);
        ModelRegistry.spec(job.model(), dataset.classes(), resolution);
        Augmentation.forJob(protocol.augmentation(), dataset.id());
        cancellations.reasonFor(job.evaluationId(), job.jobId()).ifPresent(r -> {
            throw new TrainingCancelledException(r);
        });

        DatasetClient.Split train = datasets.fetch(dataset.id(), "train");
        DatasetClient.Split test = datasets.fetch(dataset.id(), "test");
        // the job id was derived from the dataset's content digest at planning: train only on that content
        DatasetIdentityCheck.check(job.identity(), train, test);
        if (train.manifest().classes() != dataset.classes()) {
            throw new IllegalArgumentException("dataset service reports " + train.manifest().classes()
                    + " classes for " + dataset.id() + ", the catalog " + dataset.classes());
        }
        ImageSet trainSet = train.images().subset(protocol.trainSubset(), Seeds.derive(job.seed(), "train-subset"));
        ImageSet testSet = test.images().subset(protocol.testSubset(), Seeds.derive(job.seed(), "test-subset"));
        Normalisation norm = Normalisation.of(train.manifest().mean(), train.manifest().std());
        TrainingSetup setup = new TrainingSetup(job.jobId(), job.model(), dataset.id(), protocol, job.seed(), resolution, dataset.classes(),
                trainSet, testSet, norm, config.heartbeatSeconds(), job.robustness(),
                job.robustness() == null ? null : test.images());
        Timer stepTimer = metrics.stepTimer(tags);
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onEpoch(EpochStats s) {
                metrics.epoch(tags, s.epochSeconds(), s.imagesPerSecond());
                TrainerStatus current = status;
                if (current != null) {
                    status = new TrainerStatus(current.state(), current.trainer(), current.jobId(),
                            current.evaluationId(), current.model(), current.dataset(), current.protocol(),
                            current.seed(), s.epoch(), s.epochs(), current.startedAt());
                }
                safe(progress, progress(job, TrainingProgress.Kind.EPOCH, s.epoch(), s.trainLoss(),
                        s.trainAccuracy(), s.testAccuracy(), s.learningRate(), s.imagesPerSecond(), s.etaSeconds(),
                        trainer));
            }

            @Override
            public void onHeartbeat(int epoch, int step, int steps, double runningLoss, double imagesPerSecond,
                                    double etaSeconds) {
                safe(progress, progress(job, TrainingProgress.Kind.HEARTBEAT, epoch, runningLoss, null, null, null,
                        imagesPerSecond, etaSeconds, trainer));
            }

            @Override
            public void onRobustness(int done, int total, double etaSeconds) {
                // a heartbeat after the last epoch: the job is alive while its suites run
                safe(progress, progress(job, TrainingProgress.Kind.HEARTBEAT, protocol.epochs(), null, null, null,
                        null, null, etaSeconds, trainer));
            }

            @Override
            public void onStep(double seconds) {
                stepTimer.record((long) (seconds * 1e9), TimeUnit.NANOSECONDS);
            }

            @Override
            public void onResume(int epoch, int batch) {
                LOG.infof("job %s: resuming from the checkpoint at epoch %d, batch %d", job.jobId(), epoch + 1,
                        batch);
            }

            @Override
            public String cancellation() {
                return cancellations.reasonFor(job.evaluationId(), job.jobId()).orElse(null);
            }
        };
        AugmentedEpochs augmented = config.augmentationCache().mode() == TrainerConfig.AugmentationCache.Mode.PREFER
                ? new AugmentedEpochClient(datasets, dataset.id(), protocol.augmentation(), resolution, job.seed(),
                        config.augmentationCache().lookahead(),
                        config.augmentationCache().sharedDir().map(Path::of).orElse(null))
                : AugmentedEpochs.none("augmentation cache off (xscore.trainer.augmentation-cache.mode)");
        try (augmented) {
            return new TrainingLoop(dataThreads(), augmented, config.checkpointInterval())
                    .run(setup, listener, checkpoints(), stop);
        }
    }

    private static TrainingProgress progress(TrainingJob job, TrainingProgress.Kind kind, int epoch, Double loss,
                                             Double trainAccuracy, Double testAccuracy, Double lr, Double ips,
                                             Double eta, String trainer) {
        return TrainingProgress.of(job.ref(), kind, epoch, job.protocol().epochs(), finite(loss), trainAccuracy,
                testAccuracy, lr, ips, eta == null ? null : Math.max(0, eta), trainer, Instant.now(), null);
    }

    private static Double finite(Double d) {
        return d == null || !Double.isFinite(d) ? null : d;
    }

    /** Progress is best effort: a failure to publish it never fails the job. */
    private static void safe(Consumer<TrainingProgress> sink, TrainingProgress p) {
        try {
            sink.accept(p);
        } catch (RuntimeException e) {
            LOG.warnf("could not publish %s progress of job %s: %s", p.kind(), p.jobId(), e.getMessage());
        }
    }

    private TrainingResult failed(TrainingJob job, String reason, double wallSeconds) {
        return TrainingResult.failed(job.ref(), job.protocol(), trainerName(), reason, wallSeconds, Instant.now());
    }

    int dataThreads() {
        int configured = config.dataThreads();
        return configured > 0 ? configured
                : Math.max(1, Runtime.getRuntime().availableProcessors() - config.threads());
    }

    /** The checkpoint store of {@code xscore.trainer.checkpoint-dir}, one per service (it holds no per-job state). */
    /** The lock a job holds while it trains (see {@link #engine}). */
    java.util.concurrent.locks.ReentrantLock engine() {
        return engine;
    }

    /** The verified, cached dataset reads jobs use. */
    DatasetClient datasets() {
        return datasets;
    }

    /** The resolution a job of {@code protocol} trains and tests at on {@code dataset}. */
    static int resolutionOf(ProtocolSpec protocol, DatasetInfo dataset) {
        return resolution(protocol, dataset);
    }

    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    private static int resolution(ProtocolSpec protocol, DatasetInfo dataset) {
        return protocol.resolution() != null ? protocol.resolution() : dataset.resolution();
    }

    /**
     * Where the job would resume: "epoch 3, batch 120" (the 1-based epoch in progress and its batches done; batch 0
     * at an epoch boundary; "3 epochs done" when every epoch is) if its checkpoint exists, is intact and was written
     * for this job's model, dataset, seed, resolution and resolved protocol; empty otherwise (it would start from
     * scratch). Reads the whole checkpoint (CRC checked); the data sizes, known only after fetching the splits, are
     * checked when the run starts.
     */
    public Optional<String> resumePoint(TrainingJob job) {
        try {
            DatasetInfo dataset = DatasetCatalog.find(job.dataset()).orElse(null);
            if (dataset == null) {
                return Optional.empty();
            }
            ProtocolSpec protocol = job.protocol();
            int resolution = resolution(protocol, dataset);
            return checkpoints().load(job.jobId())
                    .filter(c -> TrainingLoop.fingerprintMatches(c.fingerprint(), job.jobId(), job.model(),
                            dataset.id(), job.seed(), resolution, dataset.classes(), protocol))
                    .map(c -> c.state().describe(protocol.epochs()));
        } catch (RuntimeException e) {
            LOG.warnf("job %s: cannot read its checkpoint: %s", job.jobId(), e.toString());
            return Optional.empty();
        }
    }

    /**
     * Called once the job's result has been acknowledged by the broker and recorded in the result ledger (before
     * the job record is acknowledged): the checkpoint is no longer needed, unless
     * {@code xscore.trainer.keep-checkpoints} is set.
     */
    public void finished(TrainingJob job) {
        if (!config.keepCheckpoints() && checkpoints().delete(job.jobId())) {
            LOG.debugf("job %s: checkpoint deleted", job.jobId());
        }
    }

    /**
     * The failure reason of a job: the exception's message, with "out of memory: " in front of JVM and native
     * (PyTorch allocator: "can't allocate memory", "not enough memory", CUDA "out of memory") allocation failures.
     */
    static String reason(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        if (message.length() > 2000) {
            message = message.substring(0, 2000) + "…";
        }
        if (e instanceof OutOfMemoryError || OUT_OF_MEMORY.matcher(message).find()) {
            return message.startsWith("out of memory") ? message : "out of memory: " + message;
        }
        return message;
    }

    private static final Pattern OUT_OF_MEMORY = Pattern.compile(
            "(?i)out of memory|not enough memory|can.t allocate memory|cannot allocate memory|std::bad_alloc");
}
