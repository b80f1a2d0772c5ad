package io.xscore.common.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Progress of a running job: once when it starts, after every epoch, and as heartbeats within long epochs.
 * Topic {@link Topics#TRAINING_PROGRESS}; schema {@code schemas/training-progress.v1.json}.
 *
 * @param epoch   completed epochs (0 on START; for a heartbeat, the epoch in progress, 0-based)
 * @param attempt which delivery of the job this is and on which trainer (on STARTED and RELEASED; added compatibly
 *                in v1, absent from older trainers' records)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingProgress(
        int schemaVersion,
        String evaluationId,
        String jobId,
        String model,
        String dataset,
        long seed,
        String protocol,
        Kind kind,
        int epoch,
        int epochs,
        Double trainLoss,
        Double trainAccuracy,
        Double testAccuracy,
        Double learningRate,
        Double imagesPerSecond,
        Double etaSeconds,
        String trainer,
        Instant at,
        JobAttempt attempt) {

    public static final int SCHEMA_VERSION = 1;

    /** A progress record of the current schema version for a job. */
    public static TrainingProgress of(JobRef job, Kind kind, int epoch, int epochs, Double trainLoss,
                                      Double trainAccuracy, Double testAccuracy, Double learningRate,
                                      Double imagesPerSecond, Double etaSeconds, String trainer, Instant at,
                                      JobAttempt attempt) {
        return new TrainingProgress(SCHEMA_VERSION, job.evaluationId(), job.jobId(), job.model(), job.dataset(),
                job.seed(), job.protocol(), kind, epoch, epochs, trainLoss, trainAccuracy, testAccuracy, learningRate,
                imagesPerSecond, etaSeconds, trainer, at, attempt);
    }

    /** Which job this record is about. */
    public JobRef ref() {
        return new JobRef(evaluationId, jobId, model, dataset, seed, protocol);
    }

    /** The same record carrying the given attempt. */
    public TrainingProgress withAttempt(JobAttempt attempt) {
        return new TrainingProgress(schemaVersion, evaluationId, jobId, model, dataset, seed, protocol, kind, epoch,
                epochs, trainLoss, trainAccuracy, testAccuracy, learningRate, imagesPerSecond, etaSeconds, trainer, at,
                attempt);
    }

    /** A progress record without attempt details (EPOCH and HEARTBEAT records, older producers). */
    public TrainingProgress(int schemaVersion, String evaluationId, String jobId, String model, String dataset,
                            long seed, String protocol, Kind kind, int epoch, int epochs, Double trainLoss,
                            Double trainAccuracy, Double testAccuracy, Double learningRate, Double imagesPerSecond,
                            Double etaSeconds, String trainer, Instant at) {
        this(schemaVersion, evaluationId, jobId, model, dataset, seed, protocol, kind, epoch, epochs, trainLoss,
                trainAccuracy, testAccuracy, learningRate, imagesPerSecond, etaSeconds, trainer, at, null);
    }

    /**
     * STARTED: a trainer took the job (attempt set). EPOCH: an epoch finished. HEARTBEAT: still training within an
     * epoch. RELEASED: the trainer stopped (shutdown, eviction) after checkpointing and handed the job back to the
     * queue; another trainer continues it (attempt set, {@code epoch} = epochs completed).
     */
    public enum Kind { STARTED, EPOCH, HEARTBEAT, RELEASED }
}
