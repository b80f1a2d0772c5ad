package io.xscore.scoring.messaging;

import io.smallrye.common.annotation.Blocking;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.scoring.config.ScoringConfig;
import io.xscore.scoring.service.ScoringService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code xscore.training-results} (group {@code scoring-service}). A record that is not a valid
 * {@link TrainingResult} makes the method throw, which nacks it: SmallRye then writes it to
 * {@code xscore.training-results.dlq.scoring-service} with the reason in the {@code dead-letter-reason} header.
 */
@ApplicationScoped
public class TrainingResultConsumer {

    private final ScoringService scoring;
    private final ScoringConfig config;

    public TrainingResultConsumer(ScoringService scoring, ScoringConfig config) {
        this.scoring = scoring;
        this.config = config;
    }

    @Incoming("training-results")
    @Blocking
    public void consume(String payload) {
        TrainingResult result = MessageCodec.decode(payload, TrainingResult.class);
        Attempts.run(config.attempts(), "result of job " + result.jobId(), () -> scoring.onResult(result));
    }
}
