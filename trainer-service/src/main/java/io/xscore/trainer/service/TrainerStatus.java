package io.xscore.trainer.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** What the trainer is doing now ({@code GET /api/v1/trainer/status}). {@code state} is "idle" or "training". */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainerStatus(String state, String trainer, String jobId, String evaluationId, String model,
                            String dataset, String protocol, Long seed, Integer epoch, Integer epochs,
                            Instant startedAt) {

    public static TrainerStatus idle(String trainer) {
        return new TrainerStatus("idle", trainer, null, null, null, null, null, null, null, null, null);
    }
}
