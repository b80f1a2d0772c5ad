package io.xscore.trainer.training;

/**
 * Asks a running {@link TrainingLoop} to stop gracefully (SIGTERM, Kubernetes eviction, a rebalance taking the job
 * away): the loop finishes the batch in progress, writes an in-epoch checkpoint and throws
 * {@link TrainingSuspendedException}, so that the next trainer continues exactly where this one stopped. Thread-safe:
 * set from any thread, polled by the loop after every optimiser step. Once requested it stays requested.
 */
public final class StopRequest {

    private volatile boolean requested;

    /** Asks the run to stop after its current batch. Idempotent. */
    public void request() {
        requested = true;
    }

    public boolean isRequested() {
        return requested;
    }

    @Override
    public String toString() {
        return requested ? "StopRequest[requested]" : "StopRequest[not requested]";
    }
}
