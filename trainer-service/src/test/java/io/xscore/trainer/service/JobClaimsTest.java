package io.xscore.trainer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job claims between real processes: a claim is exclusive while its process lives and free once it is killed. */
class JobClaimsTest {

    private static final String JOB = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void aClaimHeldByAnotherProcessNamesItsHolderAndIsFreeOnceThatProcessIsKilled() throws Exception {
        JobClaims claims = new JobClaims(dir);
        Process other = ClaimHoldingProcess.start(dir, JOB, "trainer-2", "xscore.training-jobs", 0, 41);
        try {
            JobClaims.Attempt attempt = claims.tryClaim(JOB, holder("trainer-1", 57));
            JobClaims.Attempt.HeldElsewhere held = assertInstanceOf(JobClaims.Attempt.HeldElsewhere.class, attempt);
            JobClaims.Holder holder = held.holder().orElseThrow();
            assertEquals("trainer-2", holder.trainer());
            assertTrue(holder.sameRecord("xscore.training-jobs", 0, 41));
            assertFalse(holder.sameRecord("xscore.training-jobs", 0, 57), "another record of the job: a copy");
            // another job is not affected
            try (JobClaims.Claim c = claimed(claims.tryClaim("ffffffffffffffffffffffffffffffff", holder("t", 1)))) {
                assertTrue(c != null);
            }
        } finally {
            other.destroyForcibly(); // SIGKILL: no chance to release anything itself
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
        }
        try (JobClaims.Claim mine = claimed(claims.tryClaim(JOB, holder("trainer-1", 57)))) {
            assertEquals("trainer-1", claims.holder(JOB).orElseThrow().trainer(), "the file now names the new holder");
            assertInstanceOf(JobClaims.Attempt.HeldElsewhere.class, claims.tryClaim(JOB, holder("trainer-3", 58)),
                    "a second claim in this process is refused too");
        }
        try (JobClaims.Claim again = claimed(claims.tryClaim(JOB, holder("trainer-3", 58)))) {
            assertEquals(58, claims.holder(JOB).orElseThrow().offset(), "released by close()");
        }
    }

    @Test
    void pruningRemovesOnlyOldFilesNobodyHolds() throws Exception {
        JobClaims claims = new JobClaims(dir);
        String held = "11111111111111111111111111111111";
        String free = "22222222222222222222222222222222";
        String recent = "33333333333333333333333333333333";
        claimed(claims.tryClaim(free, holder("t", 1))).close();
        claimed(claims.tryClaim(recent, holder("t", 2))).close();
        Process other = ClaimHoldingProcess.start(dir, held, "trainer-2", "xscore.training-jobs", 0, 3);
        try {
            FileTime old = FileTime.from(Instant.now().minus(Duration.ofDays(40)));
            Files.setLastModifiedTime(claims.fileOf(held), old);
            Files.setLastModifiedTime(claims.fileOf(free), old);
            assertEquals(1, claims.prune(Duration.ofDays(30)));
            assertTrue(Files.exists(claims.fileOf(held)), "held: kept");
            assertFalse(Files.exists(claims.fileOf(free)), "old and free: pruned");
            assertTrue(Files.exists(claims.fileOf(recent)), "recent: kept");
        } finally {
            other.destroyForcibly();
            other.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void holderDescriptionsSurviveTrainerNamesWithSpacesAndTopicsWithDashes() {
        JobClaims.Holder h = new JobClaims.Holder("trainer 1 (pod a)", "xscore.training-jobs", 12, 3456,
                Instant.parse("2026-12-07T03:00:00Z"));
        JobClaims.Holder parsed = JobClaims.Holder.parse(h.line()).orElseThrow();
        assertEquals("trainer_1_(pod_a)", parsed.trainer());
        assertTrue(parsed.sameRecord("xscore.training-jobs", 12, 3456));
        assertEquals(h.since(), parsed.since());
        assertTrue(JobClaims.Holder.parse("").isEmpty(), "a description being written reads as unknown");
    }

    private static JobClaims.Holder holder(String trainer, long offset) {
        return new JobClaims.Holder(trainer, "xscore.training-jobs", 0, offset, Instant.now());
    }

    private static JobClaims.Claim claimed(JobClaims.Attempt attempt) {
        return assertInstanceOf(JobClaims.Attempt.Claimed.class, attempt).claim();
    }
}
