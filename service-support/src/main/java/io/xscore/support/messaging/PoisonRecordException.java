package io.xscore.support.messaging;

/**
 * Thrown by a record handler for a record that can never succeed (it is valid JSON and matches its schema, but
 * contradicts what the service knows: an unknown model, a plan without jobs...). The record goes to the dead-letter
 * topic at once with the message as its {@code dead-letter-reason}.
 */
public class PoisonRecordException extends RuntimeException {
    public PoisonRecordException(String reason) {
        super(reason);
    }

    public PoisonRecordException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
