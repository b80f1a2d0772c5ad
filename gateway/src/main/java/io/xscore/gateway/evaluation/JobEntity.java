package io.xscore.gateway.evaluation;

import io.quarkus.mongodb.panache.common.MongoEntity;
import io.xscore.common.messaging.CostEstimate;
import io.xscore.common.messaging.Provenance;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.result.ResultPrecedence;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
    /** The planner's cost estimate (docs/scheduling.md); absent for jobs planned before estimates existed. */
    public Estimate estimate;
    /** When the first attempt started: the start of the job's actual time (to {@link #resultFinishedAt}). */
    public Instant firstStartedAt;
    /** The highest delivery of the job's record seen in any attempt. */
    public Integer lastDelivery;
    /**
     * Every attempt seen (share-group deliveries), keyed by delivery number ("1", "2", ...): facts only, each set by
     * whichever record carries it first, so that merging is idempotent and order-independent; the outcome is derived
     * on read ({@link Attempts}).
     */
    public Map<String, Attempt> attempts;
    /** The delivery that produced the standing result; null when that result carried no attempt. */
    public Integer resultDelivery;
    /** What ran the standing result: trainer build, engine versions, device. */
    public Built provenance;
    /**
     * Every epoch's numbers as its EPOCH progress reported them, keyed by epoch number ("1", "2", ...): each a plain
     * set under the epoch's key, so a redelivered record changes nothing and an attempt that resumes and reports an
     * epoch again overwrites that epoch's point. Absent for jobs stored before the history was kept.
     */
    public Map<String, EpochPoint> history;
    /** The standing (successful) result's test accuracy after every epoch, epoch 1 first. */
    public List<Double> epochTestAccuracies;

    /** A stored {@link CostEstimate} and the device its seconds are for. */
    public static class Estimate {
        public long macsPerImage;
        public long trainImages;
        public int epochs;
        public double trainingMacs;
        public Double seconds;
        public String device;

        public static Estimate of(CostEstimate e, String device) {
            Estimate s = new Estimate();
            s.macsPerImage = e.macsPerImage();
            s.trainImages = e.trainImages();
            s.epochs = e.epochs();
            s.trainingMacs = e.trainingMacs();
            s.seconds = e.seconds();
            s.device = e.seconds() == null ? null : device;
            return s;
        }
    }

    /** What the records of one delivery said: its start (STARTED, RELEASED, result), its end (RELEASED or result). */
    public static class Attempt {
        public int delivery;
        public String trainer;
        public Instant startedAt;
        public String resumedFrom;
        /** RELEASED: when, and after how many completed epochs. */
        public Instant releasedAt;
        public Integer releasedEpoch;
        /** A result of this delivery: its status, finish time and failure reason. */
        public TrainingResult.Status resultStatus;
        public Instant resultAt;
        public String failureReason;
    }

    /** One epoch of {@link #history}: what the EPOCH progress after it said. */
    public static class EpochPoint {
        public Integer epoch;
        public Double trainLoss;
        public Double trainAccuracy;
        public Double testAccuracy;
        public Double learningRate;
        public Instant at;
    }

    /** A stored {@link Provenance}. */
    public static class Built {
        public String trainerBuild;
        public String djl;
        public String pytorch;
        public String cuda;
        public String device;

        public Provenance toRecord() {
            return new Provenance(trainerBuild, djl, pytorch, cuda, device);
        }
    }

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
