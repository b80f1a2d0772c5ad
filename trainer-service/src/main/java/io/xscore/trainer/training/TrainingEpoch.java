package io.xscore.trainer.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.xscore.augment.Augmentation;
import io.xscore.augment.EpochAugmentation;
import io.xscore.augment.RandomErasing;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Seeds;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.protocol.LrSchedule;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * One epoch of training (the part of {@link TrainingLoop} that runs per epoch): the epoch's batches from the run
 * state's position to the end, then the test evaluation, recorded in the {@link RunState}.
 *
 * <p>Every generator the epoch uses is re-created from (job seed, epoch) when it starts, so it can start in the
 * middle: the data order is a permutation drawn from (seed, "order/e"); images and RandomErasing boxes are seeded by
 * (seed, e, index / position) in {@link BatchAssembler}; CutMix's generators from (seed, "cutmix/e") replay the draws
 * of the batches already done ({@link CutMix#skip}); and PyTorch's generator (dropout, stochastic depth) is re-seeded
 * before every batch from (seed, "engine/e", batch), since DJL can neither read nor restore its state.
 *
 * <p>Robust protocols (a protocol with {@code adversarialTraining}): after RandomErasing and CutMix, the batch is
 * attacked ({@link AdversarialExamples}, its random start seeded from (seed, "adversarial/e", batch)) and the step
 * minimises the loss of {@link RobustTraining} (classic adversarial training or TRADES) instead of the plain CE.
 *
 * <p>After every optimiser step: a {@link StopRequest} writes the checkpoint and throws
 * {@link TrainingSuspendedException}; otherwise an in-epoch checkpoint is written when its interval has passed. A stop
 * during the test evaluation abandons it and suspends the run after the epoch's last batch (the evaluation is
 * repeated on resume).
 */
final class TrainingEpoch {

    private final TrainingSetup setup;
    private final ProtocolSpec protocol;
    private final Augmentation augmentation;
    private final LrSchedule schedule;
    private final Engine engine;
    private final NDManager manager;
    private final Block block;
    private final ParameterStore store;
    private final Adam adam;
    private final BatchAssembler assembler;
    private final UploadBuffer upload = new UploadBuffer();
    private final UploadBuffer erasingUpload = new UploadBuffer();
    private final TrainingListener listener;
    private final StopRequest stop;
    private final RunCheckpoints checkpoints;
    private final RunState state;
    private final PhaseTimes phases;
    private final RobustTraining training;

    /** What an epoch reports (the loop adds the ETA of the run). */
    record Result(int epoch, double learningRate, double trainLoss, double trainAccuracy, double testAccuracy,
                  double imagesPerSecond, double epochSeconds) {
    }

    /** @param checkpoints null: no checkpoints (a stop then only suspends) */
    TrainingEpoch(TrainingSetup setup, Augmentation augmentation, LrSchedule schedule, Engine engine,
                  NDManager manager, Block block, ParameterStore store, Adam adam, BatchAssembler assembler,
                  TrainingListener listener, StopRequest stop, RunCheckpoints checkpoints, RunState state,
                  PhaseTimes phases) {
        this.setup = setup;
        this.protocol = setup.protocol();
        this.augmentation = augmentation;
        this.schedule = schedule;
        this.engine = engine;
        this.manager = manager;
        this.block = block;
        this.store = store;
        this.adam = adam;
        this.assembler = assembler;
        this.listener = listener;
        this.stop = stop;
        this.checkpoints = checkpoints;
        this.state = state;
        this.phases = phases;
        this.training = RobustTraining.of(protocol, block, store, setup.normalisation());
    }

    /** Training steps of the epoch; see {@link TrainingLoop#stepsPerEpoch}. */
    int steps() {
        return TrainingLoop.stepsPerEpoch(setup.train().size(), protocol.batchSize());
    }

    /**
     * Trains epoch {@code state.epoch()} from batch {@code state.batch()} to its end, evaluates on the test split and
     * closes the epoch in the run state.
     *
     * @param augmented the epoch pre-computed by the augmentation cache, or null to augment here
     */
    Result run(ImageSet augmented) {
        ImageSet train = setup.train();
        int epoch = state.epoch();
        int batchSize = protocol.batchSize();
        int steps = steps();
        int resolution = setup.resolution();
        double lr = schedule.lr(epoch);
        Random order = new Random(Seeds.derive(setup.seed(), "order/" + epoch));
        long augmentSeed = EpochAugmentation.epochSeed(setup.seed(), epoch);
        CutMix cutMix = new CutMix(protocol.cutmixAlpha(), Seeds.derive(setup.seed(), "cutmix/" + epoch));
        long engineSeed = Seeds.derive(setup.seed(), "engine/" + epoch);
        long attackSeed = Seeds.derive(setup.seed(), "adversarial/" + epoch);
        int[] perm = Seeds.permutation(train.size(), order);
        int first = state.batch();
        for (int s = 0; s < Math.min(first, steps); s++) {
            cutMix.skip(end(s, steps, batchSize, train.size()) - s * batchSize, resolution, resolution);
        }
        IntFunction<BatchAssembler.Request> request = s -> {
            int from = s * batchSize;
            int[] idx = Arrays.copyOfRange(perm, from, end(s, steps, batchSize, train.size()));
            return new BatchAssembler.Request(train, idx, from, augmentation, augmentSeed, resolution,
                    setup.normalisation(), augmented);
        };
        long segmentStart = System.nanoTime();
        long segmentImages = 0;
        long mark = segmentStart;
        long lastBeat = segmentStart;
        long heartbeatNanos = (long) (setup.heartbeatSeconds() * 1e9);
        CompletableFuture<BatchAssembler.Batch> next = first < steps ? assembler.submit(request.apply(first)) : null;
        for (int step = first; step < steps; step++) {
            TrainingLoop.checkCancelled(listener);
            long stepStart = System.nanoTime();
            BatchAssembler.Batch batch = BatchAssembler.await(next);
            if (step + 1 < steps) {
                next = assembler.submit(request.apply(step + 1));
            }
            int n = batch.n();
            int[] labels = batch.labels();
            RandomErasing.Box[] boxes = batch.boxes();
            double loss;
            long[] predicted;
            int[] dominant;
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = upload.upload(sub, batch.pixels(), new Shape(n, 3, resolution, resolution));
                if (boxes != null) {
                    x = ErasingMask.erase(sub, x, boxes, erasingUpload);
                }
                CutMix.Mixed mixed = cutMix.apply(sub, x, labels, setup.classes(), protocol.labelSmoothing());
                // robust protocols: x' of the mixed batch against its targets, before the step's gradient collector
                // opens (one collector at a time) and without touching parameters, their gradients or BatchNorm
                NDArray adversarial = null;
                long attackNanos = 0;
                if (training.adversarial()) {
                    long attackStart = System.nanoTime();
                    adversarial = training.adversarialExamples(sub, mixed.images(), mixed.targets(),
                            Seeds.derive(attackSeed, step));
                    attackNanos = System.nanoTime() - attackStart;
                }
                // dropout and stochastic depth draw from PyTorch's generator: seeded per batch, so that a run
                // resumed at any batch draws what the uninterrupted run draws
                JniUtils.setSeed(Seeds.derive(engineSeed, step));
                long t1 = System.nanoTime();
                phases.attackNanos += attackNanos;
                phases.dataNanos += t1 - stepStart - attackNanos;
                long t2;
                try (GradientCollector collector = engine.newGradientCollector()) {
                    RobustTraining.Loss stepLoss = training.loss(mixed.images(), adversarial, mixed.targets());
                    NDArray logits = stepLoss.logits();
                    NDArray lossArray = stepLoss.loss();
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
            long correct = 0;
            for (int i = 0; i < n; i++) {
                if (predicted[i] == dominant[i]) {
                    correct++;
                }
            }
            long now = System.nanoTime();
            state.batchDone(n, loss, correct, (now - mark) / 1e9);
            mark = now;
            segmentImages += n;
            listener.onStep((now - stepStart) / 1e9);
            if (heartbeatNanos > 0 && now - lastBeat >= heartbeatNanos && step + 1 < steps) {
                lastBeat = now;
                double elapsed = state.epochTrainSeconds();
                double ips = segmentImages / ((now - segmentStart) / 1e9);
                double epochEstimate = elapsed * steps / (step + 1);
                double eta = epochEstimate - elapsed + epochEstimate * (protocol.epochs() - epoch - 1);
                listener.onHeartbeat(epoch, step + 1, steps, state.epochLossSum() / state.epochImages(), ips, eta);
            }
            if (stop.isRequested()) {
                if (checkpoints != null) {
                    checkpoints.write();
                }
                throw new TrainingSuspendedException(epoch, state.batch());
            }
            if (checkpoints != null && checkpoints.due()) {
                checkpoints.write();
                listener.onBatchCheckpoint(epoch, state.batch());
                mark = System.nanoTime(); // the write is not training time
            }
        }
        long evalStart = System.nanoTime();
        // a stop during the evaluation (large test sets on a CPU take minutes) does not wait for it: every batch of
        // the epoch is trained, so the run suspends at (epoch, steps) and the next trainer repeats the evaluation
        double testAccuracy = TrainingLoop.evaluate(manager, block, store, setup.test(), setup, listener, assembler,
                upload, stop::isRequested);
        if (Double.isNaN(testAccuracy)) {
            if (checkpoints != null) {
                checkpoints.write();
            }
            throw new TrainingSuspendedException(epoch, state.batch());
        }
        double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
        phases.evalNanos += System.nanoTime() - evalStart;
        phases.evalImages += setup.test().size();
        double trainSeconds = state.epochTrainSeconds();
        state.epochDone(train.size(), testAccuracy, evalSeconds);
        int last = state.epochsDone() - 1;
        return new Result(epoch, lr, state.trainLosses().get(last), state.trainAccuracies().get(last), testAccuracy,
                train.size() / Math.max(trainSeconds, 1e-9), trainSeconds + evalSeconds);
    }

    /** End (exclusive) of batch {@code s} in the epoch's order: the last batch takes the remainder. */
    private static int end(int s, int steps, int batchSize, int images) {
        return s == steps - 1 ? images : (s + 1) * batchSize;
    }
}
