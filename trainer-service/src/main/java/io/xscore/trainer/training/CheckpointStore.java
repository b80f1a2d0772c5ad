package io.xscore.trainer.training;

import io.xscore.common.hash.Sha256;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.jboss.logging.Logger;

/**
 * Checkpoints in a directory (a PersistentVolumeClaim in Kubernetes, or one directory shared by the trainers of the
 * local stack), one file per job: {@code <hash of job id>.ckpt}. Written atomically: a temporary file with a unique
 * name in the same directory, fsync, rename over the previous checkpoint, fsync of the directory; a crash leaves
 * either the old or the new checkpoint, never a torn one, and a reader (another process) sees one or the other. The
 * file ends with a CRC-32 so a damaged or truncated file is detected and ignored with a warning (the job then starts
 * from scratch).
 *
 * <p>Several processes may share the directory. Different jobs never touch each other's files. Writers of the same
 * job (a job handed to a second trainer while the first still runs) are serialised by a lock on
 * {@code <hash>.lock} (an OS file lock, plus a JVM monitor for writers in one process), and a writer does not replace
 * a valid checkpoint of the same setup that is further along: runs of one job are deterministic, so the furthest
 * checkpoint is the best one. Where the file system refuses locks, writes go ahead without (still atomic).
 * Temporary files of a writer that died are removed after an hour.
 *
 * <p>Format (big endian): magic "XSCK", version, job id, fingerprint, then for version 2: epoch in progress, batches of
 * it done, timings, running metrics of the epoch (loss sum, correct, images, training seconds); for version 1
 * (per-epoch checkpoints, still read): epochs done, timings. Then the three history lists, parameters (name, float
 * count, floats), optimiser step and moments (name, m floats, v floats), CRC-32.
 */
public final class CheckpointStore {

    private static final Logger LOG = Logger.getLogger(CheckpointStore.class);
    private static final int MAGIC = 0x5853434B;
    private static final int VERSION = 2;
    private static final Duration STALE_TEMPORARY = Duration.ofHours(1);
    /** One monitor per checkpoint file for the writers of this JVM (file locks are per process). */
    private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private final Path dir;

    public CheckpointStore(Path dir) {
        this.dir = dir;
    }

    public Path fileOf(String jobId) {
        return dir.resolve(hash(jobId) + ".ckpt");
    }

    private Path lockOf(String jobId) {
        return dir.resolve(hash(jobId) + ".lock");
    }

