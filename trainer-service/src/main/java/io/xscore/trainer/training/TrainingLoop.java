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
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.xscore.augment.Augmentation;
import io.xscore.augment.EpochAugmentation;
import io.xscore.augment.RandomErasing;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Seeds;
import io.xscore.trainer.data.AugmentedEpochs;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.model.ModelRegistry;
import io.xscore.trainer.protocol.LrSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import org.jboss.logging.Logger;

/**
 * The training protocol of BENCHMARK.md §3 on DJL/PyTorch: seeded model initialisation, per-epoch shuffled batches
 * (last partial batch kept), per-image augmentation, RandomErasing where the pipeline has it, CutMix with label
 * smoothing on every batch, Adam with the warm-up + cosine schedule set once per epoch, and a test evaluation after
 * every epoch (recorded, never selected on; the reported accuracy is the last epoch's).
 *
 * <p>Data: {@link BatchAssembler} builds batches on {@code dataThreads} CPU threads and the next batch is prefetched
 * while the current step trains.
 *
 * <p>Memory: parameters, BatchNorm statistics and optimiser moments live in one manager for the run; every training
 * step and evaluation batch runs in its own sub-manager that is closed right after, which frees its intermediates.
 *
 * <p>Reproducibility: the engine seed (initialisation) derives from the job seed; the data order and CutMix
 * generators of epoch e are created at the start of the epoch from (job seed, stream, e), and each image's
 * augmentation generator from (job seed, e, its position in the epoch), independent of the data threads. The same seed on the
 * same thread count and device gives the same loss curve, and a run resumed from the checkpoint of epoch e draws the
 * same numbers as a straight run, so it ends with the same parameters and accuracy.
 *
 * <p>Checkpoints (when a {@link CheckpointStore} is given): after every epoch, all parameters, the optimiser state
 * and the history; a run whose job has a matching checkpoint continues after its last epoch.
 */
public final class TrainingLoop {

    private static final Logger LOG = Logger.getLogger(TrainingLoop.class);

    /** Evaluation batch size: larger than training batches; does not change results (BatchNorm in eval mode). */
    private static final int EVAL_BATCH = 128;

