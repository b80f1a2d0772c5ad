package io.xscore.scoring.repository;

import io.quarkus.mongodb.panache.common.MongoEntity;
import io.xscore.common.messaging.ScoreSet;
import java.time.Instant;
import org.bson.Document;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * The latest published score set of an evaluation (collection {@code scores}, {@code _id} = evaluation id).
 * {@code fingerprint} identifies its content without {@code computedAt}: an equal fingerprint is not republished.
 */
@MongoEntity(collection = "scores")
public class ScoreSetEntity {
    @BsonId
    public String evaluationId;
    public String protocol;
    public boolean complete;
    public String fingerprint;
    public Instant computedAt;
    public Document scoreSet;

    public static ScoreSetEntity of(ScoreSet set, String fingerprint) {
        ScoreSetEntity e = new ScoreSetEntity();
        e.evaluationId = set.evaluationId();
        e.protocol = set.protocol();
        e.complete = set.complete();
        e.fingerprint = fingerprint;
        e.computedAt = set.computedAt();
        e.scoreSet = Documents.of(set);
        return e;
    }

    public ScoreSet toMessage() {
        return Documents.read(scoreSet, ScoreSet.class);
    }
}
