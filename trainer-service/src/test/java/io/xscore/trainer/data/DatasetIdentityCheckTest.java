package io.xscore.trainer.data;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.hash.Sha256;
import io.xscore.common.messaging.JobIdentity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trainer's check that the fetched data is the data a job was planned on. */
class DatasetIdentityCheckTest {

    static final String A = Sha256.hex("shard a");
    static final String B = Sha256.hex("shard b");
    static final String C = Sha256.hex("shard c");

    static Manifest manifest(String split, String... shas) {
        List<Manifest.Shard> shards = java.util.stream.IntStream.range(0, shas.length)
                .mapToObj(i -> new Manifest.Shard("shard-0000" + i + ".xsh", 10, 100, shas[i])).toList();
        return new Manifest("fashion-mnist", split, 10 * shas.length, 28, 28, 1, 10, List.of(0.5), List.of(0.5),
                shards);
    }

    static JobIdentity identity(String dataset) {
        String x = Sha256.hex("x");
        return new JobIdentity(x, x, dataset, x);
    }

    @Test
    void digestIsTheSha256OfTheCanonicalShardListing() {
        String canonical = "xscore-dataset-content-v1\nsplit=train\n" + A + "\n" + B + "\nsplit=test\n" + C + "\n";
        assertEquals(Sha256.hex(canonical), DatasetIdentityCheck.digest(manifest("train", A, B), manifest("test", C)));
    }

    @Test
    void matchingDigestPassesAndAJobWithoutIdentityIsNotChecked() {
        Manifest train = manifest("train", A, B);
        Manifest test = manifest("test", C);
        assertDoesNotThrow(() -> DatasetIdentityCheck.check(identity(DatasetIdentityCheck.digest(train, test)),
                train, test));
        assertDoesNotThrow(() -> DatasetIdentityCheck.check(null, train, test));
    }

    @Test
    void changedDataFailsTheJobWithAClearReason() {
        Manifest train = manifest("train", A, B);
        Manifest test = manifest("test", C);
        String planned = DatasetIdentityCheck.digest(train, test);
        // Another shard in train, shards swapped between the splits, shards reordered: each is other data.
        for (Manifest[] changed : List.of(new Manifest[] {manifest("train", A, C), test},
                new Manifest[] {manifest("train", A), manifest("test", B, C)},
                new Manifest[] {manifest("train", B, A), test})) {
            DatasetFetchException e = assertThrows(DatasetIdentityCheck.DatasetChangedException.class,
                    () -> DatasetIdentityCheck.check(identity(planned), changed[0], changed[1]));
            assertTrue(e.getMessage().startsWith("the dataset changed since the job was planned: fashion-mnist has "
                    + "content digest "), e.getMessage());
            assertTrue(e.getMessage().contains(planned), e.getMessage());
        }
    }
}
