package io.xscore.scoring.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.xscore.common.json.Json;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationPlan.PlannedJob;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.MongoServerTestResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's JSON logs: a line quarkus-logging-json writes while a result record is handled carries the record's
 * evaluation and job ids and the current trace id in {@code mdc}, and the service name; a line logged after the
 * record carries no ids. The profile adds a JSON file handler with the console's JSON settings (the console itself
 * stays text in tests).
 */
@QuarkusTest
@TestProfile(JsonLogLinesTest.JsonFile.class)
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerTestResource.class, restrictToAnnotatedClass = false)
class JsonLogLinesTest {

    static final Path LOG = Path.of("target", "json-log-lines-test", "scoring-service.log").toAbsolutePath();

    public static class JsonFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", LOG.toString(),
                    "quarkus.log.file.json.enabled", "true",
                    "quarkus.log.file.json.additional-field.\"service\".value", "scoring-service",
                    "quarkus.log.file.json.exception-output-type", "formatted");
        }
    }

    @Inject
    ScoringConsumers consumers;

    @Inject
    Tracer tracer;

    @Test
    void aLineLoggedWhileAResultIsHandledCarriesItsIdsAndTrace() throws Exception {
        String evaluation = "eval-" + UUID.randomUUID();
        PlannedJob job = ScoringFlowTest.job(ScoringFlowTest.M1, ScoringFlowTest.FM);
        TrainingResult result = ScoringFlowTest.succeeded(evaluation, job, 80);
        Span span = tracer.spanBuilder("json-log-test").startSpan();
        try (Scope scope = span.makeCurrent()) {
            // handled on this thread (no connector): the second delivery is logged as a duplicate
            for (int i = 0; i < 2; i++) {
                consumers.result(Message.of(MessageCodec.encode(result))).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            }
            assertNull(MDC.get("jobId"), "the record's ids are removed when it is handled");
            assertNull(MDC.get("evaluationId"));
        } finally {
            span.end();
        }
        String after = "after the record " + UUID.randomUUID();
        Logger.getLogger(JsonLogLinesTest.class).info(after);

        JsonNode duplicate = line("duplicate result for job " + job.jobId() + " ignored");
        assertEquals("INFO", duplicate.path("level").asText());
        assertEquals("io.xscore.scoring.service.ScoringService", duplicate.path("loggerName").asText());
        assertEquals("scoring-service", duplicate.path("service").asText());
        assertFalse(duplicate.path("timestamp").asText().isEmpty());
        JsonNode mdc = duplicate.path("mdc");
        assertEquals(evaluation, mdc.path("evaluationId").asText(), duplicate.toString());
        assertEquals(job.jobId(), mdc.path("jobId").asText(), duplicate.toString());
        assertTrue(span.getSpanContext().isValid());
        assertEquals(span.getSpanContext().getTraceId(), mdc.path("traceId").asText(), duplicate.toString());
        assertEquals(span.getSpanContext().getSpanId(), mdc.path("spanId").asText(), duplicate.toString());

        JsonNode outside = line(after).path("mdc");
        assertTrue(outside.path("evaluationId").isMissingNode(), outside.toString());
        assertTrue(outside.path("jobId").isMissingNode(), outside.toString());
        assertTrue(outside.path("traceId").isMissingNode(), outside.toString());
    }

    /** The one JSON line of the log file whose message is {@code message}. */
    private static JsonNode line(String message) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (String l : Files.readAllLines(LOG, StandardCharsets.UTF_8)) {
            JsonNode node = Json.MAPPER.readTree(l); // every line is one JSON object
            if (message.equals(node.path("message").asText())) {
                found.add(node);
            }
        }
        assertEquals(1, found.size(), "lines with message '" + message + "' in " + LOG);
        return found.get(0);
    }
}
