package io.xscore.trainer.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.xscore.augment.Augmentation;
import io.xscore.augment.EpochAugmentation;
import io.xscore.common.messaging.RobustnessReport;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Seeds;
import io.xscore.trainer.data.AugmentedEpochs;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.model.ModelRegistry;
import io.xscore.trainer.protocol.LrSchedule;
import io.xscore.trainer.robustness.RobustnessEvaluation;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The training protocol of docs/benchmark.md §3 on DJL/PyTorch: seeded model initialisation, per-epoch shuffled batches
 * (last partial batch kept), per-image augmentation, RandomErasing where the pipeline has it, CutMix with label
 * smoothing on every batch, Adam with the warm-up + cosine schedule set once per epoch, and a test evaluation after
 * every epoch (recorded, never selected on; the reported accuracy is the last epoch's). The run builds the model and
 * optimiser, restores a checkpoint if there is one, and runs {@link TrainingEpoch}s; where it stands is a
 * {@link RunState}.
 *
 * <p>Data: {@link BatchAssembler} builds batches on {@code dataThreads} CPU threads and the next batch is prefetched
 * while the current step trains.
 *
 * <p>Memory: parameters, BatchNorm statistics and optimiser moments live in one manager for the run; every training
 * step and evaluation batch runs in its own sub-manager that is closed right after, which frees its intermediates.
 *
 * <p>Reproducibility: the engine seed (initialisation) derives from the job seed; the data order and CutMix
 * generators of epoch e are created at the start of the epoch from (job seed, stream, e), each image's augmentation
 * generator from (job seed, e, its index in the split), RandomErasing's from (job seed, e, position), and PyTorch's
 * generator (dropout, stochastic depth) is re-seeded before every batch from (job seed, e, batch); all independent of
 * the data threads. The same seed on the same thread count and device gives the same loss curve, and a run resumed from
 * a checkpoint written at any batch draws the same numbers as a straight run, so it ends with the same parameters,
 * losses and accuracies.
 *
 * <p>Checkpoints (when a {@link CheckpointStore} is given): after every epoch, every {@code checkpointInterval} within
 * an epoch, and when a {@link StopRequest} stops the run after a batch (then {@link TrainingSuspendedException} is
 * thrown): all parameters, the optimiser state and the run state. A run whose job has a matching checkpoint continues
 * from its position.
 */
public final class TrainingLoop {

    private static final Logger LOG = Logger.getLogger(TrainingLoop.class);

    /** Default interval of in-epoch checkpoints (the default of {@code xscore.trainer.checkpoint-interval}). */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofMinutes(10);

    /** Evaluation batch size: larger than training batches; does not change results (BatchNorm in eval mode). */
    private static final int EVAL_BATCH = 128;

    private final int dataThreads;
    private final AugmentedEpochs augmentedEpochs;
    private final Duration checkpointInterval;

    /** Batches built on the calling thread (no prefetch). */
    public TrainingLoop() {
        this(0);
    }

    /** @param dataThreads CPU threads that build batches, prefetching the next one (0: the training thread) */
    public TrainingLoop(int dataThreads) {
        this(dataThreads, AugmentedEpochs.none("augmentation cache off"));
    }

    /** @param augmentedEpochs pre-computed augmented epochs to use where available */
    public TrainingLoop(int dataThreads, AugmentedEpochs augmentedEpochs) {
        this(dataThreads, augmentedEpochs, DEFAULT_CHECKPOINT_INTERVAL);
    }

    /**
     * @param checkpointInterval time between checkpoints written inside an epoch (when the run has a
     *                           {@link CheckpointStore}); zero: only at the end of epochs and on a stop request
     */
    public TrainingLoop(int dataThreads, AugmentedEpochs augmentedEpochs, Duration checkpointInterval) {
        this.dataThreads = dataThreads;
        this.augmentedEpochs = augmentedEpochs;
        this.checkpointInterval = checkpointInterval == null ? Duration.ZERO : checkpointInterval;
    }

    public TrainingOutcome run(TrainingSetup setup, TrainingListener listener) {
        return run(setup, listener, null, new StopRequest());
    }

    public TrainingOutcome run(TrainingSetup setup, TrainingListener listener, CheckpointStore checkpoints) {
        return run(setup, listener, checkpoints, new StopRequest());
    }

    /**
     * Trains the job, continuing from its checkpoint in {@code checkpoints} (may be null: none) if there is a matching
     * one.
     *
     * @param stop polled after every optimiser step (and after every epoch): when set, the run writes a checkpoint
     *             (if it has a store) and throws {@link TrainingSuspendedException}
     * @throws TrainingSuspendedException  on a stop request, unless the run had already finished its last epoch
     * @throws TrainingCancelledException  when the listener reports a cancellation
     * @throws TrainingFailedException     when the loss diverges
     */
    public TrainingOutcome run(TrainingSetup setup, TrainingListener listener, CheckpointStore checkpoints,
                               StopRequest stop) {
        ProtocolSpec protocol = setup.protocol();
        if (protocol.weightDecay() != 0.0) {
            // recorded only (ProtocolSpec): the paper's Adam has no weight decay and Adam here applies none
            throw new IllegalArgumentException("protocol " + protocol.name() + ": weightDecay must be 0, got "
                    + protocol.weightDecay());
        }
        Augmentation augmentation = Augmentation.forJob(protocol.augmentation(), setup.dataset());
        ModelRegistry.ModelSpec spec = ModelRegistry.spec(setup.model(), setup.classes(), setup.resolution());
        LrSchedule schedule = LrSchedule.of(protocol, setup.model());
        long started = System.nanoTime();
        Engine engine = Engine.getInstance();
        engine.setRandomSeed(Seeds.engineSeed(setup.seed()));
        PhaseTimes phases = new PhaseTimes();
        StopRequest stopRequest = stop == null ? new StopRequest() : stop;
        checkCancelled(listener);

        try (NDManager manager = NDManager.newBaseManager();
             BatchAssembler assembler = new BatchAssembler(dataThreads)) {
            Block block = ModelRegistry.build(spec);
            block.initialize(manager, DataType.FLOAT32, spec.inputShape(1));
            Map<String, Parameter> all = new LinkedHashMap<>();
            Map<String, Parameter> trainable = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                all.put(p.getKey(), p.getValue());
                if (p.getValue().requiresGradient()) {
                    trainable.put(p.getKey(), p.getValue());
                }
            }
            long parameterCount = ModelRegistry.trainableParameters(block);
            Adam adam = new Adam(manager, trainable, protocol.adamBeta1(), protocol.adamBeta2(), protocol.adamEpsilon());
            ParameterStore store = new ParameterStore(manager, false);
            ImageSet train = setup.train();
            ImageSet test = setup.test();
            listener.onStart(parameterCount, train.size(), test.size(), setup.resolution());

            String fingerprint = fingerprint(setup);
            RunState state = new RunState();
            Optional<Checkpoint> resume = checkpoints == null ? Optional.empty() : checkpoints.load(setup.jobId());
            if (resume.isPresent() && !resume.get().fingerprint().equals(fingerprint)) {
                LOG.warnf("checkpoint of job %s was written for another setup; starting from scratch", setup.jobId());
                resume = Optional.empty();
            }
            if (resume.isPresent()) {
                Checkpoint c = resume.get();
                restore(all, c.parameters());
                adam.importState(c.optimizer());
                state = c.state();
                LOG.infof("job %s resumes at %s of %d", setup.jobId(), state.describe(protocol.epochs()),
                        protocol.epochs());
                listener.onResume(state.epochsDone());
                listener.onResume(state.epoch(), state.batch());
            }
            int firstEpoch = state.epoch();
            String resumedAt = resume.isPresent() ? state.describe(protocol.epochs()) : null;
            double wallBefore = state.wallSeconds();
            RunCheckpoints writer = checkpoints == null ? null : new RunCheckpoints(checkpoints, setup.jobId(),
                    fingerprint, all, adam, state, started, wallBefore, checkpointInterval);
            TrainingEpoch epochs = new TrainingEpoch(setup, augmentation, schedule, engine, manager, block, store,
                    adam, assembler, listener, stopRequest, writer, state, phases);

            boolean cacheable = EpochAugmentation.cacheable(augmentation);
            String onlineWhy = cacheable ? null : "pipeline without RandAugment/ColorJitter: augmented on the fly";
            if (cacheable) {
                augmentedEpochs.start(firstEpoch, protocol.epochs());
            }
            int cachedEpochs = 0;
            while (state.epoch() < protocol.epochs()) {
                int epoch = state.epoch();
                ImageSet augmented = cacheable && state.batch() < epochs.steps()
                        ? usable(augmentedEpochs.epoch(epoch), train, setup, epoch) : null;
                cachedEpochs += augmented == null ? 0 : 1;
                TrainingEpoch.Result r = epochs.run(augmented);
                if (writer != null) {
                    writer.write();
                    listener.onCheckpoint(state.epochsDone());
                }
                int done = state.epoch() - firstEpoch;
                double eta = (System.nanoTime() - started) / 1e9 / done * (protocol.epochs() - state.epoch());
                listener.onEpoch(new TrainingListener.EpochStats(epoch + 1, protocol.epochs(), r.learningRate(),
                        r.trainLoss(), r.trainAccuracy(), r.testAccuracy(), r.imagesPerSecond(), r.epochSeconds(),
                        eta));
                if (stopRequest.isRequested() && state.epoch() < protocol.epochs()) {
                    // the epoch's checkpoint is written: the next trainer starts the next epoch
                    throw new TrainingSuspendedException(state.epoch(), 0);
                }
            }
            RobustnessReport robustness = setup.robustness() == null ? null
                    : new RobustnessEvaluation(manager, block, store).run(setup.robustness(), setup.fullTest(),
                            setup.resolution(), setup.normalisation(), new RobustnessEvaluation.Progress() {
                                @Override
                                public void measured(int done, int total, double etaSeconds) {
                                    listener.onRobustness(done, total, etaSeconds);
                                }

                                @Override
                                public void checkCancelled() {
                                    TrainingLoop.checkCancelled(listener);
                                }
                            });
            double wall = wallBefore + (System.nanoTime() - started) / 1e9;
            List<Double> testAccuracies = state.testAccuracies();
            List<Double> trainLosses = state.trainLosses();
            return new TrainingOutcome(parameterCount, testAccuracies.get(testAccuracies.size() - 1),
                    testAccuracies, trainLosses, trainLosses.get(trainLosses.size() - 1),
                    wall, state.trainImagesSeen() / state.trainSeconds(), train.size(), test.size(),
                    setup.resolution(), augmentation.description(), firstEpoch, phases,
                    TrainingResult.AugmentationRecord.of(augmentation.description(), cachedEpochs,
                            protocol.epochs() - firstEpoch - cachedEpochs,
                            cachedEpochs == protocol.epochs() - firstEpoch ? null
                                    : onlineWhy != null ? onlineWhy : augmentedEpochs.note()),
                    state.trainAccuracies(), resumedAt, robustness);
        }
    }

    /**
     * A pre-computed epoch if it fits this run: the full split at the training resolution, RGB, with the same labels;
     * otherwise null (augmented on the fly) with a warning.
     */
    static ImageSet usable(Optional<ImageSet> cached, ImageSet train, TrainingSetup setup, int epoch) {
        if (cached.isEmpty()) {
            return null;
        }
        ImageSet c = cached.get();
        String problem = null;
        if (c.size() != train.sourceSize()) {
            problem = c.size() + " images, the split has " + train.sourceSize();
        } else if (c.height() != setup.resolution() || c.width() != setup.resolution() || c.channels() != 3) {
            problem = "geometry " + c.height() + "x" + c.width() + "x" + c.channels() + ", training needs "
                    + setup.resolution() + "x" + setup.resolution() + "x3";
        } else {
            for (int i = 0; i < train.size(); i++) {
                if (c.label(train.sourceIndex(i)) != train.label(i)) {
                    problem = "label of image " + train.sourceIndex(i) + " differs from the split's";
                    break;
                }
            }
        }
        if (problem != null) {
            LOG.warnf("job %s: pre-computed epoch %d does not fit (%s); augmenting it on the fly", setup.jobId(),
                    epoch + 1, problem);
            return null;
        }
        return c;
    }

    static void checkCancelled(TrainingListener listener) {
        String cancelled = listener.cancellation();
        if (cancelled != null) {
            throw new TrainingCancelledException(cancelled);
        }
    }

    /** Identifies what a checkpoint was written for: job, model, dataset, seed, data sizes, resolved protocol. */
    static String fingerprint(TrainingSetup s) {
        return s.jobId() + "|" + s.model() + "|" + s.dataset() + "|" + s.seed() + "|" + s.resolution() + "|"
                + s.classes() + "|" + s.train().size() + "|" + s.test().size() + "|" + s.protocol();
    }

    /**
     * Whether a checkpoint's fingerprint was written for this job, model, dataset, seed, resolution, classes and
     * resolved protocol, whatever the data sizes (known only once the splits are fetched).
     */
    public static boolean fingerprintMatches(String fingerprint, String jobId, String model, String dataset,
                                             long seed, int resolution, int classes, ProtocolSpec protocol) {
        String head = jobId + "|" + model + "|" + dataset + "|" + seed + "|" + resolution + "|" + classes + "|";
        String tail = "|" + protocol;
        if (!fingerprint.startsWith(head) || !fingerprint.endsWith(tail)
                || fingerprint.length() < head.length() + tail.length()) {
            return false;
        }
        return fingerprint.substring(head.length(), fingerprint.length() - tail.length()).matches("\\d+\\|\\d+");
    }

    /** Every parameter (weights and BatchNorm running statistics) as float arrays, by name. */
    static Map<String, float[]> export(Map<String, Parameter> parameters) {
        Map<String, float[]> out = new LinkedHashMap<>();
        parameters.forEach((name, p) -> out.put(name, p.getArray().toFloatArray()));
        return out;
    }

    /** Sets every parameter of an initialised {@code block} (weights and BatchNorm statistics) from a checkpoint's. */
    public static void loadWeights(Block block, Map<String, float[]> values) {
        Map<String, Parameter> all = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            all.put(p.getKey(), p.getValue());
        }
        restore(all, values);
    }

    static void restore(Map<String, Parameter> parameters, Map<String, float[]> values) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                float[] v = values.get(e.getKey());
                NDArray array = e.getValue().getArray();
                if (v == null || v.length != array.size()) {
                    throw new IllegalArgumentException("checkpoint does not match parameter " + e.getKey());
                }
                array.set(v);
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /** Test accuracy in percent: resize + centre crop, no augmentation, BatchNorm in inference mode. */
    static double evaluate(NDManager manager, Block block, ParameterStore store, ImageSet test,
                           TrainingSetup setup, TrainingListener listener, BatchAssembler assembler,
                           UploadBuffer upload) {
        return evaluate(manager, block, store, test, setup, listener, assembler, upload, () -> false);
    }

    /**
     * As above; {@code abandon} is polled before every evaluation batch: when it answers true the evaluation stops
     * and NaN is returned (the caller suspends the run; the evaluation is repeated on resume).
     */
    static double evaluate(NDManager manager, Block block, ParameterStore store, ImageSet test,
                           TrainingSetup setup, TrainingListener listener, BatchAssembler assembler,
                           UploadBuffer upload, java.util.function.BooleanSupplier abandon) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        long correct = 0;
        try {
            for (int from = 0; from < test.size(); from += EVAL_BATCH) {
                checkCancelled(listener);
                if (abandon.getAsBoolean()) {
                    return Double.NaN;
                }
                int n = Math.min(EVAL_BATCH, test.size() - from);
                int[] idx = new int[n];
                for (int i = 0; i < n; i++) {
                    idx[i] = from + i;
                }
                float[] pixels = BatchAssembler.await(assembler.submit(new BatchAssembler.Request(test, idx, from,
                        Augmentation.NONE, 0, setup.resolution(), setup.normalisation()))).pixels();
                try (NDManager sub = manager.newSubManager()) {
                    NDArray x = upload.upload(sub, pixels, new Shape(n, 3, setup.resolution(), setup.resolution()));
                    long[] predicted = block.forward(store, new NDList(x), false).singletonOrThrow().argMax(1)
                            .toLongArray();
                    for (int i = 0; i < n; i++) {
                        if (predicted[i] == test.label(from + i)) {
                            correct++;
                        }
                    }
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return 100.0 * correct / test.size();
    }

    /**
     * Training steps of an epoch: batches of {@code batchSize}, the last one taking the remainder, except that a
     * remainder of exactly one image joins the previous batch. A batch of one fails BatchNorm wherever a feature map
     * is 1×1 in training mode (PyTorch fails the same way), and HAM10000's 7,009 training images leave exactly one.
     */
    static int stepsPerEpoch(int images, int batchSize) {
        if (images <= batchSize) {
            return 1;
        }
        int full = images / batchSize;
        return images % batchSize > 1 ? full + 1 : full;
    }
}
