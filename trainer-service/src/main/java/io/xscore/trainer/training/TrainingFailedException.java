package io.xscore.trainer.training;

/** A run that cannot go on (e.g. the loss diverged); the message is the job's failure reason. */
public class TrainingFailedException extends RuntimeException {
    public TrainingFailedException(String message) {
        super(message);
    }
}
