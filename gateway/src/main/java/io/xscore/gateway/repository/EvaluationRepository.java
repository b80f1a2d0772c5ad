package io.xscore.gateway.repository;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.xscore.gateway.evaluation.EvaluationEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;

/** The {@code evaluations} collection; every change is a single-document atomic write. */
@ApplicationScoped
public class EvaluationRepository implements PanacheMongoRepositoryBase<EvaluationEntity, String> {

    public void createIndexes() {
        mongoCollection().createIndex(Indexes.ascending("jobs.jobId"), new IndexOptions().name("jobs_jobId"));
        mongoCollection().createIndex(Indexes.descending("createdAt"), new IndexOptions().name("createdAt_desc"));
        mongoCollection().createIndex(Indexes.compoundIndex(Indexes.ascending("requestedBy"),
                Indexes.descending("createdAt")), new IndexOptions().name("requestedBy_createdAt"));
        mongoCollection().createIndex(Indexes.ascending("requestPending"),
                new IndexOptions().name("requestPending").sparse(true));
        mongoCollection().createIndex(Indexes.ascending("cancellationPending"),
                new IndexOptions().name("cancellationPending").sparse(true));
        mongoCollection().createIndex(Indexes.ascending("waitingForDatasets"),
                new IndexOptions().name("waitingForDatasets").sparse(true));
    }

