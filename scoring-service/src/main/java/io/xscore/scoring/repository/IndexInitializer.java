package io.xscore.scoring.repository;

import io.quarkus.runtime.StartupEvent;
import io.xscore.scoring.reference.ReferenceData;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

/**
 * Seeds the shipped reference table(s) (upsert per cell: idempotent) and creates the indexes at startup (createIndex with the same keys and options is a no-op when the index exists).
 * Runs before the messaging consumers start, so the unique job-id index is in place before the first result.
 */
@ApplicationScoped
public class IndexInitializer {

    private static final Logger LOG = Logger.getLogger(IndexInitializer.class);

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event,
                 ResultRepository results, EvaluationRepository evaluations, ReferenceRepository references) {
        results.createIndexes();
        evaluations.createIndexes();
        references.createIndexes();
        LOG.info("MongoDB indexes ensured: results.jobId (unique), results.evaluationId, "
                + "results.(model, dataset, protocol), results.(protocol, paperProtocol, status), evaluations.jobIds, "
                + "reference_accuracies.(protocol, version, row, column)");
        ReferenceData paper = ReferenceData.paper();
        int cells = references.seed(paper);
        LOG.infof("reference table %s v%d seeded (%d cells, sha256 %s)", paper.protocol(), paper.version(), cells,
                paper.sha256());
    }
}
