package io.xscore.gateway.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.xscore.common.messaging.CostEstimate;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.common.messaging.JobIdentity;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.gateway.evaluation.EvaluationEntity;
import io.xscore.gateway.evaluation.JobEntity;
import io.xscore.gateway.evaluation.JobState;
import io.xscore.gateway.planner.EvaluationPlanning;
import io.xscore.gateway.planner.JobCosts;
import io.xscore.gateway.repository.EvaluationRepository;
import io.xscore.gateway.repository.JobRepository;
import io.xscore.support.logging.LogContext;
import io.xscore.support.messaging.InFlightSends;
import io.xscore.support.tracing.TraceContexts;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Turns a validated evaluation request into queued training jobs. Jobs whose id already succeeded are reused (no
 * retraining), jobs queued or running for another evaluation are shared, failed ones are queued again.
 *
 * <p>Exactly once in effect: an evaluation is planned once. A request whose evaluation is already planned (the same
 * record redelivered, or published twice by the outbox) changes nothing. A planning interrupted half-way (a crash, the
 * broker or the database gone) is completed by the redelivered request: it claims the same jobs again and publishes
 * those this evaluation queued, and the evaluation counts as planned only after every job and the plan were
 * acknowledged by the broker. A job record published twice is trained once: trainers check for a result first.
 *
 * <p>Longest first: trainers of the share group take the next job whenever they are idle, so the planner publishes an
 * evaluation's new jobs in descending estimated cost ({@link JobCosts}, docs/scheduling.md) and stores the estimate
 * on the job and on its record. The plan lists the jobs in the request's order.
 */
@ApplicationScoped
public class EvaluationPlanner {

    private static final Logger LOG = Logger.getLogger(EvaluationPlanner.class);

    private final EvaluationRepository evaluations;
    private final JobRepository jobs;
    private final RecordPublisher publisher;
    private final MeterRegistry registry;
    private final JobCosts costs;
    /** The datasets' content digests for job identities. */
    private final DatasetDigests datasetDigests;
    /** A planning redone after the broker timed out waits for its records still in flight, never adds copies. */
    private final InFlightSends jobSends = new InFlightSends();
    private final Tracer tracer;

    public EvaluationPlanner(EvaluationRepository evaluations, JobRepository jobs, RecordPublisher publisher,
            MeterRegistry registry, JobCosts costs, DatasetDigests datasetDigests, Tracer tracer) {
        this.tracer = tracer;
        this.evaluations = evaluations;
        this.jobs = jobs;
        this.publisher = publisher;
        this.registry = registry;
        this.costs = costs;
        this.datasetDigests = datasetDigests;
    }

    /** Stores the evaluation (if new), claims its jobs, publishes new jobs and the plan; blocks until Kafka acks. */
    public void plan(EvaluationRequest request) throws Exception {
        // Here, not only in the consumer: DatasetWaits re-plans on a scheduler thread.
        try (LogContext log = LogContext.evaluation(request.evaluationId())) {
            planTraced(request);
        }
    }

    private void planTraced(EvaluationRequest request) throws Exception {
        EvaluationEntity stored = evaluations.findById(request.evaluationId());
        // One trace per evaluation: the span continues the request record's context (the consumer's span, child of
        // the REST POST); re-planned by DatasetWaits on a scheduler, it continues the context stored at submission.
        Context parent = Span.current().getSpanContext().isValid() || stored == null ? Context.current()
                : TraceContexts.fromTraceparent(stored.traceparent);
        Span span = tracer.spanBuilder("plan " + request.evaluationId()).setParent(parent)
                .setAttribute("xscore.evaluation.id", request.evaluationId())
                .setAttribute("xscore.models", String.join(",", request.models()))
                .setAttribute("xscore.datasets", String.join(",", request.datasets())).startSpan();
        TraceContexts.within(span, () -> {
            plan(request, stored);
            return null;
        });
    }

