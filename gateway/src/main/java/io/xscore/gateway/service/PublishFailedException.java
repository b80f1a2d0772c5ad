package io.xscore.gateway.service;

import io.xscore.support.problem.ProblemException;

/** Kafka did not acknowledge a record in time (503); the detail names no broker address. */
public class PublishFailedException extends ProblemException {
    public PublishFailedException(String detail, Throwable cause) {
        super(503, "kafka-unavailable", "The message broker is unavailable", detail, null, cause);
    }
}
