package io.xscore.trainer.data;

import io.xscore.common.messaging.JobIdentity;
import io.xscore.common.shard.DatasetDigest;

/**
 * Checks that the data a trainer fetched is the data the job was planned on: the content digest of the train and
 * test manifests ({@link DatasetDigest}, the formula the dataset service reports as {@code contentDigest}) must equal
 * the job identity's {@code dataset} digest, which is part of the job id. A job planned before the dataset was
 * prepared again from other data (another directory registered, other source files) would otherwise train on data its
 * id does not name. Jobs without identity (older planners) are not checked.
 */
public final class DatasetIdentityCheck {

    private DatasetIdentityCheck() {
    }

    /** The dataset changed between planning and training; the job fails with this reason (never retried). */
    public static final class DatasetChangedException extends DatasetFetchException {
        public DatasetChangedException(String message) {
            super(message);
        }
    }

    /** The content digest of a dataset with these train and test manifests. */
    public static String digest(Manifest train, Manifest test) {
        return DatasetDigest.of(train.shards().stream().map(Manifest.Shard::sha256).toList(),
                test.shards().stream().map(Manifest.Shard::sha256).toList());
    }

    /**
     * Throws {@link DatasetChangedException} when {@code identity} is present and its dataset digest differs from
     * that of the fetched manifests; does nothing for a job without identity.
     */
    public static void check(JobIdentity identity, Manifest train, Manifest test) {
        if (identity == null || identity.dataset() == null) {
            return;
        }
        String actual;
        try {
            actual = digest(train, test);
        } catch (IllegalArgumentException e) {
            throw new DatasetChangedException("the dataset changed since the job was planned: the manifests of "
                    + train.dataset() + " cannot be digested (" + e.getMessage() + ")");
        }
        if (!actual.equals(identity.dataset())) {
            throw new DatasetChangedException("the dataset changed since the job was planned: " + train.dataset()
                    + " has content digest " + actual + ", the job was planned on " + identity.dataset()
                    + "; submit the evaluation again to plan it on the current data");
        }
    }

    /** {@link #check(JobIdentity, Manifest, Manifest)} on two fetched splits. */
    public static void check(JobIdentity identity, DatasetClient.Split train, DatasetClient.Split test) {
        check(identity, train.manifest(), test.manifest());
    }
}
