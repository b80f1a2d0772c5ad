package io.xscore.gateway.repository;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import io.xscore.gateway.evaluation.EvaluationEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;

@ApplicationScoped
public class EvaluationRepository implements PanacheMongoRepositoryBase<EvaluationEntity, String> {

    public void createIndexes() {
        mongoCollection().createIndex(Indexes.ascending("jobs.jobId"), new IndexOptions().name("jobs_jobId"));
        mongoCollection().createIndex(Indexes.descending("createdAt"), new IndexOptions().name("createdAt_desc"));
    }

    /** Stores the evaluation unless one with its id exists; true when this call inserted it. */
    public boolean insertIfAbsent(EvaluationEntity evaluation) {
        if (findByIdOptional(evaluation.id).isPresent()) {
            return false;
        }
        try {
            persist(evaluation);
            return true;
        } catch (com.mongodb.MongoWriteException e) {
            if (e.getError().getCategory() == com.mongodb.ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    public void markPlanned(String id, List<EvaluationEntity.PlannedJob> jobs, Instant at) {
        mongoCollection().updateOne(Filters.eq("_id", id),
                Updates.combine(Updates.set("jobs", jobs), Updates.set("plannedAt", at)));
    }

    public void setScores(String id, Document scores) {
        mongoCollection().updateOne(Filters.eq("_id", id), Updates.set("scores", scores));
    }

    /** Marks the evaluation cancelled unless it already is; true when this call cancelled it. */
    public boolean markCancelled(String id, String reason, Instant at) {
        return mongoCollection().updateOne(Filters.and(Filters.eq("_id", id), Filters.exists("cancelledAt", false)),
                Updates.combine(Updates.set("cancelledAt", at), Updates.set("cancelReason", reason)))
                .getModifiedCount() > 0;
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

    public List<EvaluationEntity> recent(int limit) {
        return findAll(io.quarkus.panache.common.Sort.descending("createdAt")).page(0, limit).list();
    }
}
