package io.xscore.gateway.planner;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.catalog.ModelCatalog;
import io.xscore.common.json.Json;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.common.protocol.Protocols;
import io.xscore.support.problem.JsonFields;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Checks an evaluation request, whether it came over REST or straight from Kafka: first against the shared JSON
 * Schema (shape, sizes, seed range), then against what the platform knows (models, datasets, protocols, overrides,
 * the job budget). Throws {@link InvalidRequestException} naming the first offending field.
 */
public final class RequestValidator {

    private final int maxJobs;

    public RequestValidator(int maxJobs) {
        this.maxJobs = maxJobs;
    }

    /** Validates a parsed JSON tree and maps it to the request record. */
    public EvaluationRequest validate(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            throw new InvalidRequestException("body", "expected a JSON object");
        }
        if (!tree.has("schemaVersion")) {
            ((ObjectNode) tree).put("schemaVersion", EvaluationRequest.SCHEMA_VERSION);
        }
        Set<ValidationMessage> errors = MessageCodec.schemaFor(EvaluationRequest.class).validate(tree);
        if (!errors.isEmpty()) {
            ValidationMessage first = errors.stream()
                    .min(Comparator.comparing((ValidationMessage m) -> fieldOf(m)).thenComparing(ValidationMessage::getMessage))
                    .orElseThrow();
            throw new InvalidRequestException(fieldOf(first), first.getMessage());
        }
        EvaluationRequest request;
        try {
            request = Json.MAPPER.treeToValue(tree, EvaluationRequest.class);
        } catch (JsonMappingException e) {
            // The schema admits little the record cannot hold; name the field, never Jackson's words (Java types).
            String field = JsonFields.ofPath(e.getPath());
            throw new InvalidRequestException(field, field.equals("body")
                    ? "cannot be read as an evaluation request" : "has the wrong type or value");
        } catch (Exception e) {
            throw new InvalidRequestException("body", "cannot be read as an evaluation request");
        }
        validate(request);
        return request;
    }

    /** Semantic checks on a request that already satisfies the schema. */
    public void validate(EvaluationRequest request) {
        checkKnown("models", request.models(), ModelCatalog::exists,
                "unknown model; known: " + ModelCatalog.fixed().stream().map(ModelCatalog.ModelInfo::id).toList()
                        + " or convmixer-<dim>-<depth>");
        checkKnown("datasets", request.datasets(), DatasetCatalog::exists,
                "unknown dataset; known: " + DatasetCatalog.ids());
        if (!Protocols.exists(request.protocol())) {
            throw new InvalidRequestException("protocol",
                    "unknown protocol '" + request.protocol() + "'; known: " + Protocols.names());
        }
        try {
            Protocols.resolve(request.protocol(), request.overrides());
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int colon = message.indexOf(": ");
            throw colon > 0 ? new InvalidRequestException(message.substring(0, colon), message.substring(colon + 2))
                    : new InvalidRequestException("overrides", message);
        }
        long jobs = (long) request.models().size() * request.datasets().size() * request.seeds().size();
        if (jobs > maxJobs) {
            throw new InvalidRequestException("models",
                    "models x datasets x seeds = " + jobs + " jobs, more than the limit of " + maxJobs);
        }
    }

    private static void checkKnown(String field, List<String> values, java.util.function.Predicate<String> known,
            String detail) {
        for (int i = 0; i < values.size(); i++) {
            if (!known.test(values.get(i))) {
                throw new InvalidRequestException(field + "[" + i + "]", "'" + values.get(i) + "': " + detail);
            }
        }
    }

    /** "$.models[0]" → "models[0]"; a missing property is reported under its own name. */
    static String fieldOf(ValidationMessage m) {
        String location = m.getInstanceLocation() == null ? "$" : m.getInstanceLocation().toString();
        String field = location.startsWith("$.") ? location.substring(2) : location.equals("$") ? "" : location;
        if ("required".equals(m.getType()) && m.getProperty() != null) {
            field = field.isEmpty() ? m.getProperty() : field + "." + m.getProperty();
        }
        if ("additionalProperties".equals(m.getType()) && m.getProperty() != null) {
            field = field.isEmpty() ? m.getProperty() : field + "." + m.getProperty();
        }
        return field.isEmpty() ? "body" : field;
    }
}
