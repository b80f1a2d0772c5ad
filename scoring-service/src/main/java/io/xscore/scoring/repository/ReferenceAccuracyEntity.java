package io.xscore.scoring.repository;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * One cell of a versioned reference table (collection {@code reference_accuracies}). {@code _id} =
 * {@code <protocol>/v<version>/<model>/<dataset>}, so re-seeding upserts the same 77 documents. {@code row} and
 * {@code column} keep the table's order; {@code sha256} identifies the shipped table the cell comes from.
 */
@MongoEntity(collection = "reference_accuracies")
public class ReferenceAccuracyEntity {
    @BsonId
    public String id;
    public String protocol;
    public int version;
    public String model;
    public String dataset;
    public double accuracy;
    public int row;
    public int column;
    public String source;
    public String sha256;
    public Instant seededAt;

    public static String idOf(String protocol, int version, String model, String dataset) {
        return protocol + "/v" + version + "/" + model + "/" + dataset;
    }
}
