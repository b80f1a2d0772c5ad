package io.xscore.trainer.messaging;

/** The application is stopping: hand the job back. */
final class Stopping extends RuntimeException {

    Stopping() {
        super("shutting down", null, false, false);
    }
}
