package io.xscore.trainer.training;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a run stands, everything except the model and optimiser tensors: the position (epoch in progress, batches of
 * it done), the history of the complete epochs, the running metrics of the epoch in progress and the accumulated
 * timings. The loop updates one instance as it trains; a {@link Checkpoint} stores a {@link #snapshot()} of it, and a
 * resumed run continues from the restored copy, so the loss and accuracy it reports for an interrupted epoch are those
 * of the uninterrupted run (the loss sum is the same sequence of double additions).
 *
 * <p>Invariant: {@code epoch == trainLosses().size()} (the epoch in progress follows the complete ones); after the
 * last epoch {@code epoch == epochs} and {@code batch == 0}. {@code batch} may equal the epoch's step count: every
 * batch trained, the test evaluation still to run.
 */
public final class RunState {

    private int epoch;
    private int batch;
    private final List<Double> trainLosses;
    private final List<Double> trainAccuracies;
    private final List<Double> testAccuracies;
    private double trainSeconds;
    private long trainImagesSeen;
    private double epochSecondsSum;
    private double wallSeconds;
    private double epochLossSum;
    private long epochCorrect;
    private long epochImages;
    private double epochTrainSeconds;

    /** A run that has not trained yet. */
    public RunState() {
        this(0, 0, List.of(), List.of(), List.of(), 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * @param epoch             0-based epoch in progress (= complete epochs)
     * @param batch             batches of {@code epoch} completed
     * @param trainSeconds      training time of the complete epochs (without evaluation)
     * @param trainImagesSeen   training images of the complete epochs
     * @param epochSecondsSum   wall time of the complete epochs, evaluation included
     * @param wallSeconds       wall time of the run up to the moment of the snapshot, over all processes
     * @param epochLossSum      Σ loss·n over the batches of the epoch in progress done so far
     * @param epochCorrect      their correct predictions (against each mixed sample's dominant label)
     * @param epochImages       their images
     * @param epochTrainSeconds their training time (in earlier processes, for a restored state)
     */
    public RunState(int epoch, int batch, List<Double> trainLosses, List<Double> trainAccuracies,
                    List<Double> testAccuracies, double trainSeconds, long trainImagesSeen, double epochSecondsSum,
                    double wallSeconds, double epochLossSum, long epochCorrect, long epochImages,
                    double epochTrainSeconds) {
        if (epoch < 0 || batch < 0 || trainLosses.size() != epoch || trainAccuracies.size() != epoch
                || testAccuracies.size() != epoch) {
            throw new IllegalArgumentException("inconsistent run state: epoch " + epoch + ", batch " + batch + ", "
                    + trainLosses.size() + "/" + trainAccuracies.size() + "/" + testAccuracies.size()
                    + " epochs of history");
        }
        this.epoch = epoch;
        this.batch = batch;
        this.trainLosses = new ArrayList<>(trainLosses);
        this.trainAccuracies = new ArrayList<>(trainAccuracies);
        this.testAccuracies = new ArrayList<>(testAccuracies);
        this.trainSeconds = trainSeconds;
        this.trainImagesSeen = trainImagesSeen;
        this.epochSecondsSum = epochSecondsSum;
        this.wallSeconds = wallSeconds;
        this.epochLossSum = epochLossSum;
        this.epochCorrect = epochCorrect;
        this.epochImages = epochImages;
        this.epochTrainSeconds = epochTrainSeconds;
    }

    /** An independent copy (what a checkpoint stores). */
    public RunState snapshot() {
        return new RunState(epoch, batch, trainLosses, trainAccuracies, testAccuracies, trainSeconds,
                trainImagesSeen, epochSecondsSum, wallSeconds, epochLossSum, epochCorrect, epochImages,
                epochTrainSeconds);
    }

    /** After one optimiser step of the epoch in progress. */
    void batchDone(int images, double loss, long correct, double seconds) {
        batch++;
        epochLossSum += loss * images;
        epochCorrect += correct;
        epochImages += images;
        epochTrainSeconds += seconds;
    }

    /** Closes the epoch in progress with its test accuracy; the next epoch starts at batch 0. */
    void epochDone(int trainImages, double testAccuracy, double evalSeconds) {
        trainLosses.add(epochLossSum / trainImages);
        trainAccuracies.add(100.0 * epochCorrect / trainImages);
        testAccuracies.add(testAccuracy);
        trainSeconds += epochTrainSeconds;
        trainImagesSeen += trainImages;
        epochSecondsSum += epochTrainSeconds + evalSeconds;
        epoch++;
        batch = 0;
        epochLossSum = 0;
        epochCorrect = 0;
        epochImages = 0;
        epochTrainSeconds = 0;
    }

    void wallSeconds(double wall) {
        this.wallSeconds = wall;
    }

    /** 0-based epoch in progress; equals the number of complete epochs. */
    public int epoch() {
        return epoch;
    }

    /** Batches of {@link #epoch()} completed. */
    public int batch() {
        return batch;
    }

    public int epochsDone() {
        return trainLosses.size();
    }

    /** Mean training loss of each complete epoch. */
    public List<Double> trainLosses() {
        return List.copyOf(trainLosses);
    }

    /** Training accuracy (percent, against each mixed sample's dominant label) of each complete epoch. */
    public List<Double> trainAccuracies() {
        return List.copyOf(trainAccuracies);
    }

    /** Test accuracy (percent) after each complete epoch. */
    public List<Double> testAccuracies() {
        return List.copyOf(testAccuracies);
    }

    public double trainSeconds() {
        return trainSeconds;
    }

    public long trainImagesSeen() {
        return trainImagesSeen;
    }

    public double epochSecondsSum() {
        return epochSecondsSum;
    }

    public double wallSeconds() {
        return wallSeconds;
    }

    public double epochLossSum() {
        return epochLossSum;
    }

    public long epochCorrect() {
        return epochCorrect;
    }

    public long epochImages() {
        return epochImages;
    }

    public double epochTrainSeconds() {
        return epochTrainSeconds;
    }

    /** "epoch 3, batch 120": the 1-based epoch in progress and its batches done; "3 epochs done" at the end. */
    public String describe(int epochs) {
        return epoch >= epochs && batch == 0 ? epoch + " epochs done" : "epoch " + (epoch + 1) + ", batch " + batch;
    }

    @Override
    public String toString() {
        return "RunState[epoch " + epoch + ", batch " + batch + ", losses " + trainLosses + ", test "
                + testAccuracies + ", epoch loss sum " + epochLossSum + ", correct " + epochCorrect + ", images "
                + epochImages + "]";
    }
}
