package io.xscore.gateway.evaluation;

import io.quarkus.mongodb.panache.common.MongoEntity;
import io.xscore.common.json.Json;
import io.xscore.common.messaging.EvaluationCancellation;
import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.common.messaging.JobIdentity;
import io.xscore.common.messaging.RobustnessSpec;
import io.xscore.common.protocol.ProtocolSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * An evaluation as the gateway owns it: the request, the planned jobs and the latest score set. The jobs' live state
 * is kept per job in {@link JobEntity} (shared by every evaluation that includes the job), so progress updates are
 * single-document atomic writes and need no transactions.
 */
@MongoEntity(collection = "evaluations")
public class EvaluationEntity {

    @BsonId
    public String id;
    public String protocol;
    public boolean paperProtocol;
    public List<String> models;
    public List<String> datasets;
    public List<Long> seeds;
    public Map<String, Integer> overrides;
    /** The resolved robustness suites as their JSON document; null when the evaluation runs none. */
    public Document robustness;
    /** "rest" or "kafka". */
    public String source;
    public String requestedBy;
    public Instant createdAt;
    /** Set once the planner has fanned the request out; null while only accepted. */
    public Instant plannedAt;
    public List<PlannedJob> jobs;
    /**
     * True while the request of a REST submission is stored but not yet acknowledged by the broker (the outbox:
     * {@code OutboxRelay} publishes it); absent once published, and for requests that came from Kafka.
     */
    public Boolean requestPending;
    /**
     * The W3C {@code traceparent} of the REST submission (null without tracing): the outbox relay and a later
     * re-planning publish in this context, so the evaluation stays one trace from the POST to its score set.
     */
    public String traceparent;
    /** The latest ScoreSet from xscore.scores, kept as its JSON document. */
    public Document scores;
    /** The computation time of {@link #scores}: an older score set never replaces a newer one. */
    public Instant scoresComputedAt;
    /** Set when a client cancelled the evaluation. */
    public Instant cancelledAt;
    public String cancelReason;
    /** The jobs the cancellation stops (null: every job, as before planning); published as the cancellation's list. */
    public List<String> cancelJobIds;
    /** True while the cancellation is stored but not yet acknowledged by the broker (published by the outbox relay). */
    public Boolean cancellationPending;
    /**
     * The datasets whose content digest the planner is waiting for (not prepared yet, or the dataset service cannot be
     * reached): the evaluation is planned once all are known ({@code DatasetWaits}); null when not waiting.
     */
    public List<String> waitingForDatasets;
    /** What the planner waits for, as the dataset service said it. */
    public String waitingReason;
    public Instant waitingSince;
    /** When the waiting ended and the request was published again for planning; null while still waiting. */
    public Instant datasetsReadyAt;

    /** The request as it was accepted, to publish (again) from the outbox. */
    public EvaluationRequest toRequest() {
        return new EvaluationRequest(EvaluationRequest.SCHEMA_VERSION, id, models, datasets, seeds, protocol,
                overrides, requestedBy, createdAt, robustnessSpec());
    }

    /** The cancellation as it was accepted, to publish (again) from the outbox. */
    public EvaluationCancellation toCancellation() {
        return new EvaluationCancellation(EvaluationCancellation.SCHEMA_VERSION, id, cancelReason, cancelledAt,
                cancelJobIds);
    }

    public static EvaluationEntity of(EvaluationRequest request, ProtocolSpec protocol, String source, Instant now) {
        EvaluationEntity e = new EvaluationEntity();
        e.id = request.evaluationId();
        e.protocol = protocol.name();
        e.paperProtocol = protocol.paper();
        e.models = request.models();
        e.datasets = request.datasets();
        e.seeds = request.seeds();
        e.overrides = request.overrides();
        e.robustness = request.robustness() == null ? null
                : Document.parse(Json.MAPPER.valueToTree(request.robustness()).toString());
        e.source = source;
        e.requestedBy = request.requestedBy();
        e.createdAt = now;
        return e;
    }

    /** Same protocol, grid and overrides: a re-sent request under the same id, not a different evaluation. */
    public boolean sameRequestAs(EvaluationEntity other) {
        return Objects.equals(protocol, other.protocol) && Objects.equals(models, other.models)
                && Objects.equals(datasets, other.datasets) && Objects.equals(seeds, other.seeds)
                && Objects.equals(overrides == null ? Map.of() : overrides,
                        other.overrides == null ? Map.of() : other.overrides)
                && Objects.equals(robustnessSpec(), other.robustnessSpec());
    }

    /** The stored robustness suites, or null. */
    public RobustnessSpec robustnessSpec() {
        if (robustness == null) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(robustness.toJson(), RobustnessSpec.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("evaluation " + id + ": stored robustness suites cannot be read", e);
        }
    }

    public static class PlannedJob {
        public String jobId;
        public String model;
        public String dataset;
        public long seed;
        public boolean reused;
        /** The digests the job id was derived from; null for jobs planned before identities existed. */
        public Identity identity;

        public PlannedJob() {
        }

        public PlannedJob(String jobId, String model, String dataset, long seed, boolean reused) {
            this.jobId = jobId;
            this.model = model;
            this.dataset = dataset;
            this.seed = seed;
            this.reused = reused;
        }

        public PlannedJob(String jobId, String model, String dataset, long seed, boolean reused,
                JobIdentity identity) {
            this(jobId, model, dataset, seed, reused);
            this.identity = Identity.of(identity);
        }
    }

    /** A stored {@link JobIdentity}: the SHA-256 digests of protocol, model definition, dataset and augmentation. */
    public static class Identity {
        public String protocol;
        public String model;
        public String dataset;
        public String augmentation;
        /** The resolved robustness suites' digest; null for a job without suites. */
        public String robustness;

        public static Identity of(JobIdentity identity) {
            if (identity == null) {
                return null;
            }
            Identity i = new Identity();
            i.protocol = identity.protocol();
            i.model = identity.model();
            i.dataset = identity.dataset();
            i.augmentation = identity.augmentation();
            i.robustness = identity.robustness();
            return i;
        }

        public JobIdentity toRecord() {
            return new JobIdentity(protocol, model, dataset, augmentation, robustness);
        }
    }
}
