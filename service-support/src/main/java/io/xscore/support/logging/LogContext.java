package io.xscore.support.logging;

import java.util.ArrayDeque;
import java.util.Deque;
import org.jboss.logging.MDC;

/**
 * The evaluation and job a piece of work concerns, in the logging MDC while it runs (issue 14): every line logged
 * meanwhile carries them, as {@code mdc.evaluationId} / {@code mdc.jobId} in the JSON logs and in the text format.
 * Open it where the work for one evaluation or job starts, on the thread that does it, and close it when that work
 * ends (try-with-resources): the MDC is per thread (per Vert.x context on an event loop or a {@code @Blocking}
 * worker), so a pooled thread must not keep the ids for the next record. Closing restores what the keys held before,
 * so contexts nest (a job inside its evaluation, a planner inside a consumer that already set the evaluation).
 *
 * <p>The trace id is not set here: Quarkus OpenTelemetry puts {@code traceId} and {@code spanId} in the MDC whenever
 * a span is made current. Through jboss-logging's MDC, the one the services log with, whichever log manager runs it.
 */
public final class LogContext implements AutoCloseable {

    /** MDC key of the evaluation id; part of the JSON log format (README, "Logs"): do not rename. */
    public static final String EVALUATION_ID = "evaluationId";
    /** MDC key of the training job id; part of the JSON log format: do not rename. */
    public static final String JOB_ID = "jobId";

    /** What each key held before this context set it, last set first. */
    private final Deque<Previous> previous = new ArrayDeque<>();
    private boolean closed;

    private record Previous(String key, Object value) {
    }

    private LogContext() {
    }

    /** A context with the evaluation id (none if {@code evaluationId} is null). */
    public static LogContext evaluation(String evaluationId) {
        return new LogContext().evaluationId(evaluationId);
    }

    /** A context with the job id (none if {@code jobId} is null). */
    public static LogContext job(String jobId) {
        return new LogContext().jobId(jobId);
    }

    /** A context with both ids; either may be null (then that key is left as it is). */
    public static LogContext of(String evaluationId, String jobId) {
        return new LogContext().evaluationId(evaluationId).jobId(jobId);
    }

    /** Adds the evaluation id to this context. */
    public LogContext evaluationId(String evaluationId) {
        return put(EVALUATION_ID, evaluationId);
    }

    /** Adds the job id to this context. */
    public LogContext jobId(String jobId) {
        return put(JOB_ID, jobId);
    }

    private LogContext put(String key, String value) {
        if (value != null && !closed) {
            previous.push(new Previous(key, MDC.put(key, value)));
        }
        return this;
    }

    /** Restores the keys this context set to what they held before (removed if they held nothing). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!previous.isEmpty()) {
            Previous p = previous.pop();
            if (p.value() == null) {
                MDC.remove(p.key());
            } else {
                MDC.put(p.key(), p.value());
            }
        }
    }
}
