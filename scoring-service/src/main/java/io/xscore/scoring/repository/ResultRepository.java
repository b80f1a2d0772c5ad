package io.xscore.scoring.repository;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import io.quarkus.mongodb.panache.PanacheMongoRepository;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.result.ResultPrecedence;
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

    /**
     * Stores the result by {@link ResultPrecedence}, the rule the gateway's job view follows too: the first result of
     * a job is stored, a success replaces a failure and a later failure an earlier one; a duplicate, a stale failure or
     * a different second success changes nothing. One document per job id (unique index); every write is a
     * single-document atomic write, conditional on the standing result it replaces.
     */
    public ResultPrecedence.Decision store(TrainingResult result) {
        while (true) {
            try {
                persist(ResultEntity.of(result, Instant.now()));
                return ResultPrecedence.Decision.STORE;
            } catch (MongoWriteException e) {
                if (ErrorCategory.fromErrorCode(e.getError().getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
            ResultEntity standing = find("jobId", result.jobId()).firstResult();
            if (standing == null) {
                continue; // removed in between: insert again
            }
            ResultPrecedence.Decision decision = ResultPrecedence.decide(
                    ResultPrecedence.Standing.of(standing.toMessage()), result);
            if (!decision.writes()) {
                return decision;
            }
            ResultEntity replacement = ResultEntity.of(result, Instant.now());
            replacement.id = standing.id;
            long replaced = mongoCollection().replaceOne(Filters.and(Filters.eq("_id", standing.id),
                    Filters.eq("receivedAt", standing.receivedAt)), replacement).getModifiedCount();
            if (replaced == 1) {
                return ResultPrecedence.Decision.REPLACE;
            }
            // another result was stored in between: decide again against it
        }
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
