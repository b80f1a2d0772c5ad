package io.xscore.dataset.catalog;

/**
 * A failure the HTTP layer turns into an RFC 9457 problem: {@code status}, a short stable {@code slug} for the
 * problem type and a human-readable detail.
 */
public class DatasetException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;

    public DatasetException(int status, String slug, String title, String detail, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public static DatasetException unknownDataset(String id) {
        return new DatasetException(404, "unknown-dataset", "Unknown dataset",
                "no dataset with id '" + id + "'", null);
    }

    public static DatasetException unknownSplit(String dataset, String split) {
        return new DatasetException(404, "unknown-split", "Unknown split",
                "dataset '" + dataset + "' has no split '" + split + "' (use train or test)", null);
    }

    public static DatasetException unknownShard(String dataset, String split, String name) {
        return new DatasetException(404, "unknown-shard", "Unknown shard",
                "split " + dataset + "/" + split + " has no shard '" + name + "'", null);
    }

    public static DatasetException badShardName(String name) {
        return new DatasetException(400, "bad-shard-name", "Invalid shard name",
                "shard names match [a-z0-9-]+\\.xsh; got '" + name + "'", null);
    }

    public static DatasetException missingData(String dataset, String detail) {
        return new DatasetException(503, "missing-data", "Dataset data missing",
                "dataset '" + dataset + "': " + detail, null);
    }

    public static DatasetException corruptData(String dataset, Throwable cause) {
        return new DatasetException(500, "corrupt-data", "Dataset data unreadable",
                "dataset '" + dataset + "': " + cause.getMessage(), cause);
    }

    public static DatasetException preparationFailed(String dataset, String split, Throwable cause) {
        return new DatasetException(500, "preparation-failed", "Preparing the split failed",
                "preparing " + dataset + "/" + split + " failed: " + cause, cause);
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }
}
