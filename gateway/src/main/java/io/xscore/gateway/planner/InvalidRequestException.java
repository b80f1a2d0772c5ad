package io.xscore.gateway.planner;

/**
 * An evaluation request that cannot be accepted. {@code field} names the offending field as a JSON pointer-like path
 * (e.g. {@code models[1]}); over HTTP it becomes a 400 problem+json, on Kafka a dead-letter reason.
 */
public class InvalidRequestException extends RuntimeException {

    private final String field;

    public InvalidRequestException(String field, String detail) {
        super(detail);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** "field: detail", the form used as the dead-letter reason. */
    public String reason() {
        return field + ": " + getMessage();
    }
}
