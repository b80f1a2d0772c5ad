package io.xscore.gateway.planner;

import io.xscore.support.problem.ProblemException;

/**
 * An evaluation request that cannot be accepted. {@code field} names the offending field as a JSON pointer-like path
 * (e.g. {@code models[1]}); over HTTP it becomes a 400 problem+json, on Kafka a dead-letter reason.
 */
public class InvalidRequestException extends ProblemException {

    public InvalidRequestException(String field, String detail) {
        super(400, "invalid-request", "Invalid evaluation request", field + ": " + detail, field);
    }

    /** "field: detail", the form used as the problem detail and the dead-letter reason. */
    public String reason() {
        return getMessage();
    }
}
