package io.xscore.gateway.repository;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import io.xscore.common.messaging.CostEstimate;
import io.xscore.common.messaging.JobAttempt;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.result.ResultPrecedence;
import io.xscore.gateway.evaluation.JobEntity;
import io.xscore.gateway.evaluation.JobState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bson.Document;
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
     * publish it (unknown or failed), reuse it (succeeded) or wait for it (queued or running elsewhere). Of two
     * planners claiming the same new job at once, exactly one inserts it (the unique id decides) and publishes it.
     */
    public JobEntity claim(String jobId, String model, String dataset, long seed, String protocol, String evaluationId,
            Instant now) {
        JobEntity fresh = new JobEntity();
        fresh.id = jobId;
        fresh.model = model;
        fresh.dataset = dataset;
        fresh.seed = seed;
        fresh.protocol = protocol;
        fresh.state = JobState.QUEUED;
        fresh.queuedBy = evaluationId;
        fresh.queuedAt = now;
        fresh.updatedAt = now;
        try {
            persist(fresh);
            return null;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        // Known: only a failed job is queued again, by exactly one planner (the state is the condition).
        Bson requeue = Updates.combine(
                Updates.set("state", JobState.QUEUED.name()),
                Updates.set("queuedBy", evaluationId),
                Updates.set("queuedAt", now),
                Updates.set("updatedAt", now),
                Updates.unset("failureReason"),
                Updates.unset("epoch"),
                Updates.unset("history"));
        JobEntity before = mongoCollection().findOneAndUpdate(
                Filters.and(Filters.eq("_id", jobId), Filters.eq("state", JobState.FAILED.name())), requeue,
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
        return before != null ? before : findById(jobId);
    }

    /**
     * Records the planner's estimate of a job it publishes. A job queued again after it failed starts a new record on
     * the jobs topic, whose deliveries count from 1 again: the attempts of the failed run are dropped.
     */
    public void queued(String jobId, CostEstimate estimate, String device, boolean requeued) {
        List<Bson> updates = new ArrayList<>();
        if (estimate != null) {
            Document e = new Document("macsPerImage", estimate.macsPerImage())
                    .append("trainImages", estimate.trainImages())
                    .append("epochs", estimate.epochs())
                    .append("trainingMacs", estimate.trainingMacs());
            if (estimate.seconds() != null) {
                e.append("seconds", estimate.seconds()).append("device", device);
            }
            updates.add(Updates.set("estimate", e));
        }
        if (requeued) {
            updates.add(Updates.unset("attempts"));
            updates.add(Updates.unset("lastDelivery"));
            updates.add(Updates.unset("firstStartedAt"));
            updates.add(Updates.unset("resultDelivery"));
            updates.add(Updates.unset("provenance"));
        }
        if (!updates.isEmpty()) {
            mongoCollection().updateOne(Filters.eq("_id", jobId), Updates.combine(updates));
        }
    }

    /** What a record says about the delivery it came from, besides its start. */
    public enum AttemptEnd { NONE, RELEASED, RESULT }

    /**
     * Merges what a record says about one delivery into the job's attempts: the attempt's start (every record that
     * carries the attempt says the same), and its end when the record is a RELEASED progress or a result. Each fact is
     * a plain set of a field under the delivery's key, so applying records more than once and in any order gives the
     * same document. Recorded whatever the job's state: a STARTED arriving after the result still belongs to the
     * history. Returns the job as it was before (null when there is no such job).
     */
    public JobEntity recordAttempt(String jobId, JobAttempt attempt, AttemptEnd end, Instant endedAt,
            Integer releasedEpoch, TrainingResult.Status resultStatus, String failureReason) {
        String key = "attempts." + attempt.delivery() + ".";
        List<Bson> sets = new ArrayList<>(List.of(
                Updates.set(key + "delivery", attempt.delivery()),
                Updates.max("lastDelivery", attempt.delivery())));
        setIfPresent(sets, key + "trainer", attempt.trainer());
        setIfPresent(sets, key + "startedAt", attempt.startedAt());
        setIfPresent(sets, key + "resumedFrom", attempt.resumedFrom());
        if (attempt.startedAt() != null) {
            sets.add(Updates.min("firstStartedAt", attempt.startedAt()));
        }
        if (end == AttemptEnd.RELEASED) {
            setIfPresent(sets, key + "releasedAt", endedAt);
            setIfPresent(sets, key + "releasedEpoch", releasedEpoch);
        } else if (end == AttemptEnd.RESULT) {
            setIfPresent(sets, key + "resultStatus", resultStatus == null ? null : resultStatus.name());
            setIfPresent(sets, key + "resultAt", endedAt);
            setIfPresent(sets, key + "failureReason", failureReason);
        }
        return mongoCollection().findOneAndUpdate(Filters.eq("_id", jobId), Updates.combine(sets),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
    }

    /**
     * Applies progress unless the job already ended (a late heartbeat must not undo a result). The epoch only moves
     * forward: a trainer resuming from a checkpoint first reports epoch 0, which must not take the view back.
     */
    public boolean applyProgress(TrainingProgress p) {
        boolean released = p.kind() == TrainingProgress.Kind.RELEASED;
        List<Bson> sets = new ArrayList<>(List.of(
                Updates.set("state", released ? JobState.QUEUED.name() : JobState.RUNNING.name()),
                Updates.max("epoch", p.epoch()),
                Updates.set("epochs", p.epochs()),
                Updates.set("updatedAt", p.at() == null ? Instant.now() : p.at())));
        setIfPresent(sets, "trainLoss", p.trainLoss());
        setIfPresent(sets, "trainAccuracy", p.trainAccuracy());
        setIfPresent(sets, "testAccuracy", p.testAccuracy());
        setIfPresent(sets, "learningRate", p.learningRate());
        setIfPresent(sets, "imagesPerSecond", p.imagesPerSecond());
        setIfPresent(sets, "etaSeconds", p.etaSeconds());
        setIfPresent(sets, "trainer", p.trainer());
        if (p.kind() == TrainingProgress.Kind.STARTED && p.attempt() == null && p.at() != null) {
            sets.add(Updates.min("firstStartedAt", p.at())); // trainers before attempts
        }
        if (released) {
            sets.add(Updates.unset("etaSeconds"));
        }
        Bson notEnded = Filters.and(Filters.eq("_id", p.jobId()),
                Filters.nin("state", JobState.SUCCEEDED.name(), JobState.FAILED.name()));
        if (released && p.attempt() != null) {
            // back in the queue, unless a later delivery already started (records of two trainers may cross)
            notEnded = Filters.and(notEnded, Filters.or(Filters.exists("lastDelivery", false),
                    Filters.lte("lastDelivery", p.attempt().delivery())));
        }
        Bson point = epochPoint(p);
        if (point != null) {
            sets.add(point);
        }
        boolean applied = mongoCollection().updateOne(notEnded, Updates.combine(sets)).getModifiedCount() > 0;
        if (point != null && !applied) {
            // The result may overtake the last epoch's progress (another topic): the history keeps that epoch all
            // the same, while the job's state and latest numbers stay as the result left them.
            mongoCollection().updateOne(Filters.eq("_id", p.jobId()), point);
        }
        return applied;
    }

    /**
     * The point of an EPOCH record in the job's history, set whole under the epoch's key: a redelivery sets the same
     * point again, an attempt that resumes and reports the epoch again replaces it. Null for other records.
     */
    private static Bson epochPoint(TrainingProgress p) {
        if (p.kind() != TrainingProgress.Kind.EPOCH || p.epoch() <= 0) {
            return null;
        }
        Document point = new Document("epoch", p.epoch());
        putIfPresent(point, "trainLoss", p.trainLoss());
        putIfPresent(point, "trainAccuracy", p.trainAccuracy());
        putIfPresent(point, "testAccuracy", p.testAccuracy());
        putIfPresent(point, "learningRate", p.learningRate());
        putIfPresent(point, "at", p.at());
        return Updates.set("history." + p.epoch(), point);
    }

    /**
     * Applies a result by {@link ResultPrecedence}: stores the first, replaces a failure, ignores duplicates and
     * stale failures, refuses a different success. Optimistic: the write is conditional on the standing result
     * read, and decided again if another write came in between. Returns what was decided.
     */
    public ResultPrecedence.Decision applyResult(TrainingResult r) {
        while (true) {
            JobEntity job = findById(r.jobId());
            ResultPrecedence.Standing standing = job == null ? null : job.standing();
            ResultPrecedence.Decision decision = standing != null && standing.outcome() == null
                    && standing.status() == TrainingResult.Status.SUCCEEDED
                    ? ResultPrecedence.Decision.DUPLICATE // stored before outcomes were fingerprinted: keep it
                    : ResultPrecedence.decide(standing, r);
            if (!decision.writes()) {
                return decision;
            }
            Bson unchanged = job == null || job.resultStatus == null
                    ? Filters.and(Filters.eq("_id", r.jobId()), Filters.exists("resultStatus", false))
                    : Filters.and(Filters.eq("_id", r.jobId()), Filters.eq("resultOutcome", job.resultOutcome),
                            Filters.eq("resultFinishedAt", job.resultFinishedAt));
            try {
                if (mongoCollection().updateOne(unchanged, resultUpdate(r), new UpdateOptions().upsert(job == null))
                        .getMatchedCount() > 0 || job == null) {
                    return decision;
                }
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                // inserted concurrently: decide again against what is stored now
            }
        }
    }

    private static Bson resultUpdate(TrainingResult r) {
        boolean ok = r.status() == TrainingResult.Status.SUCCEEDED;
        List<Bson> sets = new ArrayList<>(List.of(
                Updates.set("state", ok ? JobState.SUCCEEDED.name() : JobState.FAILED.name()),
                Updates.set("updatedAt", r.finishedAt()),
                Updates.set("resultStatus", r.status().name()),
                Updates.set("resultOutcome", ResultPrecedence.outcome(r)),
                Updates.set("resultFinishedAt", r.finishedAt()),
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
        sets.add(r.attempt() == null ? Updates.unset("resultDelivery")
                : Updates.set("resultDelivery", r.attempt().delivery()));
        sets.add(r.provenance() == null ? Updates.unset("provenance") : Updates.set("provenance", provenance(r)));
        if (ok) {
            sets.add(Updates.unset("failureReason"));
            sets.add(Updates.unset("etaSeconds"));
            if (r.epochTestAccuracies() != null) {
                sets.add(Updates.set("epoch", r.epochTestAccuracies().size()));
                sets.add(Updates.set("epochTestAccuracies", r.epochTestAccuracies()));
            }
        } else {
            sets.add(Updates.set("failureReason", r.failureReason()));
        }
        return Updates.combine(sets);
    }

    /**
     * Jobs queued or running with no news since {@code before} that the reconciler has not looked at since then
     * either, least recently looked at first, so that a long queue is worked through over several passes.
     */
    public List<JobEntity> quietSince(Instant before, int limit) {
        return mongoCollection().find(Filters.and(
                        Filters.in("state", JobState.QUEUED.name(), JobState.RUNNING.name()),
                        Filters.lt("updatedAt", before),
                        Filters.or(Filters.exists("reconciledAt", false), Filters.lt("reconciledAt", before))))
                .sort(Sorts.ascending("reconciledAt")).limit(limit).into(new ArrayList<>());
    }

    /** Marks that the reconciler looked at the job, so the next pass takes others first. */
    public void touched(String jobId, Instant at) {
        mongoCollection().updateOne(Filters.and(Filters.eq("_id", jobId),
                        Filters.in("state", JobState.QUEUED.name(), JobState.RUNNING.name())),
                Updates.set("reconciledAt", at));
    }

    private static Document provenance(TrainingResult r) {
        Document d = new Document();
        putIfPresent(d, "trainerBuild", r.provenance().trainerBuild());
        putIfPresent(d, "djl", r.provenance().djl());
        putIfPresent(d, "pytorch", r.provenance().pytorch());
        putIfPresent(d, "cuda", r.provenance().cuda());
        putIfPresent(d, "device", r.provenance().device());
        return d;
    }

    private static void putIfPresent(Document d, String field, Object value) {
        if (value != null) {
            d.append(field, value);
        }
    }

    private static void setIfPresent(List<Bson> sets, String field, Object value) {
        if (value != null) {
            sets.add(Updates.set(field, value));
        }
    }
}
