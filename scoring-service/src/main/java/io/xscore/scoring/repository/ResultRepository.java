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
        c.createIndex(Indexes.ascending("protocol", "paperProtocol", "status"),
                new IndexOptions().name("protocol_paper_status"));
    }

    /** What {@link #store} did with a result. */
    public enum StoreOutcome {
        /** First result of its job. */
        STORED,
        /** A success for a job whose earlier attempt failed: the gateway re-queues failed jobs under the same id. */
        SUPERSEDED_FAILURE,
        /** The job already has a result that stands (a redelivery, or a failure after a success): ignored. */
        DUPLICATE
    }

    /**
     * Stores the result. One document per job id: a success is final, and a success replaces an earlier failure of
     * the same job (a retry); anything else is a duplicate. Each step is a single-document atomic write.
     */
    public StoreOutcome store(TrainingResult result) {
        try {
            persist(ResultEntity.of(result, Instant.now()));
            return StoreOutcome.STORED;
        } catch (MongoWriteException e) {
            if (ErrorCategory.fromErrorCode(e.getError().getCode()) != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        if (result.status() == TrainingResult.Status.SUCCEEDED) {
            ResultEntity replacement = ResultEntity.of(result, Instant.now());
            ResultEntity failed = find("jobId = ?1 and status = ?2", result.jobId(),
                    TrainingResult.Status.FAILED.name()).firstResult();
            if (failed != null) {
                replacement.id = failed.id;
                long replaced = mongoCollection().replaceOne(Filters.and(Filters.eq("_id", failed.id),
                        Filters.eq("status", TrainingResult.Status.FAILED.name())), replacement).getModifiedCount();
                if (replaced == 1) {
                    return StoreOutcome.SUPERSEDED_FAILURE;
                }
            }
        }
        return StoreOutcome.DUPLICATE;
    }

    /** One successful result's scoring fields (what the leaderboard needs). */
    public record Accuracy(String jobId, String model, String dataset, long seed, double testAccuracy) {
    }

    /**
     * Every SUCCEEDED result of the protocol (with the given paper flag), as scoring fields only, sorted by model,
     * dataset, seed, job id. Uses the {@code protocol_paper_status} index.
     */
    public List<Accuracy> succeeded(String protocol, boolean paperProtocol) {
        List<Accuracy> out = new ArrayList<>();
        mongoCollection().find(Filters.and(Filters.eq("protocol", protocol), Filters.eq("paperProtocol", paperProtocol),
                        Filters.eq("status", TrainingResult.Status.SUCCEEDED.name())))
                .sort(Sorts.ascending("model", "dataset", "seed", "jobId"))
                .forEach(e -> {
                    if (e.testAccuracy != null && Double.isFinite(e.testAccuracy)) {
                        out.add(new Accuracy(e.jobId, e.model, e.dataset, e.seed, e.testAccuracy));
                    }
                });
        return out;
    }

    /** The protocols with at least one SUCCEEDED result of the model. */
    public List<String> protocolsOf(String model) {
        List<String> out = new ArrayList<>();
        mongoCollection().distinct("protocol", Filters.and(Filters.eq("model", model),
                Filters.eq("status", TrainingResult.Status.SUCCEEDED.name())), String.class).forEach(out::add);
        return out;
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