    /**
     * Writes the checkpoint atomically, replacing the job's previous one, unless the stored one is a valid checkpoint
     * of the same fingerprint at a later position (another trainer of the same job got further).
     *
     * @return whether this checkpoint was written
     */
    public boolean save(Checkpoint c) {
        try {
            Files.createDirectories(dir);
            Path target = fileOf(c.jobId());
            Object monitor = MONITORS.computeIfAbsent(target.toAbsolutePath().normalize(), k -> new Object());
            synchronized (monitor) {
                try (FileChannel lockChannel = FileChannel.open(lockOf(c.jobId()), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                     FileLock lock = lockOrNull(lockChannel)) {
                    Optional<Checkpoint> existing = readValid(target, c.jobId(), false);
                    if (existing.isPresent() && existing.get().fingerprint().equals(c.fingerprint())
                            && compare(existing.get(), c) > 0) {
                        LOG.infof("checkpoint of job %s not written: the stored one is further (%s, not %s)",
                                c.jobId(), position(existing.get()), position(c));
                        return false;
                    }
                    removeStaleTemporaries(c.jobId());
                    write(target, c);
                }
            }
            syncDirectory();
            return true;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write checkpoint of job " + c.jobId() + " to " + dir + ": " + e, e);
        }
    }

    private static FileLock lockOrNull(FileChannel channel) {
        try {
            return channel.lock();
        } catch (IOException | UnsupportedOperationException | OverlappingFileLockException e) {
            // the file system refuses locks, or this JVM holds one under another path to the same file
            LOG.debugf("no file lock on %s (%s); writing without", channel, e.toString());
            return null;
        }
    }

    private static int compare(Checkpoint a, Checkpoint b) {
        return a.epoch() != b.epoch() ? Integer.compare(a.epoch(), b.epoch()) : Integer.compare(a.batch(), b.batch());
    }

    private static String position(Checkpoint c) {
        return "epoch " + c.epoch() + ", batch " + c.batch();
    }

    private void write(Path target, Checkpoint c) throws IOException {
        Path tmp = Files.createTempFile(dir, hash(c.jobId()), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                CRC32 crc = new CRC32();
                OutputStream raw = Channels.newOutputStream(channel);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                        new CheckedOutputStream(raw, crc), 1 << 16));
                write(out, c);
                out.flush();
                out.writeLong(crc.getValue());
                out.flush();
                channel.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Temporary files of this job older than an hour: their writer died between creating and renaming them. */
    private void removeStaleTemporaries(String jobId) {
        Instant limit = Instant.now().minus(STALE_TEMPORARY);
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, hash(jobId) + "*.tmp")) {
            for (Path p : stale) {
                try {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(limit)) {
                        Files.deleteIfExists(p);
                        LOG.infof("removed stale temporary checkpoint %s", p);
                    }
                } catch (IOException e) {
                    // another process removed it, or it cannot be removed: not this write's problem
                }
            }
        } catch (IOException e) {
            LOG.debugf("cannot list %s for stale temporaries: %s", dir, e);
        }
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every file system allows syncing a directory; the rename itself is atomic
        }
    }

    /** The job's checkpoint, if there is a readable one; a damaged, truncated or foreign file is ignored (warning). */
    public Optional<Checkpoint> load(String jobId) {
        return readValid(fileOf(jobId), jobId, true);
    }

    private Optional<Checkpoint> readValid(Path file, String jobId, boolean warn) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length < 16) {
                throw new IOException("truncated: " + bytes.length + " bytes");
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 8);
            if (ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong() != crc.getValue()) {
                if (warn) {
                    LOG.warnf("checkpoint %s fails its CRC (damaged or truncated); ignoring it", file);
                }
                return Optional.empty();
            }
            Checkpoint c = read(new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8)));
            if (!jobId.equals(c.jobId())) {
                if (warn) {
                    LOG.warnf("checkpoint %s belongs to job %s, not %s; ignoring it", file, c.jobId(), jobId);
                }
                return Optional.empty();
            }
            return Optional.of(c);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            if (warn) {
                LOG.warnf("unreadable checkpoint %s (%s); ignoring it", file, e.toString());
            }
            return Optional.empty();
        }
    }

    /** Removes the job's checkpoint (and its lock file); whether there was one. */
    public boolean delete(String jobId) {
        try {
            boolean deleted = Files.deleteIfExists(fileOf(jobId));
            Files.deleteIfExists(lockOf(jobId));
            return deleted;
        } catch (IOException e) {
            LOG.warnf("cannot delete checkpoint of job %s: %s", jobId, e);
            return false;
        }
    }

    private static void write(DataOutputStream out, Checkpoint c) throws IOException {
        RunState s = c.state();
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(c.jobId());
        writeString(out, c.fingerprint());
        out.writeInt(s.epoch());
        out.writeInt(s.batch());
        out.writeDouble(s.trainSeconds());
        out.writeLong(s.trainImagesSeen());
        out.writeDouble(s.epochSecondsSum());
        out.writeDouble(s.wallSeconds());
        out.writeDouble(s.epochLossSum());
        out.writeLong(s.epochCorrect());
        out.writeLong(s.epochImages());
        out.writeDouble(s.epochTrainSeconds());
        writeDoubles(out, s.trainLosses());
        writeDoubles(out, s.trainAccuracies());
        writeDoubles(out, s.testAccuracies());
        out.writeInt(c.parameters().size());
        for (Map.Entry<String, float[]> e : c.parameters().entrySet()) {
            out.writeUTF(e.getKey());
            writeFloats(out, e.getValue());
        }
        Adam.State a = c.optimizer();
        out.writeLong(a.step());
        out.writeInt(a.m().size());
        for (Map.Entry<String, float[]> e : a.m().entrySet()) {
            out.writeUTF(e.getKey());
            writeFloats(out, e.getValue());
            writeFloats(out, a.v().get(e.getKey()));
        }
    }

    private static Checkpoint read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a checkpoint");
        }
        int version = in.readInt();
        if (version != 1 && version != VERSION) {
            throw new IOException("checkpoint version " + version + " is not supported");
        }
        String jobId = in.readUTF();
        String fingerprint = readString(in);
        int epoch = in.readInt();
        int batch = version >= 2 ? in.readInt() : 0;
        double trainSeconds = in.readDouble();
        long seen = in.readLong();
        double epochSum = in.readDouble();
        double wall = in.readDouble();
        double epochLossSum = 0;
        long epochCorrect = 0;
        long epochImages = 0;
        double epochTrainSeconds = 0;
        if (version >= 2) {
            epochLossSum = in.readDouble();
            epochCorrect = in.readLong();
            epochImages = in.readLong();
            epochTrainSeconds = in.readDouble();
        }
        List<Double> losses = readDoubles(in);
        List<Double> trainAcc = readDoubles(in);
        List<Double> testAcc = readDoubles(in);
        int n = in.readInt();
        Map<String, float[]> params = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            params.put(in.readUTF(), readFloats(in));
        }
        long step = in.readLong();
        int k = in.readInt();
        Map<String, float[]> m = new LinkedHashMap<>();
        Map<String, float[]> v = new LinkedHashMap<>();
        for (int i = 0; i < k; i++) {
            String name = in.readUTF();
            m.put(name, readFloats(in));
            v.put(name, readFloats(in));
        }
        RunState state = new RunState(epoch, batch, losses, trainAcc, testAcc, trainSeconds, seen, epochSum, wall,
                epochLossSum, epochCorrect, epochImages, epochTrainSeconds);
        return new Checkpoint(jobId, fingerprint, params, new Adam.State(step, m, v), state);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
    }

    private static void writeDoubles(DataOutputStream out, List<Double> values) throws IOException {
        out.writeInt(values.size());
        for (double d : values) {
            out.writeDouble(d);
        }
    }

    private static List<Double> readDoubles(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<Double> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(in.readDouble());
        }
        return list;
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.BIG_ENDIAN);
        buffer.asFloatBuffer().put(values);
        out.write(buffer.array());
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 28) {
            throw new IOException("bad array length " + n);
        }
        float[] values = new float[n];
        ByteBuffer.wrap(in.readNBytes(n * 4)).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    static String hash(String jobId) {
        return Sha256.hex(jobId).substring(0, 32);
    }
}
