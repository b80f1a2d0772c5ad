package io.xscore.trainer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.messaging.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultLedgerTest {

    static final String JOB = "00112233445566778899aabbccddeeff";

    static TrainingResult result(TrainingResult.Status status) {
        boolean ok = status == TrainingResult.Status.SUCCEEDED;
        return new TrainingResult(1, "e", JOB, "convmixer-16-1", "synthetic-shapes", 0, "quick", false, status,
                ok ? 55.0 : null, ok ? List.of(55.0) : null, ok ? 1.0 : null, ok ? 10L : null, 2.0, null, null, null,
                null, "t", ok ? null : "boom", io.xscore.common.protocol.Protocols.get("quick"), Instant.parse("2026-12-06T10:00:00.123456Z"));
    }

    @Test
    void keepsSuccessesOnlyAndReadsThemBackExactly(@TempDir Path dir) {
        ResultLedger ledger = new ResultLedger(dir);
        ledger.record(result(TrainingResult.Status.FAILED));
        assertTrue(ledger.find(JOB).isEmpty(), "a failed job may be queued again and must then train");
        ledger.record(result(TrainingResult.Status.SUCCEEDED));
        assertEquals(result(TrainingResult.Status.SUCCEEDED), ledger.find(JOB).orElseThrow());
        try (var files = Files.list(dir.resolve("results"))) {
            assertEquals(List.of(ledger.fileOf(JOB)), files.toList(), "no temporary file left behind");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anUnreadableEntryMeansTrainAndOldEntriesArePruned(@TempDir Path dir) throws Exception {
        ResultLedger ledger = new ResultLedger(dir);
        ledger.record(result(TrainingResult.Status.SUCCEEDED));
        Files.writeString(ledger.fileOf(JOB), "{\"truncated\":");
        assertTrue(ledger.find(JOB).isEmpty());
        ledger.record(result(TrainingResult.Status.SUCCEEDED));
        assertEquals(0, ledger.prune(Duration.ofDays(1)));
        Files.setLastModifiedTime(ledger.fileOf(JOB), FileTime.from(Instant.now().minus(Duration.ofDays(3))));
        assertEquals(1, ledger.prune(Duration.ofDays(1)));
        assertFalse(Files.exists(ledger.fileOf(JOB)));
    }
}
