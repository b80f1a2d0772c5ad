package io.xscore.scoring.repository;

import io.quarkus.mongodb.panache.common.MongoEntity;
import io.xscore.common.messaging.EvaluationPlan;
import java.time.Instant;
import java.util.List;
import org.bson.Document;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * One evaluation plan (collection {@code evaluations}, {@code _id} = evaluation id). {@code jobIds} (multikey index)
 * finds the evaluations a result belongs to; {@code plan} is the full {@link EvaluationPlan} as received.
 */
@MongoEntity(collection = "evaluations")
public class EvaluationEntity {
    @BsonId
    public String evaluationId;
    public String protocol;
    public boolean paperProtocol;
    public List<String> jobIds;
    public Instant receivedAt;
    public Document plan;

    public static EvaluationEntity of(EvaluationPlan plan, Instant receivedAt) {
        EvaluationEntity e = new EvaluationEntity();
        e.evaluationId = plan.evaluationId();
        e.protocol = plan.protocol();
        e.paperProtocol = plan.paperProtocol();
        e.jobIds = plan.jobs().stream().map(EvaluationPlan.PlannedJob::jobId).toList();
        e.receivedAt = receivedAt;
        e.plan = Documents.of(plan);
        return e;
    }

    public EvaluationPlan toMessage() {
        return Documents.read(plan, EvaluationPlan.class);
    }
}
