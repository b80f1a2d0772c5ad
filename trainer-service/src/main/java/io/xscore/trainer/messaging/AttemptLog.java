package io.xscore.trainer.messaging;

import io.xscore.common.hash.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * How each job's last attempt ended, as far as any trainer sharing the checkpoint directory knows: one line per job
 * in {@code <checkpoint-dir>/attempts/}. Written when a trainer takes a job ("took delivery 3 … and stopped without
 * finishing it": what stays if the process is killed), replaced when it releases it at shutdown or loses its lock,
 * removed when the job is finished. Read when a job arrives on its last allowed delivery, to say why it is rejected.
 * Best effort: a failure to write it is logged, never fails a job.
 */
final class AttemptLog {

    private static final Logger LOG = Logger.getLogger(AttemptLog.class);

    private final Path dir;

    AttemptLog(Path checkpointDir) {
        this.dir = checkpointDir.resolve("attempts");
    }

    void note(String jobId, String line) {
        try {
            Files.createDirectories(dir);
            Path target = fileOf(jobId);
            Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
            Files.writeString(tmp, line, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("job %s: could not note its attempt (%s)", jobId, e.getMessage());
        }
    }

    Optional<String> last(String jobId) {
        try {
            Path file = fileOf(jobId);
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
                    .filter(s -> !s.isEmpty()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void forget(String jobId) {
        try {
            Files.deleteIfExists(fileOf(jobId));
        } catch (IOException | RuntimeException e) {
            LOG.debugf("job %s: could not remove its attempt note (%s)", jobId, e.getMessage());
        }
    }

    private Path fileOf(String jobId) {
        return dir.resolve(Sha256.hex(jobId).substring(0, 32) + ".txt");
    }
}
