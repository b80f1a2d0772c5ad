package io.xscore.fault;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;

/** Reads the services' MongoDB databases directly: what is really stored, beside what the APIs answer. */
final class MongoProbe implements AutoCloseable {

    static final String GATEWAY = "xscore-gateway";
    static final String SCORING = "xscore-scoring";

    private final MongoClient client;

    MongoProbe(String uri) {
        client = MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri))
                .applyToClusterSettings(b -> b.serverSelectionTimeout(20, TimeUnit.SECONDS))
                .applyToSocketSettings(b -> b.connectTimeout(5, TimeUnit.SECONDS).readTimeout(30, TimeUnit.SECONDS))
                .build());
    }

    long count(String database, String collection, Bson filter) {
        return client.getDatabase(database).getCollection(collection).countDocuments(filter);
    }

    /** Documents in the scoring service's {@code results} collection for this job id (must never exceed 1). */
    long resultsOf(String jobId) {
        return count(SCORING, "results", Filters.eq("jobId", jobId));
    }

    /** Number of documents in every collection of the database. */
    Map<String, Long> counts(String database) {
        Map<String, Long> out = new TreeMap<>();
        for (String name : client.getDatabase(database).listCollectionNames()) {
            out.put(name, client.getDatabase(database).getCollection(name).countDocuments());
        }
        return out;
    }

    Document find(String database, String collection, Bson filter) {
        return client.getDatabase(database).getCollection(collection).find(filter).first();
    }

    @Override
    public void close() {
        client.close();
    }
}
