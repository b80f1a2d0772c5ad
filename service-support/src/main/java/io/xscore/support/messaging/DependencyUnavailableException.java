package io.xscore.support.messaging;

/**
 * Thrown by a record handler when something it needs is not available now but will be (a service or the broker
 * did not answer): the record is retried, never dead-lettered.
 */
public class DependencyUnavailableException extends RuntimeException {
    public DependencyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public DependencyUnavailableException(String message) {
        super(message);
    }
}