    private void plan(EvaluationRequest request, EvaluationEntity stored) throws Exception {
        Instant now = Instant.now();
        ProtocolSpec protocol = EvaluationPlanning.protocolOf(request);
        if (stored != null && stored.plannedAt != null) {
            registry.counter("xscore.planner.requests.already.planned").increment();
            LOG.debugf("evaluation %s is planned already; request ignored", request.evaluationId());
            return;
        }
        if (stored == null && evaluations.insertIfAbsent(EvaluationEntity.of(request, protocol, "kafka", now))) {
            registry.counter("xscore_evaluations_submitted_total", "source", "kafka").increment();
        }
        // Job ids need each dataset's content digest: without it, wait (DatasetWaits re-plans), never guess or block.
        DatasetDigests.Resolution datasets = datasetDigests.resolve(request.datasets());
        if (!datasets.complete()) {
            evaluations.markWaitingForDatasets(request.evaluationId(), datasets.waiting(), datasets.reason(), now);
            registry.counter("xscore_planner_dataset_waits_total").increment();
            LOG.infof("evaluation %s waits for datasets %s: %s", request.evaluationId(), datasets.waiting(),
                    datasets.reason());
            return;
        }

        List<EvaluationPlan.PlannedJob> planned = new ArrayList<>();
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        List<EvaluationPlanning.JobSpec> specs = EvaluationPlanning.jobs(request, datasets.digests());
        Map<EvaluationPlanning.JobSpec, CostEstimate> estimates = costs.estimates(specs, protocol);
        for (EvaluationPlanning.JobSpec spec : JobCosts.longestFirst(estimates)) {
            JobEntity before = jobs.claim(spec.jobId(), spec.model(), spec.dataset(), spec.seed(), protocol.name(),
                    request.evaluationId(), now);
            boolean publish = before == null || before.state == JobState.FAILED
                    || (before.state == JobState.QUEUED && request.evaluationId().equals(before.queuedBy));
            boolean reused = before != null && before.state == JobState.SUCCEEDED;
            if (publish) {
                CostEstimate estimate = estimates.get(spec);
                jobs.queued(spec.jobId(), estimate, costs.referenceDevice(),
                        before != null && before.state == JobState.FAILED);
                TrainingJob job = new TrainingJob(TrainingJob.SCHEMA_VERSION, request.evaluationId(), spec.jobId(),
                        spec.model(), spec.dataset(), spec.seed(), protocol, now, spec.identity(), estimate,
                        request.robustness());
                sends.add(jobSends.sendOnce(job.jobId(), () -> publisher.publish(job)));
                registry.counter("xscore_jobs_published_total", "protocol", protocol.name()).increment();
            } else if (reused) {
                registry.counter("xscore_jobs_reused_total", "protocol", protocol.name()).increment();
            }
            planned.add(new EvaluationPlan.PlannedJob(spec.jobId(), spec.model(), spec.dataset(), spec.seed(), reused));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        Map<String, Integer> requestOrder = new HashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            requestOrder.putIfAbsent(specs.get(i).jobId(), i);
        }
        planned.sort(Comparator.comparingInt(j -> requestOrder.get(j.jobId()))); // the request's order again

        EvaluationPlan plan = new EvaluationPlan(EvaluationPlan.SCHEMA_VERSION, request.evaluationId(),
                protocol.name(), protocol.paper(), request.models(), request.datasets(), request.seeds(), planned, now,
                request.robustness());
        jobSends.sendOnce("plan/" + plan.evaluationId(), () -> publisher.publish(plan)).get(30, TimeUnit.SECONDS);
        Map<String, JobIdentity> identities = new HashMap<>();
        specs.forEach(spec -> identities.put(spec.jobId(), spec.identity()));
        evaluations.markPlanned(request.evaluationId(), planned.stream()
                .map(j -> new EvaluationEntity.PlannedJob(j.jobId(), j.model(), j.dataset(), j.seed(), j.reused(),
                        identities.get(j.jobId())))
                .toList(), now);
        LOG.infof("planned evaluation %s: %d jobs, %d queued, %d reused", request.evaluationId(), planned.size(),
                sends.size(), planned.stream().filter(EvaluationPlan.PlannedJob::reused).count());
    }
}
