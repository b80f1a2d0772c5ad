package io.xscore.trainer.service;

import io.xscore.common.hash.Sha256;
import io.xscore.common.json.InvalidMessageException;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.TrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The successful results this trainer published, one small file per job next to the checkpoints
 * ({@code <checkpoint-dir>/results/<hash of job id>.json}). It is the marker that a job is finished: a job record
 * delivered again (its offset was not committed before a broker outage or a restart) is answered from here by
 * publishing the same result again, never by training again. Written after the broker acknowledged the result and
 * before the job's checkpoint is deleted, atomically and synced, so at every moment either the checkpoint or the
 * finished result exists. Entries older than {@code xscore.trainer.results.ledger-retention} are pruned.
 */
public final class ResultLedger {

    private static final Logger LOG = Logger.getLogger(ResultLedger.class);

    private final Path dir;

    public ResultLedger(Path checkpointDir) {
        this.dir = checkpointDir.resolve("results");
    }

    public Optional<TrainingResult> find(String jobId) {
        Path file = fileOf(jobId);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            TrainingResult r = MessageCodec.decode(Files.readString(file), TrainingResult.class);
            return r.jobId().equals(jobId) && r.status() == TrainingResult.Status.SUCCEEDED ? Optional.of(r)
                    : Optional.empty();
        } catch (IOException | InvalidMessageException e) {
            LOG.warnf("result ledger entry of job %s is unreadable (%s); ignored", jobId, e.getMessage());
            return Optional.empty();
        }
    }

    /** Records a successful result (failures are not final: a failed job may be queued again and must then train). */
    public void record(TrainingResult result) {
        if (result.status() != TrainingResult.Status.SUCCEEDED) {
            return;
        }
        Path file = fileOf(result.jobId());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(java.nio.ByteBuffer.wrap(MessageCodec.encode(result).getBytes(StandardCharsets.UTF_8)));
                out.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the result of job " + result.jobId(), e);
        }
    }

    /** Removes entries older than {@code retention}; returns how many. */
    public int prune(Duration retention) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Instant cutoff = Instant.now().minus(retention);
        int removed = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff) && Files.deleteIfExists(f)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot prune the result ledger: %s", e.getMessage());
        }
        return removed;
    }

    Path fileOf(String jobId) {
        return dir.resolve(Sha256.hex(jobId).substring(0, 32) + ".json");
    }
}
