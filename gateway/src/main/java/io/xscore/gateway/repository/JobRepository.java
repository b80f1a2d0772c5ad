package io.xscore.gateway.repository;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.gateway.evaluation.JobEntity;
import io.xscore.gateway.evaluation.JobState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bson.conversions.Bson;

/** Job state changes as single-document atomic updates (MongoDB without transactions). */
@ApplicationScoped
public class JobRepository implements PanacheMongoRepositoryBase<JobEntity, String> {

    public List<JobEntity> findByIds(Collection<String> ids) {
        return list("_id in ?1", new ArrayList<>(ids));
    }

    /**
     * Claims a job for an evaluation's planning: inserts it as QUEUED when unknown, or re-queues it when it FAILED
     * before. Returns the job as it was BEFORE this call (null when it was unknown), so the caller knows whether to
     * publish it (unknown or failed), reuse it (succeeded) or wait for it (queued or running elsewhere).
     */
    public JobEntity claim(String jobId, String model, String dataset, long seed, String protocol, String evaluationId,
            Instant now) {
        Bson queue = Updates.combine(
                Updates.set("state", JobState.QUEUED.name()),
                Updates.set("queuedBy", evaluationId),
                Updates.set("queuedAt", now),
                Updates.set("updatedAt", now),
                Updates.setOnInsert("model", model),
                Updates.setOnInsert("dataset", dataset),
                Updates.setOnInsert("seed", seed),
                Updates.setOnInsert("protocol", protocol),
                Updates.unset("failureReason"),
                Updates.unset("epoch"));
        // Only an unknown job (upsert) or a failed one is (re)queued; anything else is left untouched.
        Bson filter = Filters.and(Filters.eq("_id", jobId), Filters.eq("state", JobState.FAILED.name()));
        JobEntity before = mongoCollection().findOneAndUpdate(filter, queue,
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
        if (before != null) {
            return before;
        }
        JobEntity existing = findById(jobId);
        if (existing != null) {
            return existing;
        }
        try {
            mongoCollection().updateOne(Filters.eq("_id", jobId), queue,
                    new com.mongodb.client.model.UpdateOptions().upsert(true));
            return null;
        } catch (com.mongodb.MongoWriteException e) {
            // Another planner inserted it concurrently: it is queued, so this evaluation just waits for it.
            return findById(jobId);
        }
    }

    /** Applies progress unless the job already ended (a late heartbeat must not undo a result). */
    public boolean applyProgress(TrainingProgress p) {
        List<Bson> sets = new ArrayList<>(List.of(
                Updates.set("state", JobState.RUNNING.name()),
                Updates.set("epoch", p.epoch()),
                Updates.set("epochs", p.epochs()),
                Updates.set("updatedAt", p.at() == null ? Instant.now() : p.at())));
        setIfPresent(sets, "trainLoss", p.trainLoss());
        setIfPresent(sets, "trainAccuracy", p.trainAccuracy());
        setIfPresent(sets, "testAccuracy", p.testAccuracy());
        setIfPresent(sets, "learningRate", p.learningRate());
        setIfPresent(sets, "imagesPerSecond", p.imagesPerSecond());
        setIfPresent(sets, "etaSeconds", p.etaSeconds());
        setIfPresent(sets, "trainer", p.trainer());
        Bson notEnded = Filters.and(Filters.eq("_id", p.jobId()),
                Filters.nin("state", JobState.SUCCEEDED.name(), JobState.FAILED.name()));
        return mongoCollection().updateOne(notEnded, Updates.combine(sets)).getModifiedCount() > 0;
    }

    public void applyResult(TrainingResult r) {
        boolean ok = r.status() == TrainingResult.Status.SUCCEEDED;
        List<Bson> sets = new ArrayList<>(List.of(
                Updates.set("state", ok ? JobState.SUCCEEDED.name() : JobState.FAILED.name()),
                Updates.set("updatedAt", r.finishedAt()),
                Updates.setOnInsert("model", r.model()),
                Updates.setOnInsert("dataset", r.dataset()),
                Updates.setOnInsert("seed", r.seed()),
                Updates.setOnInsert("protocol", r.protocol())));
        setIfPresent(sets, "finalTestAccuracy", r.testAccuracy());
        setIfPresent(sets, "testAccuracy", r.testAccuracy());
        setIfPresent(sets, "parameterCount", r.parameterCount());
        setIfPresent(sets, "wallSeconds", r.wallSeconds());
        setIfPresent(sets, "trainer", r.trainer());
        setIfPresent(sets, "augmentationSource", r.augmentation() == null ? null : r.augmentation().source());
        if (ok) {
            sets.add(Updates.unset("failureReason"));
            sets.add(Updates.unset("etaSeconds"));
            if (r.epochTestAccuracies() != null) {
                sets.add(Updates.set("epoch", r.epochTestAccuracies().size()));
            }
        } else {
            sets.add(Updates.set("failureReason", r.failureReason()));
        }
        // A success is final: a later duplicate FAILED record for the same job id never overwrites it.
        Bson filter = ok ? Filters.eq("_id", r.jobId())
                : Filters.and(Filters.eq("_id", r.jobId()), Filters.ne("state", JobState.SUCCEEDED.name()));
        try {
            mongoCollection().updateOne(filter, Updates.combine(sets),
                    new com.mongodb.client.model.UpdateOptions().upsert(true));
        } catch (com.mongodb.MongoWriteException e) {
            if (e.getError().getCategory() != com.mongodb.ErrorCategory.DUPLICATE_KEY) {
                throw e; // duplicate key: the job already succeeded, the failure is ignored
            }
        }
    }

    private static void setIfPresent(List<Bson> sets, String field, Object value) {
        if (value != null) {
            sets.add(Updates.set(field, value));
        }
    }
}
