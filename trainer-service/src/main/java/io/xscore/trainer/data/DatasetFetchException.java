package io.xscore.trainer.data;

/** The dataset service could not deliver a split (unreachable, 404, 503 with a reason, bad checksum...). */
public class DatasetFetchException extends RuntimeException {
    public DatasetFetchException(String message) {
        super(message);
    }

    public DatasetFetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
