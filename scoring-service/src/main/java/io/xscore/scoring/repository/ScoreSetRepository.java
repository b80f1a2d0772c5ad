package io.xscore.scoring.repository;

import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.xscore.common.messaging.ScoreSet;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** The {@code scores} collection: one document per evaluation, replaced when its content changes. */
@ApplicationScoped
public class ScoreSetRepository implements PanacheMongoRepositoryBase<ScoreSetEntity, String> {

    public void save(ScoreSet set, String fingerprint) {
        persistOrUpdate(ScoreSetEntity.of(set, fingerprint));
    }

    public Optional<String> fingerprint(String evaluationId) {
        return findByIdOptional(evaluationId).map(e -> e.fingerprint);
    }

    public Optional<ScoreSet> latest(String evaluationId) {
        return findByIdOptional(evaluationId).map(ScoreSetEntity::toMessage);
    }

    /** The score sets whose robustness board has {@code model}, newest first. */
    public List<ScoreSet> withRobustnessOf(String model) {
        return find("scoreSet.robustness.models.model", Sort.descending("computedAt"), model).stream()
                .map(ScoreSetEntity::toMessage).toList();
    }
}