    private final int dataThreads;
    private final AugmentedEpochs augmentedEpochs;

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
        this.dataThreads = dataThreads;
        this.augmentedEpochs = augmentedEpochs;
    }

    public TrainingOutcome run(TrainingSetup setup, TrainingListener listener) {
        return run(setup, listener, null);
    }

    public TrainingOutcome run(TrainingSetup setup, TrainingListener listener, CheckpointStore checkpoints) {
        ProtocolSpec protocol = setup.protocol();
        Augmentation augmentation = Augmentation.forJob(protocol.augmentation(), setup.dataset());
        ModelRegistry.ModelSpec spec = ModelRegistry.spec(setup.model(), setup.classes(), setup.resolution());
        LrSchedule schedule = LrSchedule.of(protocol, setup.model());
        long started = System.nanoTime();
        Engine engine = Engine.getInstance();
        engine.setRandomSeed(Seeds.engineSeed(setup.seed()));
        PhaseTimes phases = new PhaseTimes();
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
            List<Double> testAccuracies = new ArrayList<>();
            List<Double> trainLosses = new ArrayList<>();
            List<Double> trainAccuracies = new ArrayList<>();
            double trainSeconds = 0;
            long trainImagesSeen = 0;
            double epochSecondsSum = 0;
            double wallBefore = 0;
            int firstEpoch = 0;
            Optional<Checkpoint> resume = checkpoints == null ? Optional.empty() : checkpoints.load(setup.jobId());
            if (resume.isPresent() && !resume.get().fingerprint().equals(fingerprint)) {
                LOG.warnf("checkpoint of job %s was written for another setup; starting from scratch", setup.jobId());
                resume = Optional.empty();
            }
            if (resume.isPresent()) {
                Checkpoint c = resume.get();
                restore(all, c.parameters());
                adam.importState(c.optimizer());
                firstEpoch = c.epochsDone();
                trainLosses.addAll(c.trainLosses());
                trainAccuracies.addAll(c.trainAccuracies());
                testAccuracies.addAll(c.testAccuracies());
                trainSeconds = c.trainSeconds();
                trainImagesSeen = c.trainImagesSeen();
                epochSecondsSum = c.epochSecondsSum();
                wallBefore = c.wallSeconds();
                LOG.infof("job %s resumes after epoch %d of %d", setup.jobId(), firstEpoch, protocol.epochs());
                listener.onResume(firstEpoch);
            }

            boolean cacheable = EpochAugmentation.cacheable(augmentation);
            String onlineWhy = cacheable ? null : "pipeline without RandAugment/ColorJitter: augmented on the fly";
            if (cacheable) {
                augmentedEpochs.start(firstEpoch, protocol.epochs());
            }
            int cachedEpochs = 0;
            int batchSize = protocol.batchSize();
            int steps = stepsPerEpoch(train.size(), batchSize);
            UploadBuffer upload = new UploadBuffer();
            UploadBuffer erasingUpload = new UploadBuffer();
            long heartbeatNanos = (long) (setup.heartbeatSeconds() * 1e9);
            for (int epoch = firstEpoch; epoch < protocol.epochs(); epoch++) {
                double lr = schedule.lr(epoch);
                long epochStart = System.nanoTime();
                long lastBeat = epochStart;
                Random order = new Random(Seeds.derive(setup.seed(), "order/" + epoch));
                long augmentSeed = EpochAugmentation.epochSeed(setup.seed(), epoch);
                ImageSet augmented = cacheable ? usable(augmentedEpochs.epoch(epoch), train, setup, epoch) : null;
                cachedEpochs += augmented == null ? 0 : 1;
                CutMix cutMix = new CutMix(protocol.cutmixAlpha(), Seeds.derive(setup.seed(), "cutmix/" + epoch));
                int[] perm = Seeds.permutation(train.size(), order);
                double lossSum = 0;
                long correct = 0;
                IntFunction<BatchAssembler.Request> request = s -> {
                    int from = s * batchSize;
                    int[] idx = Arrays.copyOfRange(perm, from, s == steps - 1 ? train.size() : from + batchSize);
                    return new BatchAssembler.Request(train, idx, from, augmentation, augmentSeed,
                            setup.resolution(), setup.normalisation(), augmented);
                };
                CompletableFuture<BatchAssembler.Batch> next = assembler.submit(request.apply(0));
                for (int step = 0; step < steps; step++) {
                    checkCancelled(listener);
                    long stepStart = System.nanoTime();
                    int from = step * batchSize;
                    BatchAssembler.Batch batch = BatchAssembler.await(next);
                    if (step + 1 < steps) {
                        next = assembler.submit(request.apply(step + 1));
                    }
                    int n = batch.n();
                    int[] labels = batch.labels();
                    float[] pixels = batch.pixels();
                    RandomErasing.Box[] boxes = batch.boxes();
                    double loss;
                    long[] predicted;
                    int[] dominant;
                    try (NDManager sub = manager.newSubManager()) {
                        NDArray x = upload.upload(sub, pixels, new Shape(n, 3, setup.resolution(),
                                setup.resolution()));
                        if (boxes != null) {
                            x = ErasingMask.erase(sub, x, boxes, erasingUpload);
                        }
                        CutMix.Mixed mixed = cutMix.apply(sub, x, labels, setup.classes(), protocol.labelSmoothing());
                        long t1 = System.nanoTime();
                        phases.dataNanos += t1 - stepStart;
                        long t2;
                        try (GradientCollector collector = engine.newGradientCollector()) {
                            NDArray logits = block.forward(store, new NDList(mixed.images()), true).singletonOrThrow();
                            NDArray lossArray = SoftTargets.crossEntropy(logits, mixed.targets());
                            loss = lossArray.getFloat();
                            if (!Double.isFinite(loss)) {
                                throw new TrainingFailedException("training loss became " + loss + " at epoch "
                                        + (epoch + 1) + ", step " + (step + 1) + " (learning rate " + lr + ")");
                            }
                            predicted = logits.argMax(1).toLongArray();
                            t2 = System.nanoTime();
                            phases.forwardNanos += t2 - t1;
                            collector.backward(lossArray);
                        }
                        long t3 = System.nanoTime();
                        phases.backwardNanos += t3 - t2;
                        dominant = mixed.dominantLabels();
                        adam.step(lr);
                        phases.optimizerNanos += System.nanoTime() - t3;
                    }
                    phases.steps++;
                    phases.trainImages += n;
                    lossSum += loss * n;
                    for (int i = 0; i < n; i++) {
                        if (predicted[i] == dominant[i]) {
                            correct++;
                        }
                    }
                    long now = System.nanoTime();
                    listener.onStep((now - stepStart) / 1e9);
                    if (heartbeatNanos > 0 && now - lastBeat >= heartbeatNanos && step + 1 < steps) {
                        lastBeat = now;
                        double elapsed = (now - epochStart) / 1e9;
                        double ips = (from + n) / elapsed;
                        double epochEstimate = elapsed * steps / (step + 1);
                        double eta = epochEstimate - elapsed + epochEstimate * (protocol.epochs() - epoch - 1);
                        listener.onHeartbeat(epoch, step + 1, steps, lossSum / (from + n), ips, eta);
                    }
                }
                double epochTrainSeconds = (System.nanoTime() - epochStart) / 1e9;
                trainSeconds += epochTrainSeconds;
                trainImagesSeen += train.size();
                long evalStart = System.nanoTime();
                double testAccuracy = evaluate(manager, block, store, test, setup, listener, assembler, upload);
                phases.evalNanos += System.nanoTime() - evalStart;
                phases.evalImages += test.size();
                double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
                epochSecondsSum += epochSeconds;
                double meanLoss = lossSum / train.size();
                double trainAccuracy = 100.0 * correct / train.size();
                trainLosses.add(meanLoss);
                trainAccuracies.add(trainAccuracy);
                testAccuracies.add(testAccuracy);
                if (checkpoints != null) {
                    checkpoints.save(new Checkpoint(setup.jobId(), fingerprint, epoch + 1, export(all),
                            adam.exportState(), trainLosses, trainAccuracies, testAccuracies, trainSeconds,
                            trainImagesSeen, epochSecondsSum, wallBefore + (System.nanoTime() - started) / 1e9));
                    listener.onCheckpoint(epoch + 1);
                }
                int done = epoch + 1 - firstEpoch;
                double eta = (System.nanoTime() - started) / 1e9 / done * (protocol.epochs() - epoch - 1);
                listener.onEpoch(new TrainingListener.EpochStats(epoch + 1, protocol.epochs(), lr, meanLoss,
                        trainAccuracy, testAccuracy, train.size() / epochTrainSeconds, epochSeconds, eta));
            }
            double wall = wallBefore + (System.nanoTime() - started) / 1e9;
            return new TrainingOutcome(parameterCount, testAccuracies.get(testAccuracies.size() - 1),
                    List.copyOf(testAccuracies), List.copyOf(trainLosses), trainLosses.get(trainLosses.size() - 1),
                    wall, trainImagesSeen / trainSeconds, train.size(), test.size(), setup.resolution(),
                    augmentation.description(), firstEpoch, phases,
                    TrainingResult.AugmentationRecord.of(augmentation.description(), cachedEpochs,
                            protocol.epochs() - firstEpoch - cachedEpochs,
                            cachedEpochs == protocol.epochs() - firstEpoch ? null
                                    : onlineWhy != null ? onlineWhy : augmentedEpochs.note()));
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

    private static void checkCancelled(TrainingListener listener) {
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

    /** Every parameter (weights and BatchNorm running statistics) as float arrays, by name. */
    static Map<String, float[]> export(Map<String, Parameter> parameters) {
        Map<String, float[]> out = new LinkedHashMap<>();
        parameters.forEach((name, p) -> out.put(name, p.getArray().toFloatArray()));
        return out;
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
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        long correct = 0;
        try {
            for (int from = 0; from < test.size(); from += EVAL_BATCH) {
                checkCancelled(listener);
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
