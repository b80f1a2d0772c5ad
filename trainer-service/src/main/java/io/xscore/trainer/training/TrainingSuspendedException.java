package io.xscore.trainer.training;

/**
 * The run stopped on a {@link StopRequest}: the batch in progress was finished and a checkpoint written (when the run
 * had a {@link CheckpointStore}) at this position, so the job must be handed back, not failed; the next run of the same
 * job continues from there and ends bit-identical to an uninterrupted run.
 */
public class TrainingSuspendedException extends RuntimeException {

    private final int epoch;
    private final int batch;

    /**
     * @param epoch 0-based epoch in progress
     * @param batch batches of that epoch completed (0: the epoch has not started; the previous epochs are complete)
     */
    public TrainingSuspendedException(int epoch, int batch) {
        super("training suspended on request at epoch " + (epoch + 1) + ", batch " + batch);
        this.epoch = epoch;
        this.batch = batch;
    }

    /** The 0-based epoch in progress when the run stopped. */
    public int epoch() {
        return epoch;
    }

    /** Batches of {@link #epoch()} completed when the run stopped. */
    public int batch() {
        return batch;
    }
}
