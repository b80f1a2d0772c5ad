package io.xscore.scoring.repository;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import io.xscore.common.messaging.EvaluationPlan;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code evaluations} collection: the latest plan per evaluation id (an upsert, so redelivery is harmless). */
@ApplicationScoped
public class EvaluationRepository implements PanacheMongoRepositoryBase<EvaluationEntity, String> {

    public void createIndexes() {
        mongoCollection().createIndex(Indexes.ascending("jobIds"), new IndexOptions().name("jobIds"));
    }

    public void upsert(EvaluationPlan plan) {
        persistOrUpdate(EvaluationEntity.of(plan, Instant.now()));
    }

    public Optional<EvaluationPlan> findPlan(String evaluationId) {
        return findByIdOptional(evaluationId).map(EvaluationEntity::toMessage);
    }

    /** Plans that contain the job, whichever evaluation trained it. */
    public List<EvaluationPlan> findByJobId(String jobId) {
        return find("jobIds", jobId).stream().map(EvaluationEntity::toMessage).toList();
    }
}
