package io.xscore.scoring.repository;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import io.xscore.scoring.reference.ReferenceData;
import io.xscore.scoring.xscore.AccuracyTable;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code reference_accuracies} collection: the shipped reference tables, one document per cell, seeded at start-up
 * by upsert on a deterministic id (re-seeding never duplicates; an unchanged cell is rewritten with the same values).
 */
@ApplicationScoped
public class ReferenceRepository implements PanacheMongoRepositoryBase<ReferenceAccuracyEntity, String> {

    public void createIndexes() {
        mongoCollection().createIndex(Indexes.ascending("protocol", "version", "row", "column"),
                new IndexOptions().name("protocol_version_order"));
    }

    /** Upserts every cell of the reference data; returns the number of cells. */
    public int seed(ReferenceData data) {
        AccuracyTable t = data.table();
        List<String> models = t.models();
        Instant now = Instant.now();
        for (int i = 0; i < models.size(); i++) {
            for (int j = 0; j < t.datasets().size(); j++) {
                ReferenceAccuracyEntity e = new ReferenceAccuracyEntity();
                e.protocol = data.protocol();
                e.version = data.version();
                e.model = models.get(i);
                e.dataset = t.datasets().get(j);
                e.id = ReferenceAccuracyEntity.idOf(e.protocol, e.version, e.model, e.dataset);
                e.accuracy = t.get(e.model, e.dataset);
                e.row = i;
                e.column = j;
                e.source = data.source();
                e.sha256 = data.sha256();
                e.seededAt = now;
                mongoCollection().replaceOne(Filters.eq("_id", e.id), e, new ReplaceOptions().upsert(true));
            }
        }
        return models.size() * t.datasets().size();
    }

    /** The stored reference table of a protocol (its highest version), or empty when none is stored. */
    public Optional<ReferenceData> load(String protocol) {
        ReferenceAccuracyEntity newest = mongoCollection().find(Filters.eq("protocol", protocol))
                .sort(Sorts.descending("version")).limit(1).first();
        if (newest == null) {
            return Optional.empty();
        }
        List<String> datasets = new ArrayList<>();
        Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
        mongoCollection().find(Filters.and(Filters.eq("protocol", protocol), Filters.eq("version", newest.version)))
                .sort(Sorts.ascending("row", "column")).forEach(e -> {
                    if (!datasets.contains(e.dataset)) {
                        datasets.add(e.dataset);
                    }
                    rows.computeIfAbsent(e.model, m -> new LinkedHashMap<>()).put(e.dataset, e.accuracy);
                });
        AccuracyTable.Builder b = AccuracyTable.builder(datasets);
        rows.forEach(b::row);
        return Optional.of(new ReferenceData(protocol, newest.version, newest.source, newest.sha256, b.build()));
    }
}
