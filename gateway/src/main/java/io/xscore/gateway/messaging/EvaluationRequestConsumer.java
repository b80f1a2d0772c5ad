package io.xscore.gateway.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.xscore.common.json.Json;
import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.common.messaging.Topics;
import io.xscore.gateway.evaluation.EvaluationEntity;
import io.xscore.gateway.planner.EvaluationPlanning;
import io.xscore.gateway.planner.InvalidRequestException;
import io.xscore.gateway.repository.EvaluationRepository;
import io.xscore.gateway.service.EvaluationPlanner;
import io.xscore.gateway.service.EvaluationService;
import io.xscore.support.logging.LogContext;
import io.xscore.support.messaging.PoisonRecordException;
import io.xscore.support.messaging.RecordProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The planner's input: every evaluation request, whether the gateway's REST API wrote it (from its outbox) or another
 * service did. Invalid requests go to the dead-letter topic with the reason (nothing is stored); valid ones are
 * planned, once: a request whose evaluation is already planned (a redelivery, or the outbox publishing again) is
 * acknowledged without effect.
 */
@ApplicationScoped
public class EvaluationRequestConsumer {

    private final RecordProcessor records;
    private final EvaluationPlanner planner;
    private final EvaluationService service;
    private final EvaluationRepository evaluations;
    private final MeterRegistry registry;

    public EvaluationRequestConsumer(RecordProcessor records, EvaluationPlanner planner, EvaluationService service,
            EvaluationRepository evaluations, MeterRegistry registry) {
        this.records = records;
        this.planner = planner;
        this.service = service;
        this.evaluations = evaluations;
        this.registry = registry;
    }

    @Incoming("evaluation-requests")
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<String> message) {
        String derivedId = derivedId(message);
        Optional<String> producer = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .flatMap(m -> Topics.producerOf(m.getTopic()));
        return records.process("evaluation-requests", message, payload -> parse(payload, derivedId, producer),
                request -> LogContext.evaluation(request.evaluationId()), planner::plan);
    }

    /**
     * Who a request is from. On a producer's own topic ({@code xscore.evaluation-requests.from.<principal>}, which in
     * Kubernetes only that Kafka user may write) it is {@code kafka:<principal>}, whatever the record says; on the
     * gateway's topic, which only the gateway may write, it is the requester the gateway recorded (the REST caller).
     */
    static String requester(EvaluationRequest request, Optional<String> producer) {
        return producer.map(p -> KAFKA_PRINCIPAL_PREFIX + p).orElse(request.requestedBy());
    }

    /** How a request from a producer's topic names its submitter. */
    public static final String KAFKA_PRINCIPAL_PREFIX = "kafka:";

    /** The request, validated; a {@link PoisonRecordException} naming the field for one that can never be planned. */
    private EvaluationRequest parse(String payload, String derivedId, Optional<String> producer) {
        try {
            if (payload == null || payload.isBlank()) {
                throw new InvalidRequestException("body", "empty record");
            }
            JsonNode tree;
            try {
                tree = Json.MAPPER.readTree(payload);
            } catch (Exception e) {
                throw new InvalidRequestException("body", "malformed JSON");
            }
            EvaluationRequest r = service.validator().validate(tree);
            String id = r.evaluationId() != null ? r.evaluationId() : derivedId;
            EvaluationRequest request = new EvaluationRequest(r.schemaVersion(), id, r.models(), r.datasets(),
                    r.seeds(), r.protocol(), r.overrides(), requester(r, producer),
                    r.requestedAt() != null ? r.requestedAt() : Instant.now(), r.robustness());
            evaluations.findByIdOptional(id).ifPresent(existing -> {
                if (!existing.sameRequestAs(EvaluationEntity.of(request, EvaluationPlanning.protocolOf(request),
                        "kafka", Instant.now()))) {
                    throw new InvalidRequestException("evaluationId",
                            "'" + id + "' already names a different evaluation");
                }
                if (producer.isPresent() && !java.util.Objects.equals(existing.requestedBy, request.requestedBy())) {
                    throw new InvalidRequestException("evaluationId",
                            "'" + id + "' already names an evaluation of another submitter");
                }
            });
            return request;
        } catch (InvalidRequestException e) {
            registry.counter("xscore_evaluations_rejected_total", "source", "kafka").increment();
            throw new PoisonRecordException(e.reason());
        }
    }

    /** A stable id for a request sent without one: the same record, redelivered, plans the same evaluation. */
    private static String derivedId(Message<String> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> "kafka-" + UUID.nameUUIDFromBytes((m.getTopic() + "/" + m.getPartition() + "/" + m.getOffset())
                        .getBytes(StandardCharsets.UTF_8)))
                .orElseGet(() -> "kafka-" + UUID.randomUUID());
    }
}
