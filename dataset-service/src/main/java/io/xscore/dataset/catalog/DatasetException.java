package io.xscore.dataset.catalog;

import io.xscore.support.problem.ProblemException;
import io.xscore.support.problem.ServerPaths;
import java.util.List;

/**
 * A failure the HTTP layer turns into an RFC 9457 problem (service-support's mappers): {@code status}, a short stable
 * {@code slug} for the problem type and a human-readable detail.
 * <p>
 * Messages here are written from what the service knows, and that includes where its files are ("directory
 * /srv/data/cifar10 does not exist"). {@link #getMessage()} keeps them for the log; callers get
 * {@link #publicDetail()}, with every server path replaced, except the paths the caller itself sent
 * ({@link #echoing}): a caller may see the path it registered, never what the server resolved it to or where the
 * server keeps its data. The detail of a 500 is not shown at all (only a log reference).
 */
public class DatasetException extends ProblemException {

    private final List<String> callerPaths;

    public DatasetException(int status, String slug, String title, String detail, Throwable cause) {
        this(status, slug, title, detail, cause, List.of());
    }

    private DatasetException(int status, String slug, String title, String detail, Throwable cause,
            List<String> callerPaths) {
        super(status, slug, title, detail, null, cause);
        this.callerPaths = callerPaths;
    }

    /**
     * A problem whose detail repeats a path the caller sent: {@code callerPath} (and paths under it) stay in the
     * public detail, other server paths do not.
     */
    public static DatasetException echoing(int status, String slug, String title, String detail, String callerPath) {
        return new DatasetException(status, slug, title, detail, null,
                callerPath == null ? List.of() : List.of(callerPath));
    }

    /**
     * This problem as the caller of a registration should see it: the server's real path {@code real} of the
     * directory (symbolic links resolved) written as the path {@code sent} the caller gave, which stays visible.
     */
    public DatasetException asSent(String real, String sent) {
        String detail = getMessage() == null ? null : getMessage().replace(real, sent);
        return new DatasetException(status(), slug(), title(), detail, getCause(), List.of(sent));
    }

    @Override
    public String publicDetail() {
        return ServerPaths.redact(getMessage(), callerPaths);
    }

    /** A caller's value quoted for a detail, cut to 100 characters: enough to recognise, never a whole payload. */
    public static String quoted(String value) {
        if (value == null) {
            return "nothing";
        }
        return "'" + (value.length() > 100 ? value.substring(0, 100) + "..." : value) + "'";
    }

    public static DatasetException unknownDataset(String id) {
        return new DatasetException(404, "unknown-dataset", "Unknown dataset",
                "no dataset with id " + quoted(id), null);
    }

    public static DatasetException unknownSplit(String dataset, String split) {
        return new DatasetException(404, "unknown-split", "Unknown split",
                "dataset '" + dataset + "' has no split " + quoted(split) + " (use train or test)", null);
    }

    public static DatasetException unknownShard(String dataset, String split, String name) {
        return new DatasetException(404, "unknown-shard", "Unknown shard",
                "split " + dataset + "/" + split + " has no shard " + quoted(name), null);
    }

    public static DatasetException badShardName(String name) {
        return new DatasetException(400, "bad-shard-name", "Invalid shard name",
                "shard names match [a-z0-9-]+\\.xsh; got " + quoted(name), null);
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
}