    /** Stores the evaluation unless one with its id exists; true when this call inserted it. */
    public boolean insertIfAbsent(EvaluationEntity evaluation) {
        try {
            persist(evaluation);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    public void markPlanned(String id, List<EvaluationEntity.PlannedJob> jobs, Instant at) {
        mongoCollection().updateOne(Filters.eq("_id", id),
                Updates.combine(Updates.set("jobs", jobs), Updates.set("plannedAt", at),
                        Updates.unset("waitingForDatasets"), Updates.unset("waitingReason"),
                        Updates.unset("waitingSince"), Updates.unset("datasetsReadyAt")));
    }

    /**
     * The planner waits for the content digests of {@code datasets} (the evaluation stays accepted, unplanned);
     * {@code waitingSince} keeps the start of the wait.
     */
    public void markWaitingForDatasets(String id, List<String> datasets, String reason, Instant at) {
        mongoCollection().updateOne(Filters.and(Filters.eq("_id", id), Filters.exists("plannedAt", false)),
                Updates.combine(Updates.set("waitingForDatasets", datasets), Updates.set("waitingReason", reason),
                        Updates.min("waitingSince", at), Updates.unset("datasetsReadyAt")));
    }

    /** A new reason for the same wait (preparation progress, the service down or back). */
    public void updateWaiting(String id, List<String> datasets, String reason) {
        mongoCollection().updateOne(Filters.and(Filters.eq("_id", id), Filters.exists("plannedAt", false),
                        Filters.exists("datasetsReadyAt", false)),
                Updates.combine(Updates.set("waitingForDatasets", datasets), Updates.set("waitingReason", reason)));
    }

    /**
     * Every awaited digest is known: the request goes out again (pending for the outbox until the broker has it), and
     * the wait is shown as over until the planner plans it (or waits again).
     */
    public void markDatasetsReady(String id, Instant at) {
        mongoCollection().updateOne(Filters.and(Filters.eq("_id", id), Filters.exists("plannedAt", false)),
                Updates.combine(Updates.set("datasetsReadyAt", at), Updates.set("requestPending", true),
                        Updates.set("waitingReason", "the datasets are prepared; planning")));
    }

    /**
     * Evaluations waiting for dataset digests, not cancelled, whose request is not pending: those still waiting, and
     * those whose datasets were ready before {@code readyBefore} but which are still not planned (the request got
     * lost), oldest first.
     */
    public List<EvaluationEntity> waitingForDatasets(Instant readyBefore, int limit) {
        return mongoCollection().find(Filters.and(Filters.exists("waitingForDatasets", true),
                        Filters.exists("plannedAt", false), Filters.exists("cancelledAt", false),
                        Filters.exists("requestPending", false),
                        Filters.or(Filters.exists("datasetsReadyAt", false), Filters.lt("datasetsReadyAt", readyBefore))))
                .sort(Indexes.ascending("createdAt")).limit(limit).into(new ArrayList<>());
    }

    /** The request reached the broker: the outbox relay no longer needs to publish it. */
    public void markRequestPublished(String id) {
        mongoCollection().updateOne(Filters.eq("_id", id), Updates.unset("requestPending"));
    }

    /** Queues the request for the outbox relay again (an accepted evaluation the planner never saw). */
    public void markRequestPending(String id) {
        mongoCollection().updateOne(Filters.and(Filters.eq("_id", id), Filters.exists("plannedAt", false)),
                Updates.set("requestPending", true));
    }

    /** Requests stored before {@code before} and not yet acknowledged by the broker, oldest first. */
    public List<EvaluationEntity> pendingRequests(Instant before, int limit) {
        return mongoCollection().find(Filters.and(Filters.eq("requestPending", true), Filters.lt("createdAt", before)))
                .sort(Indexes.ascending("createdAt")).limit(limit).into(new ArrayList<>());
    }

    /**
     * Evaluations accepted before {@code before} and not planned yet (no request pending either), leaving out those
     * waiting for datasets ({@link #waitingForDatasets} has them).
     */
    public List<EvaluationEntity> unplanned(Instant before, int limit) {
        return mongoCollection().find(Filters.and(Filters.exists("plannedAt", false),
                        Filters.exists("requestPending", false), Filters.exists("cancelledAt", false),
                        Filters.exists("waitingForDatasets", false),
                        Filters.lt("createdAt", before)))
                .sort(Indexes.ascending("createdAt")).limit(limit).into(new ArrayList<>());
    }

    /**
     * Stores a score set unless a newer one is stored already (the reconciler and the scores topic may deliver the
     * same evaluation's sets out of order); true when it was stored.
     */
    public boolean setScores(String id, Document scores, Instant computedAt) {
        return mongoCollection().updateOne(Filters.and(Filters.eq("_id", id),
                        Filters.or(Filters.exists("scoresComputedAt", false), Filters.lte("scoresComputedAt", computedAt))),
                Updates.combine(Updates.set("scores", scores), Updates.set("scoresComputedAt", computedAt)))
                .getModifiedCount() > 0;
    }

    /**
     * Marks the evaluation cancelled unless it already is, with the cancellation pending for the outbox relay; true
     * when this call cancelled it.
     */
    public boolean markCancelled(String id, String reason, Instant at, List<String> jobIds) {
        return mongoCollection().updateOne(Filters.and(Filters.eq("_id", id), Filters.exists("cancelledAt", false)),
                        Updates.combine(Updates.set("cancelledAt", at), Updates.set("cancelReason", reason),
                                Updates.set("cancelJobIds", jobIds), Updates.set("cancellationPending", true)))
                .getModifiedCount() > 0;
    }

    /** The cancellation reached the broker. */
    public void markCancellationPublished(String id) {
        mongoCollection().updateOne(Filters.eq("_id", id), Updates.unset("cancellationPending"));
    }

    public List<EvaluationEntity> pendingCancellations(Instant before, int limit) {
        return mongoCollection().find(Filters.and(Filters.eq("cancellationPending", true),
                        Filters.lt("cancelledAt", before)))
                .sort(Indexes.ascending("cancelledAt")).limit(limit).into(new ArrayList<>());
    }

    /** Planned, not cancelled evaluations without a complete score set, oldest first. */
    public List<EvaluationEntity> plannedWithoutCompleteScores(int limit) {
        return mongoCollection().find(Filters.and(Filters.exists("plannedAt", true),
                        Filters.exists("cancelledAt", false), Filters.ne("scores.complete", true)))
                .sort(Indexes.ascending("createdAt")).limit(limit).into(new ArrayList<>());
    }

    /**
     * Of {@code jobIds}, those that another evaluation not cancelled also has in its plan (it awaits them, or did:
     * a finished job needs no protection either way).
     */
    public Set<String> awaitedElsewhere(String evaluationId, Collection<String> jobIds) {
        Set<String> wanted = new HashSet<>(jobIds);
        Set<String> shared = new HashSet<>();
        if (wanted.isEmpty()) {
            return shared;
        }
        for (EvaluationEntity other : mongoCollection().find(Filters.and(Filters.ne("_id", evaluationId),
                Filters.in("jobs.jobId", wanted), Filters.exists("cancelledAt", false)))) {
            if (other.jobs != null) {
                other.jobs.stream().map(j -> j.jobId).filter(wanted::contains).forEach(shared::add);
            }
        }
        return shared;
    }

    /**
     * The caller's evaluations that may still be in flight (not cancelled, no complete score set), newest first: what
     * the per-caller limit counts.
     */
    public List<EvaluationEntity> possiblyInFlight(String requestedBy, int limit) {
        return mongoCollection().find(Filters.and(Filters.eq("requestedBy", requestedBy),
                        Filters.exists("cancelledAt", false), Filters.ne("scores.complete", true)))
                .sort(Indexes.descending("createdAt")).limit(limit).into(new ArrayList<>());
    }

    public List<EvaluationEntity> recent(int limit) {
        return findAll(Sort.descending("createdAt")).page(0, limit).list();
    }
}
