package io.xscore.common.json;

/** A record that is not valid JSON or does not satisfy its schema; the message is the dead-letter reason. */
public class InvalidMessageException extends RuntimeException {
    public InvalidMessageException(String message) {
        super(message);
    }

    public InvalidMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
