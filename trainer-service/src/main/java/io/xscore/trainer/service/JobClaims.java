package io.xscore.trainer.service;

import io.xscore.common.hash.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Which trainer runs a job right now, across every trainer that shares the checkpoint directory: one claim file per
 * job in {@code <checkpoint-dir>/claims/}, held with an exclusive OS file lock ({@code fcntl}) for as long as the
 * trainer works on the job, and describing who holds it (trainer, the job record's topic, partition and offset, since
 * when).
 *
 * <p>Why: all trainers share the job topic's one partition (share group), so two records of the same job (the planner
 * published it twice, or someone re-sent it) can be delivered to two trainers at once. The share group locks records,
 * not jobs, and before the first copy's result exists nothing else tells the second trainer that the job is running.
 *
 * <p>Why an OS lock and not a marker file: the kernel drops the lock when its process dies, however it dies (SIGKILL,
 * OOM kill, node loss on a network file system with lock recovery), so a claim never outlives its trainer and needs no
 * expiry. On file systems that refuse locks, claims are not available ({@link #tryClaim} says so) and trainers go on
 * without them, as before (duplicates are then refused downstream by result precedence).
 *
 * <p>Claim files are kept after release (deleting a file another process is about to lock would let two processes hold
 * "the" lock on two different files); files untouched for longer than the result ledger's retention are pruned.
 */
public final class JobClaims {

    private static final Logger LOG = Logger.getLogger(JobClaims.class);
    private static final Pattern HOLDER = Pattern.compile(
            "trainer=(\\S+) record=(\\S+)-(\\d+)@(\\d+) since=(\\S+)");

    private final Path dir;

    public JobClaims(Path checkpointDir) {
        this.dir = checkpointDir.resolve("claims");
    }

    /** Who holds a claim: the trainer and the record (topic, partition, offset) it was delivered. */
    public record Holder(String trainer, String topic, int partition, long offset, Instant since) {

        public boolean sameRecord(String otherTopic, int otherPartition, long otherOffset) {
            return topic.equals(otherTopic) && partition == otherPartition && offset == otherOffset;
        }

        String line() {
            return "trainer=" + trainer.replaceAll("\\s", "_") + " record=" + topic + "-" + partition + "@" + offset
                    + " since=" + since + "\n";
        }

        static Optional<Holder> parse(String text) {
            Matcher m = HOLDER.matcher(text.strip());
            if (!m.matches()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Holder(m.group(1), m.group(2), Integer.parseInt(m.group(3)),
                        Long.parseLong(m.group(4)), Instant.parse(m.group(5))));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return trainer + " (record " + topic + "-" + partition + "@" + offset + ", since " + since + ")";
        }
    }

    /** What {@link #tryClaim} found. */
    public sealed interface Attempt {
        /** The claim is this process's until {@link Claim#close()}. */
        record Claimed(Claim claim) implements Attempt {
        }

        /** Another process (or another claim of this one) holds it; who, if its description could be read. */
        record HeldElsewhere(Optional<Holder> holder) implements Attempt {
        }

        /** The file system refuses locks (or the directory cannot be written): go on without a claim. */
        record Unavailable(String why) implements Attempt {
        }
    }

    /** A held claim; closing it releases the lock (the file stays). */
    public static final class Claim implements AutoCloseable {
        private final String jobId;
        private final FileChannel channel;
        private final FileLock lock;

        private Claim(String jobId, FileChannel channel, FileLock lock) {
            this.jobId = jobId;
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                lock.release();
            } catch (IOException e) {
                LOG.debugf("job %s: releasing its claim: %s", jobId, e.toString());
            }
            try {
                channel.close(); // closing the channel releases the lock in any case
            } catch (IOException e) {
                LOG.warnf("job %s: closing its claim file: %s", jobId, e.toString());
            }
        }
    }

    /** Claims the job for {@code holder} unless another holds it; never blocks. */
    public Attempt tryClaim(String jobId, Holder holder) {
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(fileOf(jobId), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM holds it already
            }
            if (lock == null) {
                channel.close();
                return new Attempt.HeldElsewhere(holder(jobId));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder.line().getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new Attempt.Claimed(new Claim(jobId, channel, lock));
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(channel);
            return new Attempt.Unavailable(e.toString());
        }
    }

    /** Who holds (or last held) the job's claim, if it was ever claimed and its description is readable. */
    public Optional<Holder> holder(String jobId) {
        try {
            Path file = fileOf(jobId);
            return Files.exists(file) ? Holder.parse(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Removes claim files untouched for longer than {@code retention} that nobody holds; returns how many. */
    public int prune(Duration retention) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Instant cutoff = Instant.now().minus(retention);
        int removed = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) {
                    continue;
                }
                try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE);
                     FileLock lock = c.tryLock()) {
                    if (lock != null && Files.deleteIfExists(f)) {
                        removed++;
                    }
                } catch (IOException | OverlappingFileLockException e) {
                    LOG.debugf("claim file %s not pruned: %s", f, e.toString());
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot prune the job claims: %s", e.getMessage());
        }
        return removed;
    }

    Path fileOf(String jobId) {
        return dir.resolve(Sha256.hex(jobId).substring(0, 32) + ".claim");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
    }
}
