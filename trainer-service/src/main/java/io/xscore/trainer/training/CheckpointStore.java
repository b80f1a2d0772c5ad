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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.jboss.logging.Logger;

/**
 * Checkpoints in a directory (a PersistentVolumeClaim in Kubernetes), one file per job: {@code <hash of job id>.ckpt}.
 * Written atomically: a temporary file in the same directory, fsync, rename over the previous checkpoint, fsync of
 * the directory; a crash leaves either the old or the new checkpoint, never a torn one. The file ends with a CRC-32
 * so a damaged file is detected and ignored (the job then starts from scratch).
 *
 * <p>Format (big endian): magic "XSCK", version 1, job id, fingerprint, epochs done, timings, the three history lists,
 * parameters (name, float count, floats), optimiser step and moments (name, m floats, v floats), CRC-32.
 */
public final class CheckpointStore {

    private static final Logger LOG = Logger.getLogger(CheckpointStore.class);
    private static final int MAGIC = 0x5853434B;
    private static final int VERSION = 1;

    private final Path dir;

    public CheckpointStore(Path dir) {
        this.dir = dir;
    }

    public Path fileOf(String jobId) {
        return dir.resolve(hash(jobId) + ".ckpt");
    }

    public void save(Checkpoint c) {
        try {
            Files.createDirectories(dir);
            Path target = fileOf(c.jobId());
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
            syncDirectory();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write checkpoint of job " + c.jobId() + " to " + dir + ": " + e, e);
        }
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every file system allows syncing a directory; the rename itself is atomic
        }
    }

    /** The job's checkpoint, if there is a readable one. */
    public Optional<Checkpoint> load(String jobId) {
        Path file = fileOf(jobId);
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length < 16) {
                throw new IOException("truncated");
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 8);
            if (ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong() != crc.getValue()) {
                LOG.warnf("checkpoint %s fails its CRC; ignoring it", file);
                return Optional.empty();
            }
            Checkpoint c = read(new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8)));
            if (!jobId.equals(c.jobId())) {
                LOG.warnf("checkpoint %s belongs to job %s, not %s; ignoring it", file, c.jobId(), jobId);
                return Optional.empty();
            }
            return Optional.of(c);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("unreadable checkpoint %s (%s); ignoring it", file, e.toString());
            return Optional.empty();
        }
    }

    public boolean delete(String jobId) {
        try {
            return Files.deleteIfExists(fileOf(jobId));
        } catch (IOException e) {
            LOG.warnf("cannot delete checkpoint of job %s: %s", jobId, e);
            return false;
        }
    }

    private static void write(DataOutputStream out, Checkpoint c) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(c.jobId());
        writeString(out, c.fingerprint());
        out.writeInt(c.epochsDone());
        out.writeDouble(c.trainSeconds());
        out.writeLong(c.trainImagesSeen());
        out.writeDouble(c.epochSecondsSum());
        out.writeDouble(c.wallSeconds());
        writeDoubles(out, c.trainLosses());
        writeDoubles(out, c.trainAccuracies());
        writeDoubles(out, c.testAccuracies());
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
        if (version != VERSION) {
            throw new IOException("checkpoint version " + version + " is not supported");
        }
        String jobId = in.readUTF();
        String fingerprint = readString(in);
        int epochs = in.readInt();
        double trainSeconds = in.readDouble();
        long seen = in.readLong();
        double epochSum = in.readDouble();
        double wall = in.readDouble();
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
        return new Checkpoint(jobId, fingerprint, epochs, params, new Adam.State(step, m, v), losses, trainAcc,
                testAcc, trainSeconds, seen, epochSum, wall);
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
