package io.xscore.gateway.repository;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Creates the gateway's MongoDB indexes at start-up (idempotent). */
@ApplicationScoped
public class MongoIndexes {

    @Inject
    EvaluationRepository evaluations;

    void onStart(@Observes StartupEvent event) {
        evaluations.createIndexes();
    }
}
