package io.xscore.gateway.planner;

import static io.xscore.gateway.evaluation.JobState.FAILED;
import static io.xscore.gateway.evaluation.JobState.QUEUED;
import static io.xscore.gateway.evaluation.JobState.RUNNING;
import static io.xscore.gateway.evaluation.JobState.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xscore.gateway.evaluation.EvaluationStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationStatusTest {

    @Test
    void derivesFromJobsAndScores() {
        assertEquals(EvaluationStatus.ACCEPTED, EvaluationStatus.derive(false, List.of(), false, false));
        assertEquals(EvaluationStatus.RUNNING, EvaluationStatus.derive(true, List.of(SUCCEEDED, QUEUED), false, false));
        assertEquals(EvaluationStatus.RUNNING, EvaluationStatus.derive(true, List.of(FAILED, RUNNING), false, false));
        assertEquals(EvaluationStatus.SCORING, EvaluationStatus.derive(true, List.of(SUCCEEDED, SUCCEEDED), false, false));
        assertEquals(EvaluationStatus.SUCCEEDED, EvaluationStatus.derive(true, List.of(SUCCEEDED, SUCCEEDED), true, false));
        assertEquals(EvaluationStatus.COMPLETED_WITH_FAILURES,
                EvaluationStatus.derive(true, List.of(SUCCEEDED, FAILED), false, false));
        assertEquals(EvaluationStatus.FAILED, EvaluationStatus.derive(true, List.of(FAILED, FAILED), false, false));
        assertEquals(EvaluationStatus.CANCELLING, EvaluationStatus.derive(true, List.of(SUCCEEDED, RUNNING), false, true));
        assertEquals(EvaluationStatus.CANCELLED, EvaluationStatus.derive(true, List.of(SUCCEEDED, FAILED), false, true));
        assertEquals(EvaluationStatus.CANCELLED, EvaluationStatus.derive(false, List.of(), false, true));
    }
}
