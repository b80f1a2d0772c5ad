package io.xscore.common.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One delivery of a training job to a trainer. Trainers take jobs from a Kafka share group, which counts deliveries
 * per record: the first delivery is 1, a job released by a stopping trainer or whose acquisition lock expired (its
 * trainer was killed) comes back with the next number, possibly to another trainer.
 *
 * <p>Carried by the {@code STARTED} and {@code RELEASED} progress records and by the result, so the gateway can show
 * every attempt of a job: which trainer, when, and how it ended (accepted with the result, released at shutdown,
 * rejected after the delivery limit, or lock expired when a later delivery starts while this one never ended).
 *
 * @param delivery    the broker's delivery count of the job record for this attempt (1 for the first)
 * @param trainer     the trainer that took it
 * @param startedAt   when that trainer took it
 * @param resumedFrom where training continued from a checkpoint, e.g. "epoch 3, batch 120"; absent for a fresh start
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobAttempt(int delivery, String trainer, Instant startedAt, String resumedFrom) {
}
