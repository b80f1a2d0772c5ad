package io.xscore.common.result;

import io.xscore.common.hash.Sha256;
import io.xscore.common.messaging.TrainingResult;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Which training result stands for a job when more than one arrives: the one rule every view of a job (the gateway's
 * job state, the scoring service's results) applies, so that they agree whatever arrives, and in the same order, since
 * results are keyed by job id and every consumer reads them in partition order.
 *
 * <ul>
 *   <li>The first result of a job is stored.</li>
 *   <li>A success is final. The same success again (a redelivery, or the result republished by a trainer that
 *       found its own earlier result) is a duplicate; a success with a different outcome is a <em>conflict</em>:
 *       refused, counted and logged, never shown. A failure after a success is stale and ignored.</li>
 *   <li>A failure can be replaced: by a success (the job was queued again and succeeded) or by a later failure (the
 *       retry failed too, with its own reason). An earlier or identical failure is ignored.</li>
 * </ul>
 *
 * The outcome compared is the science of the result (status, accuracies, final loss, parameter count, the job's
 * model, dataset, seed and protocol; for a failure, its reason), not its provenance (wall time, trainer, finish time).
 */
public final class ResultPrecedence {

    private ResultPrecedence() {
    }

    /** What a view does with an incoming result. */
    public enum Decision {
        /** No result for the job yet: store it. */
        STORE,
        /** It replaces the stored failure. */
        REPLACE,
        /** The stored result already says the same: nothing to do. */
        DUPLICATE,
        /** A different success for a job that already succeeded: refused and counted. */
        CONFLICT,
        /** A failure after a success, or a failure older than the stored one: ignored. */
        STALE;

        public boolean writes() {
            return this == STORE || this == REPLACE;
        }
    }

    /** What a view keeps of the result that stands: enough to decide about the next one. */
    public record Standing(TrainingResult.Status status, String outcome, Instant finishedAt) {

        public static Standing of(TrainingResult result) {
            return new Standing(result.status(), ResultPrecedence.outcome(result), result.finishedAt());
        }
    }

    public static Decision decide(Standing standing, TrainingResult incoming) {
        if (standing == null || standing.status() == null) {
            return Decision.STORE;
        }
        String outcome = outcome(incoming);
        boolean same = outcome.equals(standing.outcome());
        if (standing.status() == TrainingResult.Status.SUCCEEDED) {
            if (incoming.status() == TrainingResult.Status.FAILED) {
                return Decision.STALE;
            }
            return same ? Decision.DUPLICATE : Decision.CONFLICT;
        }
        if (incoming.status() == TrainingResult.Status.SUCCEEDED) {
            return Decision.REPLACE;
        }
        Instant stood = millis(standing.finishedAt());
        Instant arrived = millis(incoming.finishedAt());
        if (same && Objects.equals(stood, arrived)) {
            return Decision.DUPLICATE;
        }
        return stood == null || arrived == null || arrived.isAfter(stood) ? Decision.REPLACE : Decision.STALE;
    }

    /** Times are compared as MongoDB stores them: to the millisecond. */
    private static Instant millis(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
    }

    /** SHA-256 of the result's outcome (see the class comment), the same for a redelivered or republished result. */
    public static String outcome(TrainingResult r) {
        StringBuilder s = new StringBuilder()
                .append(r.jobId()).append('|').append(r.model()).append('|').append(r.dataset()).append('|')
                .append(r.seed()).append('|').append(r.protocol()).append('|').append(r.paperProtocol()).append('|')
                .append(r.status()).append('|');
        if (r.status() == TrainingResult.Status.SUCCEEDED) {
            s.append(bits(r.testAccuracy())).append('|');
            if (r.epochTestAccuracies() != null) {
                r.epochTestAccuracies().forEach(a -> s.append(bits(a)).append(','));
            }
            s.append('|').append(bits(r.finalTrainLoss())).append('|').append(r.parameterCount());
        } else {
            s.append(r.failureReason());
        }
        return Sha256.hex(s.toString());
    }

    private static String bits(Double d) {
        return d == null ? "null" : Long.toHexString(Double.doubleToLongBits(d));
    }
}
