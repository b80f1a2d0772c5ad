package io.xscore.scoring.repository;

import io.quarkus.mongodb.panache.common.MongoEntity;
import io.xscore.common.messaging.TrainingResult;
import java.time.Instant;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * One training result (collection {@code results}, unique on {@code jobId}). The query fields are copied to the top
 * level; {@code message} is the full {@link TrainingResult} as received.
 */
@MongoEntity(collection = "results")
public class ResultEntity {
    public ObjectId id;
    public String jobId;
    public String evaluationId;
    public String model;
    public String dataset;
    public long seed;
    public String protocol;
    public boolean paperProtocol;
    public String status;
    public Double testAccuracy;
    public Instant finishedAt;
    public Instant receivedAt;
    public Document message;

    public static ResultEntity of(TrainingResult r, Instant receivedAt) {
        ResultEntity e = new ResultEntity();
        e.jobId = r.jobId();
        e.evaluationId = r.evaluationId();
        e.model = r.model();
        e.dataset = r.dataset();
        e.seed = r.seed();
        e.protocol = r.protocol();
        e.paperProtocol = r.paperProtocol();
        e.status = r.status().name();
        e.testAccuracy = r.testAccuracy();
        e.finishedAt = r.finishedAt();
        e.receivedAt = receivedAt;
        e.message = Documents.of(r);
        return e;
    }

    public TrainingResult toMessage() {
        return Documents.read(message, TrainingResult.class);
    }
}
