package io.xscore.gateway.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.gateway.config.GatewayConfig;
import io.xscore.gateway.evaluation.EvaluationEntity;
import io.xscore.gateway.evaluation.EvaluationView;
import io.xscore.gateway.repository.EvaluationRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * The per-caller limit on work in flight: a caller with {@code evaluations-in-flight-per-caller} unfinished evaluations,
 * or whose unfinished evaluations' queued and running jobs plus the new grid would pass
 * {@code jobs-in-flight-per-caller}, is refused with 429 until some finish. A soft limit: two submissions of one caller
 * at the same instant may both pass the check (each is counted by the other's next one). Resubmitting an evaluation
 * already accepted (same {@code evaluationId}) is not counted: it answers the stored evaluation. Admins are not
 * limited: the limit keeps one submitter from filling the trainer pool, and an admin can cancel anyone's work anyway
 * (operators' load tests, {@code ./xscore bench load}, run as admins).
 */
@ApplicationScoped
public class CallerLimits {

    private final EvaluationRepository evaluations;
    private final GatewayConfig.Limits limits;
    private final MeterRegistry registry;

    public CallerLimits(EvaluationRepository evaluations, GatewayConfig config, MeterRegistry registry) {
        this.evaluations = evaluations;
        this.limits = config.limits();
        this.registry = registry;
    }

    /**
     * Refuses (429) a request of {@code caller} that would pass a limit; {@code view} derives an evaluation's status
     * and job counts the way GET shows them.
     */
    public void check(Caller caller, EvaluationRequest request, Function<EvaluationEntity, EvaluationView> view) {
        int maxEvaluations = limits.evaluationsInFlightPerCaller();
        int maxJobs = limits.jobsInFlightPerCaller();
        if (caller.admin() || maxEvaluations <= 0 && maxJobs <= 0) {
            return;
        }
        long newJobs = (long) request.models().size() * request.datasets().size() * request.seeds().size();
        int evaluationsInFlight = 0;
        long jobsInFlight = 0;
        for (EvaluationEntity e : evaluations.possiblyInFlight(caller.name(), limits.scan())) {
            EvaluationView v = view.apply(e);
            if (v.status().finished()) {
                continue;
            }
            evaluationsInFlight++;
            jobsInFlight += e.plannedAt == null ? grid(e) : v.summary().queued() + v.summary().running();
        }
        if (maxEvaluations > 0 && evaluationsInFlight >= maxEvaluations) {
            refuse(caller, "evaluations", caller.name() + " has " + evaluationsInFlight
                    + " evaluations in flight; the limit is " + maxEvaluations
                    + ": wait until one finishes, or cancel one");
        }
        if (maxJobs > 0 && jobsInFlight + newJobs > maxJobs) {
            refuse(caller, "jobs", caller.name() + " has " + jobsInFlight + " jobs queued or running and this request "
                    + "adds up to " + newJobs + "; the limit is " + maxJobs + " jobs in flight per caller");
        }
    }

    private void refuse(Caller caller, String limit, String detail) {
        // its own name: Prometheus wants one set of tag keys per metric, and rejected_total has {source} only
        registry.counter("xscore_evaluations_limited_total", "limit", limit).increment();
        throw new TooManyInFlightException(detail);
    }

    /** An evaluation not yet planned counts its whole grid (its jobs are not known yet). */
    private static long grid(EvaluationEntity e) {
        return (long) size(e.models) * size(e.datasets) * size(e.seeds);
    }

    private static int size(java.util.List<?> list) {
        return list == null ? 0 : list.size();
    }
}
