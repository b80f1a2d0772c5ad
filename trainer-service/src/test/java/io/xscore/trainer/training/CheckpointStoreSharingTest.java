package io.xscore.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One checkpoint directory shared by several trainer processes (the local stack's N trainers, a shared volume in
 * Kubernetes): atomic replacement seen by concurrent readers, writers of one job serialised, a checkpoint further
 * along kept, stale temporaries removed.
 */
public class CheckpointStoreSharingTest {

    private static final int FLOATS = 20_000;

    /** Checkpoint number {@code i} of a job: position (i / 10, i % 10), every parameter value equal to i. */
    static Checkpoint numbered(String jobId, String fingerprint, int i) {
        int epoch = i / 10;
        List<Double> history = Collections.nCopies(epoch, (double) i);
        float[] w = new float[FLOATS];
        Arrays.fill(w, i);
        float[] m = new float[FLOATS];
        Arrays.fill(m, i);
        RunState state = new RunState(epoch, i % 10, history, history, history, i, i, i, i, i, i, i, i);
        return new Checkpoint(jobId, fingerprint, Map.of("w", w), new Adam.State(i, Map.of("w", m), Map.of("w", m)),
                state);
    }

    /** Whether a loaded checkpoint is one whole written checkpoint (not a mix of two). */
    private static int wholeNumber(Checkpoint c) {
        int i = c.epoch() * 10 + c.batch();
        float[] w = c.parameters().get("w");
        assertEquals(FLOATS, w.length);
        for (float f : w) {
            assertEquals(i, f, "parameters of checkpoint " + i);
        }
        assertEquals(i, c.optimizer().step());
        assertEquals(i, c.state().epochLossSum());
        return i;
    }

    /** A separate JVM writing {@code count} numbered checkpoints of {@code jobId} (another trainer process). */
    public static void main(String[] args) {
        CheckpointStore store = new CheckpointStore(Path.of(args[0]));
        int count = Integer.parseInt(args[2]);
        for (int i = 0; i < count; i++) {
            store.save(numbered(args[1], "fp", i));
        }
    }

    private static Process writerProcess(Path dir, String jobId, int count) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CheckpointStoreSharingTest.class.getName(), dir.toString(), jobId, Integer.toString(count))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void processesSharingADirectoryNeverExposeATornCheckpointAndKeepTheFurthest(@TempDir Path dir) throws Exception {
        int count = 60;
        List<Process> processes = new ArrayList<>();
        processes.add(writerProcess(dir, "shared-job", count));
        processes.add(writerProcess(dir, "shared-job", count));
        processes.add(writerProcess(dir, "other-job", count));
        CheckpointStore store = new CheckpointStore(dir);
        AtomicBoolean done = new AtomicBoolean();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        int[] seen = {0};
        Thread reader = new Thread(() -> {
            try {
                while (!done.get()) {
                    Optional<Checkpoint> c = store.load("shared-job");
                    if (c.isPresent()) {
                        wholeNumber(c.get());
                        seen[0]++;
                    }
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        });
        reader.start();
        // and two writers of the same job in this process, through two store instances
        Thread local = new Thread(() -> {
            CheckpointStore second = new CheckpointStore(dir);
            for (int i = 0; i < count; i += 2) {
                second.save(numbered("shared-job", "fp", i));
            }
        });
        local.start();
        for (int i = 1; i < count; i += 2) {
            store.save(numbered("shared-job", "fp", i));
        }
        local.join();
        for (Process p : processes) {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "writer process finished");
            assertEquals(0, p.exitValue());
        }
        done.set(true);
        reader.join();
        assertEquals(List.of(), failures);
        assertTrue(seen[0] > 0, "the reader saw checkpoints");
        assertEquals(count - 1, wholeNumber(store.load("shared-job").orElseThrow()), "the furthest checkpoint stays");
        assertEquals(count - 1, wholeNumber(store.load("other-job").orElseThrow()));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".tmp")).toList(), "no temporary left");
        }
    }

    @Test
    void aValidCheckpointFurtherAlongOfTheSameSetupIsNotReplaced(@TempDir Path dir) throws IOException {
        CheckpointStore store = new CheckpointStore(dir);
        assertTrue(store.save(numbered("j", "fp", 15)));
        assertFalse(store.save(numbered("j", "fp", 13)), "behind the stored one");
        assertEquals(15, wholeNumber(store.load("j").orElseThrow()));
        assertTrue(store.save(numbered("j", "fp", 15)), "the same position is rewritten");
        assertTrue(store.save(numbered("j", "another setup", 3)), "another fingerprint replaces it");
        assertEquals(3, wholeNumber(store.load("j").orElseThrow()));

        // a damaged file, whatever position its header claims, never blocks a write
        store.save(numbered("j", "another setup", 40));
        byte[] bytes = Files.readAllBytes(store.fileOf("j"));
        Files.write(store.fileOf("j"), Arrays.copyOf(bytes, bytes.length - 100));
        assertTrue(store.save(numbered("j", "another setup", 2)));
        assertEquals(2, wholeNumber(store.load("j").orElseThrow()));
        assertTrue(store.delete("j"));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "checkpoint and lock file removed");
        }
    }

    @Test
    void staleTemporariesOfAJobAreRemovedFreshOnesKept(@TempDir Path dir) throws IOException {
        CheckpointStore store = new CheckpointStore(dir);
        String hash = CheckpointStore.hash("j");
        Path stale = Files.writeString(dir.resolve(hash + "123.tmp"), "half a checkpoint");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path fresh = Files.writeString(dir.resolve(hash + "456.tmp"), "being written by another trainer");
        Path otherJob = Files.writeString(dir.resolve(CheckpointStore.hash("k") + "789.tmp"), "another job's");
        Files.setLastModifiedTime(otherJob, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        store.save(numbered("j", "fp", 1));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(fresh));
        assertTrue(Files.exists(otherJob), "only the job's own temporaries are looked at");
    }
}
