package io.xscore.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.ForbiddenException;
import io.xscore.common.json.Json;
import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.protocol.ProtocolWarnings;
import io.xscore.common.protocol.Protocols;
import io.xscore.gateway.config.GatewayConfig;
import io.xscore.gateway.evaluation.EvaluationEntity;
import io.xscore.gateway.evaluation.EvaluationStatus;
import io.xscore.gateway.evaluation.EvaluationView;
import io.xscore.gateway.evaluation.JobEntity;
import io.xscore.gateway.evaluation.JobState;
import io.xscore.gateway.planner.EvaluationPlanning;
import io.xscore.gateway.planner.InvalidRequestException;
import io.xscore.gateway.planner.RequestValidator;
import io.xscore.gateway.repository.EvaluationRepository;
import io.xscore.gateway.repository.JobRepository;
import io.xscore.support.logging.LogContext;
import io.xscore.support.messaging.TransientFailures;
import io.xscore.support.tracing.TraceContexts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Accepts evaluations from REST, and assembles the evaluation view from the stored evaluation and its jobs. */
@ApplicationScoped
public class EvaluationService {

    private final EvaluationRepository evaluations;
    private final JobRepository jobs;
    private final OutboxRelay outbox;
    private final GatewayConfig config;
    private final MeterRegistry registry;
    private final Validator validator;
    private final CallerLimits limits;

    public EvaluationService(EvaluationRepository evaluations, JobRepository jobs, OutboxRelay outbox,
            GatewayConfig config, MeterRegistry registry, Validator validator, CallerLimits limits) {
        this.limits = limits;
        this.evaluations = evaluations;
        this.jobs = jobs;
        this.outbox = outbox;
        this.config = config;
        this.registry = registry;
        this.validator = validator;
    }

    /** The checks every request passes, from REST or from Kafka: schema, catalog constraints, job budget. */
    public RequestValidator validator() {
        return new RequestValidator(validator, config.maxJobsPerEvaluation());
    }

    /** Outcome of a submission: the evaluation and whether this call created it. */
    public record Submission(EvaluationView evaluation, boolean created) {
    }

    /**
     * Validates, stores and publishes an evaluation request. A client-chosen {@code evaluationId} makes the call
     * idempotent: the same request again returns the stored evaluation; a different request under that id is a
     * conflict. Nothing is stored for an invalid request.
     *
     * <p>Acknowledged means durable: the evaluation is stored in MongoDB first, as the outbox of its request record,
     * and only then answered 202. The request is published at once if the broker acknowledges it within
     * {@code xscore.gateway.publish-timeout}; otherwise {@link OutboxRelay} publishes it when the broker is back, and
     * the planner plans an evaluation once however often its request arrives. A 503 is answered only when the
     * evaluation could not be stored, and then nothing of it runs later.
     */
    public Submission submit(JsonNode body, Caller caller) {
        EvaluationRequest parsed;
        try {
            parsed = validator().validate(body);
        } catch (InvalidRequestException e) {
            registry.counter("xscore_evaluations_rejected_total", "source", "rest").increment();
            throw e;
        }
        Instant now = Instant.now();
        String id = parsed.evaluationId() != null ? parsed.evaluationId() : UUID.randomUUID().toString();
        // Who submitted it comes from the verified token; a requestedBy in the body is not trusted (and not kept).
        EvaluationRequest request = new EvaluationRequest(EvaluationRequest.SCHEMA_VERSION, id, parsed.models(),
                parsed.datasets(), parsed.seeds(), parsed.protocol(), parsed.overrides(), caller.name(), now,
                parsed.robustness());
        try (LogContext log = LogContext.evaluation(id)) { // what storing and publishing log names the evaluation
            return store(request, caller, parsed.evaluationId() != null, now);
        }
    }

    private Submission store(EvaluationRequest request, Caller caller, boolean clientChosenId, Instant now) {
        String id = request.evaluationId();
        EvaluationEntity entity = EvaluationEntity.of(request, EvaluationPlanning.protocolOf(request), "rest", now);
        entity.requestPending = true;
        entity.traceparent = TraceContexts.currentTraceparent();
        if (clientChosenId) {
            Optional<EvaluationEntity> existing = stored(() -> evaluations.findByIdOptional(id));
            if (existing.isPresent()) {
                return resubmitted(existing.get(), entity);
            }
        }
        limits.check(caller, request, this::view);
        boolean inserted = stored(() -> evaluations.insertIfAbsent(entity));
        if (!inserted) {
            return resubmitted(stored(() -> evaluations.findById(id)), entity);
        }
        registry.counter("xscore_evaluations_submitted_total", "source", "rest").increment();
        if (outbox.publishRequest(entity, config.publishTimeout())) {
            entity.requestPending = null;
        }
        return new Submission(view(entity), true);
    }

    /** The same request sent again under its evaluationId by its submitter: the stored evaluation; else a conflict. */
    private Submission resubmitted(EvaluationEntity existing, EvaluationEntity again) {
        if (!java.util.Objects.equals(existing.requestedBy, again.requestedBy)) {
            throw new EvaluationConflictException(existing.id, "evaluation '" + existing.id
                    + "' already exists and was submitted by another caller");
        }
        if (!existing.sameRequestAs(again)) {
            throw new EvaluationConflictException(existing.id);
        }
        return new Submission(view(existing), false);
    }

