package io.xscore.common.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.xscore.common.messaging.EvaluationCancellation;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.common.messaging.RobustnessSpec;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import java.io.InputStream;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Reads and writes message records as JSON, checking each against its JSON Schema ({@code schemas/*.json}, shared
 * by producers and consumers). Consumers call {@link #decode}; its exception message is the dead-letter reason.
 */
public final class MessageCodec {

    /** Message type to schema file. */
    public static final Map<Class<?>, String> SCHEMAS = Map.of(
            EvaluationRequest.class, "schemas/evaluation-request.v1.json",
            EvaluationCancellation.class, "schemas/evaluation-cancellation.v1.json",
            EvaluationPlan.class, "schemas/evaluation-plan.v1.json",
            TrainingJob.class, "schemas/training-job.v1.json",
            TrainingProgress.class, "schemas/training-progress.v1.json",
            TrainingResult.class, "schemas/training-result.v1.json",
            ScoreSet.class, "schemas/score-set.v1.json",
            RobustnessSpec.class, "schemas/robustness-spec.v1.json");

    private static final Map<Class<?>, JsonSchema> LOADED = new ConcurrentHashMap<>();
    /** Schemas reference each other by their $id under https://xscore.io/schemas/, served from the classpath. */
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(m -> m.mapPrefix("https://xscore.io/schemas/", "classpath:schemas/")));

    /** Schema patterns with ECMA-262's end anchor ({@link EcmaAnchoredPatterns}). */
    private static final SchemaValidatorsConfig SCHEMA_CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.LEGACY).regularExpressionFactory(EcmaAnchoredPatterns.FACTORY).build();

    private MessageCodec() {
    }

    public static JsonSchema schemaFor(Class<?> type) {
        return LOADED.computeIfAbsent(type, t -> {
            String path = SCHEMAS.get(t);
            if (path == null) {
                throw new IllegalArgumentException("no schema registered for " + t.getName());
            }
            try (InputStream in = MessageCodec.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("missing schema resource " + path);
                }
                return FACTORY.getSchema(in, SCHEMA_CONFIG);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot read " + path, e);
            }
        });
    }

    /** Parses and schema-checks a record; throws {@link InvalidMessageException} with a readable reason. */
    public static <T> T decode(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new InvalidMessageException("empty record: expected a " + type.getSimpleName() + " JSON object");
        }
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("malformed JSON: " + e.getOriginalMessage());
        }
        validate(tree, type);
        try {
            return Json.MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("does not map to " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    /** Serialises a record after checking it against its schema, so no producer can emit an invalid message. */
    public static String encode(Object message) {
        JsonNode tree = Json.MAPPER.valueToTree(message);
        validate(tree, message.getClass());
        return tree.toString();
    }

    public static void validate(JsonNode tree, Class<?> type) {
        Set<ValidationMessage> errors = schemaFor(type).validate(tree);
        if (!errors.isEmpty()) {
            throw new InvalidMessageException(type.getSimpleName() + " violates its schema: " + errors.stream()
                    .map(ValidationMessage::getMessage)
                    .sorted(Comparator.naturalOrder())
                    .collect(Collectors.joining("; ")));
        }
    }
}
