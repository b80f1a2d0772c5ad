package io.xscore.trainer.training;

/** The run was stopped because its evaluation was cancelled; the message is the job's failure reason. */
public class TrainingCancelledException extends RuntimeException {

    public static final String REASON = "cancelled by request";

    public TrainingCancelledException(String detail) {
        super(detail == null || detail.isBlank() ? REASON : REASON + ": " + detail);
    }
}
