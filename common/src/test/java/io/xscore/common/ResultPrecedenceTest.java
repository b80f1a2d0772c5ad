package io.xscore.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.result.ResultPrecedence;
import io.xscore.common.result.ResultPrecedence.Decision;
import io.xscore.common.result.ResultPrecedence.Standing;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultPrecedenceTest {

    static final String JOB = "0123456789abcdef0123456789abcdef";
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    static TrainingResult success(double accuracy, Instant at, double wallSeconds, String trainer) {
        return new TrainingResult(1, "e1", JOB, "convmixer-32-2", "fashion-mnist", 0, "quick", false,
                TrainingResult.Status.SUCCEEDED, accuracy, List.of(50.0, accuracy), 0.7, 1234L, wallSeconds, 100.0,
                2000, 1000, 32, trainer, null, null, at);
    }

    static TrainingResult failure(String reason, Instant at) {
        return new TrainingResult(1, "e1", JOB, "convmixer-32-2", "fashion-mnist", 0, "quick", false,
                TrainingResult.Status.FAILED, null, null, null, null, 3.0, null, null, null, null, "t", reason, null,
                at);
    }

    @Test
    void firstResultIsStored() {
        assertEquals(Decision.STORE, ResultPrecedence.decide(null, success(70, T0, 10, "a")));
        assertEquals(Decision.STORE, ResultPrecedence.decide(null, failure("boom", T0)));
    }

    @Test
    void successIsFinalAndADifferentSuccessIsAConflict() {
        Standing ok = Standing.of(success(70, T0, 10, "a"));
        // the same science from another trainer, later, slower: a republished or re-run result, not a conflict
        assertEquals(Decision.DUPLICATE, ResultPrecedence.decide(ok, success(70, T0.plusSeconds(60), 12, "b")));
        assertEquals(Decision.CONFLICT, ResultPrecedence.decide(ok, success(70.5, T0, 10, "a")));
        assertEquals(Decision.STALE, ResultPrecedence.decide(ok, failure("late", T0.plusSeconds(5))));
    }

    @Test
    void aFailureIsReplacedBySuccessOrByALaterFailure() {
        Standing failed = Standing.of(failure("boom", T0));
        assertEquals(Decision.REPLACE, ResultPrecedence.decide(failed, success(70, T0.minusSeconds(5), 10, "a")));
        assertEquals(Decision.REPLACE, ResultPrecedence.decide(failed, failure("again", T0.plusSeconds(1))));
        assertEquals(Decision.DUPLICATE, ResultPrecedence.decide(failed, failure("boom", T0)));
        assertEquals(Decision.STALE, ResultPrecedence.decide(failed, failure("older", T0.minusSeconds(1))));
    }

    @Test
    void outcomeIgnoresProvenanceButNotScience() {
        assertEquals(ResultPrecedence.outcome(success(70, T0, 10, "a")),
                ResultPrecedence.outcome(success(70, T0.plusSeconds(9), 99, "b")));
        assertNotEquals(ResultPrecedence.outcome(success(70, T0, 10, "a")),
                ResultPrecedence.outcome(success(Math.nextUp(70.0), T0, 10, "a")));
    }
}
