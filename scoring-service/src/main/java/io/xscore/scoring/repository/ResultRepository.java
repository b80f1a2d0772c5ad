package io.xscore.scoring.repository;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import io.quarkus.mongodb.panache.PanacheMongoRepository;
import io.xscore.common.messaging.TrainingResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.bson.conversions.Bson;

/** The {@code results} collection: at most one document per job id, enforced by a unique index. */
@ApplicationScoped
public class ResultRepository implements PanacheMongoRepository<ResultEntity> {

    public void createIndexes() {
        var c = mongoCollection();
        c.createIndex(Indexes.ascending("jobId"), new IndexOptions().unique(true).name("jobId_unique"));
        c.createIndex(Indexes.ascending("evaluationId"), new IndexOptions().name("evaluationId"));
        c.createIndex(Indexes.ascending("model", "dataset", "protocol"), new IndexOptions().name("model_dataset_protocol"));
    }

    /** Stores the result unless one with its job id exists; true when it was stored. */
    public boolean insertIfAbsent(TrainingResult result) {
        try {
            persist(ResultEntity.of(result, Instant.now()));
            return true;
        } catch (MongoWriteException e) {
            if (ErrorCategory.fromErrorCode(e.getError().getCode()) == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    public Optional<TrainingResult> findByJobId(String jobId) {
        return find("jobId", jobId).firstResultOptional().map(ResultEntity::toMessage);
    }

    public List<TrainingResult> findByJobIds(Collection<String> jobIds) {
        return query(Filters.in("jobId", jobIds), Integer.MAX_VALUE);
    }

    /** Results of the given job ids or carrying the evaluation id, whichever exists. */
    public List<TrainingResult> findForEvaluation(String evaluationId, Collection<String> plannedJobIds, int limit) {
        return query(Filters.or(Filters.eq("evaluationId", evaluationId), Filters.in("jobId", plannedJobIds)), limit);
    }

    /** Results matching every given (non-null) field. */
    public List<TrainingResult> search(String model, String dataset, String protocol, int limit) {
        List<Bson> filters = new ArrayList<>();
        if (model != null) {
            filters.add(Filters.eq("model", model));
        }
        if (dataset != null) {
            filters.add(Filters.eq("dataset", dataset));
        }
        if (protocol != null) {
            filters.add(Filters.eq("protocol", protocol));
        }
        return query(filters.isEmpty() ? Filters.empty() : Filters.and(filters), limit);
    }

    private List<TrainingResult> query(Bson filter, int limit) {
        List<TrainingResult> out = new ArrayList<>();
        mongoCollection().find(filter).sort(Sorts.ascending("model", "dataset", "seed", "jobId")).limit(limit)
                .forEach(e -> out.add(e.toMessage()));
        return out;
    }
}
