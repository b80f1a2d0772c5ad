package io.xscore.gateway.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.xscore.common.json.InvalidMessageException;
import io.xscore.common.json.Json;
import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.gateway.evaluation.EvaluationEntity;
import io.xscore.gateway.planner.EvaluationPlanning;
import io.xscore.gateway.planner.InvalidRequestException;
import io.xscore.gateway.repository.EvaluationRepository;
import io.xscore.gateway.service.EvaluationPlanner;
import io.xscore.gateway.service.EvaluationService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The planner's input: every evaluation request, whether the gateway's REST API wrote it or another service did.
 * Invalid requests go to the dead-letter topic with the reason (nothing is stored); valid ones are planned.
 */
@ApplicationScoped
public class EvaluationRequestConsumer {

    private static final Logger LOG = Logger.getLogger(EvaluationRequestConsumer.class);

    @Inject
    EvaluationPlanner planner;

    @Inject
    EvaluationService service;

    @Inject
    EvaluationRepository evaluations;

    @Inject
    MeterRegistry registry;

    @Incoming("evaluation-requests")
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(Message<String> message) {
        EvaluationRequest request;
        try {
            request = parse(message);
        } catch (InvalidRequestException e) {
            registry.counter("xscore_evaluations_rejected_total", "source", "kafka").increment();
            LOG.warnf("dead-lettering evaluation request: %s", e.reason());
            return message.nack(new InvalidMessageException(e.reason()));
        }
        try {
            boolean fromRest = evaluations.findByIdOptional(request.evaluationId())
                    .map(e -> "rest".equals(e.source)).orElse(false);
            if (!fromRest) {
                registry.counter("xscore_evaluations_submitted_total", "source", "kafka").increment();
            }
            planner.plan(request, fromRest ? "rest" : "kafka");
            return message.ack();
        } catch (Exception e) {
            LOG.errorf(e, "planning evaluation %s failed", request.evaluationId());
            return message.nack(e);
        }
    }

    private EvaluationRequest parse(Message<String> message) {
        JsonNode tree;
        String payload = message.getPayload();
        if (payload == null || payload.isBlank()) {
            throw new InvalidRequestException("body", "empty record");
        }
        try {
            tree = Json.MAPPER.readTree(payload);
        } catch (Exception e) {
            throw new InvalidRequestException("body", "malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        EvaluationRequest r = service.validator().validate(tree);
        String id = r.evaluationId() != null ? r.evaluationId() : derivedId(message);
        EvaluationRequest request = new EvaluationRequest(r.schemaVersion(), id, r.models(), r.datasets(), r.seeds(),
                r.protocol(), r.overrides(), r.requestedBy(), r.requestedAt() != null ? r.requestedAt() : Instant.now());
        evaluations.findByIdOptional(id).ifPresent(existing -> {
            if (!existing.sameRequestAs(EvaluationEntity.of(request, EvaluationPlanning.protocolOf(request), "kafka",
                    Instant.now()))) {
                throw new InvalidRequestException("evaluationId",
                        "'" + id + "' already names a different evaluation");
            }
        });
        return request;
    }

    /** A stable id for a request sent without one: the same record, redelivered, plans the same evaluation. */
    private static String derivedId(Message<String> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> "kafka-" + UUID.nameUUIDFromBytes((m.getTopic() + "/" + m.getPartition() + "/" + m.getOffset())
                        .getBytes(StandardCharsets.UTF_8)))
                .orElseGet(() -> "kafka-" + UUID.randomUUID());
    }
}
