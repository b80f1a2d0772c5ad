package io.xscore.trainer.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.xscore.common.json.InvalidMessageException;
import io.xscore.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and writes {@link EvaluationCancellation} as {@code io.xscore.common.json.MessageCodec} does for the common
 * records (same mapper, same schema dialect, same exception), against this module's
 * {@code schemas/evaluation-cancellation.v1.json}. To move to common together with the record.
 */
public final class CancellationCodec {

    private static final String SCHEMA = "schemas/evaluation-cancellation.v1.json";
    private static final JsonSchema LOADED = load();

    private CancellationCodec() {
    }

    private static JsonSchema load() {
        try (InputStream in = CancellationCodec.class.getClassLoader().getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException("missing schema resource " + SCHEMA);
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + SCHEMA, e);
        }
    }

    public static EvaluationCancellation decode(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidMessageException("empty record: expected an EvaluationCancellation JSON object");
        }
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("malformed JSON: " + e.getOriginalMessage());
        }
        validate(tree);
        try {
            return Json.MAPPER.treeToValue(tree, EvaluationCancellation.class);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("does not map to EvaluationCancellation: " + e.getOriginalMessage());
        }
    }

    public static String encode(EvaluationCancellation c) {
        JsonNode tree = Json.MAPPER.valueToTree(c);
        validate(tree);
        return tree.toString();
    }

    private static void validate(JsonNode tree) {
        Set<ValidationMessage> errors = LOADED.validate(tree);
        if (!errors.isEmpty()) {
            throw new InvalidMessageException("EvaluationCancellation violates its schema: " + errors.stream()
                    .map(ValidationMessage::getMessage).sorted(Comparator.naturalOrder())
                    .collect(Collectors.joining("; ")));
        }
    }
}
