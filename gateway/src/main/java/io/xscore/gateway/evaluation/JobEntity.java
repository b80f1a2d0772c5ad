package io.xscore.gateway.evaluation;

import io.quarkus.mongodb.panache.common.MongoEntity;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.result.ResultPrecedence;
import java.time.Instant;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * The gateway's view of one training job (keyed by job id, shared by every evaluation that asks for it): its state,
 * its latest progress, and its outcome. Fed by xscore.training-progress and xscore.training-results.
 */
@MongoEntity(collection = "jobs")
public class JobEntity {

    @BsonId
    public String id;
    public String model;
    public String dataset;
    public long seed;
    public String protocol;
    public JobState state;
    /** The evaluation whose planning queued the job most recently. */
    public String queuedBy;
    public Instant queuedAt;
    public Integer epoch;
    public Integer epochs;
    public Double trainLoss;
    public Double trainAccuracy;
    public Double testAccuracy;
    public Double learningRate;
    public Double imagesPerSecond;
    public Double etaSeconds;
    public String trainer;
    /** online | cache | mixed: where the trainer's augmented images came from (finished jobs). */
    public String augmentationSource;
    public Double finalTestAccuracy;
    public Long parameterCount;
    public Double wallSeconds;
    public String failureReason;
    public Instant updatedAt;
    /** The standing result ({@link ResultPrecedence}): its status, outcome fingerprint and finish time. */
    public TrainingResult.Status resultStatus;
    public String resultOutcome;
    public Instant resultFinishedAt;
    /** When the reconciler last asked the scoring service about this job. */
    public Instant reconciledAt;

    /** What the gateway keeps of the job's standing result; null when it has none. */
    public ResultPrecedence.Standing standing() {
        if (resultStatus != null) {
            return new ResultPrecedence.Standing(resultStatus, resultOutcome, resultFinishedAt);
        }
        // Jobs stored before results were fingerprinted: their state says which status stands.
        if (state == JobState.SUCCEEDED || state == JobState.FAILED) {
            return new ResultPrecedence.Standing(state == JobState.SUCCEEDED ? TrainingResult.Status.SUCCEEDED
                    : TrainingResult.Status.FAILED, null, null);
        }
        return null;
    }
}
