package io.xscore.gateway.repository;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Creates the gateway's MongoDB indexes at start-up (idempotent). */
@ApplicationScoped
public class MongoIndexes {

    private final EvaluationRepository evaluations;

    public MongoIndexes(EvaluationRepository evaluations) {
        this.evaluations = evaluations;
    }

    void onStart(@Observes StartupEvent event) {
        evaluations.createIndexes();
    }
}