    /**
     * Cancels an evaluation: marks it cancelled (durably, with the jobs to stop) and publishes the cancellation for
     * the trainers, which stop its running jobs at the next batch and fail its queued ones; a cancellation the broker
     * did not take in time is published by {@link OutboxRelay}. Cancelling twice is harmless; a finished evaluation
     * cannot be cancelled. Jobs are shared by job id: a job this evaluation queued that another live evaluation also
     * awaits is left running (the cancellation lists only the jobs to stop), so cancelling one evaluation never fails
     * another. Cancelled before it was planned, the cancellation lists no jobs: every job it queues is stopped.
     */
    public Optional<EvaluationView> cancel(String id, String reason, Caller caller) {
        try (LogContext log = LogContext.evaluation(id)) {
            return cancelEvaluation(id, reason, caller);
        }
    }

    private Optional<EvaluationView> cancelEvaluation(String id, String reason, Caller caller) {
        Optional<EvaluationEntity> found = stored(() -> evaluations.findByIdOptional(id));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (!caller.owns(found.get().requestedBy)) {
            throw new ForbiddenException("evaluation '" + id + "' was submitted by another caller: only its "
                    + "submitter or an admin may cancel it");
        }
        EvaluationView current = view(found.get());
        if (found.get().cancelledAt != null) {
            return Optional.of(current);
        }
        if (current.status().finished()) {
            throw new EvaluationFinishedException(id, current.status());
        }
        Instant now = Instant.now();
        List<String> stop = null;
        if (found.get().jobs != null) {
            List<String> planned = found.get().jobs.stream().map(j -> j.jobId).toList();
            Set<String> shared = stored(() -> evaluations.awaitedElsewhere(id, planned));
            stop = planned.stream().filter(j -> !shared.contains(j)).toList();
        }
        List<String> jobIds = stop;
        if (stored(() -> evaluations.markCancelled(id, reason, now, jobIds))) {
            registry.counter("xscore_evaluations_cancelled_total").increment();
            outbox.publishCancellation(stored(() -> evaluations.findById(id)), config.publishTimeout());
        }
        return find(id);
    }

    /**
     * Runs a database call of a request; MongoDB unreachable becomes a 503 that names no address (and the caller
     * knows nothing was stored).
     */
    private static <T> T stored(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            if (TransientFailures.isTransient(e)) {
                throw new StoreUnavailableException(e);
            }
            throw e;
        }
    }

    /**
     * Job {@code jobId} of evaluation {@code id} as the planner published it (model, dataset, seed, resolved protocol,
     * identity, suites): what a trainer needs to find and check the job's stored weights. Empty when the evaluation
     * or the job within it is unknown.
     */
    public Optional<TrainingJob> plannedJob(String id, String jobId) {
        return stored(() -> evaluations.findByIdOptional(id)).flatMap(e -> e.jobs == null ? Optional.empty()
                : e.jobs.stream().filter(j -> j.jobId.equals(jobId)).findFirst().map(j -> new TrainingJob(
                        TrainingJob.SCHEMA_VERSION, e.id, j.jobId, j.model, j.dataset, j.seed,
                        Protocols.resolve(e.protocol, e.overrides), e.plannedAt,
                        j.identity == null ? null : j.identity.toRecord(), null, e.robustnessSpec())));
    }

    public Optional<EvaluationView> find(String id) {
        return stored(() -> evaluations.findByIdOptional(id).map(this::view));
    }

    public List<EvaluationView> recent(int limit) {
        return stored(() -> evaluations.recent(limit).stream().map(this::view).toList());
    }

    EvaluationView view(EvaluationEntity e) {
        List<EvaluationEntity.PlannedJob> planned = e.jobs == null ? List.of() : e.jobs;
        Map<String, JobEntity> byId = jobs.findByIds(planned.stream().map(j -> j.jobId).toList()).stream()
                .collect(Collectors.toMap(j -> j.id, Function.identity()));
        List<EvaluationView.JobView> views = planned.stream().map(p ->
                EvaluationView.JobView.of(p.jobId, p.model, p.dataset, p.seed, p.reused, byId.get(p.jobId))
                        .withIdentity(p.identity == null ? null : p.identity.toRecord())).toList();
        ScoreSet scores = readScores(e);
        List<JobState> states = views.stream().map(EvaluationView.JobView::state).toList();
        EvaluationStatus status = EvaluationStatus.derive(e.plannedAt != null, states,
                scores != null && scores.complete(), e.cancelledAt != null);
        EvaluationView.Summary summary = new EvaluationView.Summary(views.size(), count(states, JobState.QUEUED),
                count(states, JobState.RUNNING), count(states, JobState.SUCCEEDED), count(states, JobState.FAILED),
                (int) views.stream().filter(EvaluationView.JobView::reused).count());
        return new EvaluationView(e.id, status, e.protocol, e.paperProtocol, e.models, e.datasets, e.seeds,
                e.overrides, e.source, e.requestedBy, e.createdAt, e.plannedAt, summary, views, scores, e.cancelledAt, e.cancelReason,
                warnings(e), e.plannedAt != null || e.waitingForDatasets == null ? null
                        : new EvaluationView.Waiting(e.waitingForDatasets, e.waitingReason, e.waitingSince),
                e.robustnessSpec());
    }

    /** The resolved protocol's warnings, or null when there are none (or the protocol is no longer known). */
    private static List<String> warnings(EvaluationEntity e) {
        try {
            List<String> w = ProtocolWarnings.of(Protocols.resolve(e.protocol, e.overrides));
            return w.isEmpty() ? null : w;
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private static ScoreSet readScores(EvaluationEntity e) {
        if (e.scores == null) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(e.scores.toJson(), ScoreSet.class);
        } catch (Exception ex) {
            throw new IllegalStateException("stored scores of " + e.id + " are unreadable", ex);
        }
    }

    private static int count(List<JobState> states, JobState state) {
        return (int) states.stream().filter(s -> s == state).count();
    }
}
