package io.xscore.gateway.evaluation;

import java.util.Collection;

/** An evaluation's status, derived on read from its jobs and scores (never stored, so it cannot go stale). */
public enum EvaluationStatus {
    /** Stored and published; the planner has not fanned it out yet. */
    ACCEPTED,
    /** At least one job is queued or training. */
    RUNNING,
    /** Every job ended and succeeded; waiting for the final score set. */
    SCORING,
    /** Every job succeeded and the complete score set arrived. */
    SUCCEEDED,
    /** Every job ended, some failed; the others are scored. */
    COMPLETED_WITH_FAILURES,
    /** Every job failed. */
    FAILED,
    /** Cancelled; trainers stop its running jobs at their next batch. */
    CANCELLING,
    /** Cancelled, and none of its jobs runs any more. */
    CANCELLED;

    /** No more changes are expected (except a late score set after COMPLETED_WITH_FAILURES). */
    public boolean finished() {
        return this == SUCCEEDED || this == COMPLETED_WITH_FAILURES || this == FAILED || this == CANCELLED;
    }

    public static EvaluationStatus derive(boolean planned, Collection<JobState> jobStates, boolean scoresComplete,
            boolean cancelled) {
        if (cancelled) {
            return jobStates.stream().anyMatch(s -> s == null || !s.terminal()) ? CANCELLING : CANCELLED;
        }
        if (!planned || jobStates.isEmpty()) {
            return ACCEPTED;
        }
        if (jobStates.stream().anyMatch(s -> s == null || !s.terminal())) {
            return RUNNING;
        }
        long failed = jobStates.stream().filter(s -> s == JobState.FAILED).count();
        if (failed == jobStates.size()) {
            return FAILED;
        }
        if (failed > 0) {
            return COMPLETED_WITH_FAILURES;
        }
        return scoresComplete ? SUCCEEDED : SCORING;
    }
}
