package io.xscore.gateway.planner;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import io.xscore.augment.Corruptions;
import io.xscore.common.json.Json;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.common.robustness.RobustnessSuites;
import io.xscore.support.problem.JsonFields;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.Set;

/**
 * Checks an evaluation request, whether it came over REST or straight from Kafka, in three steps, and throws
 * {@link InvalidRequestException} naming the first offending field:
 * <ol>
 *   <li>the shared JSON Schema (shape, sizes, seed range): the contract every producer of requests is held to;</li>
 *   <li>what the platform knows (models, datasets, protocols, overrides): Bean Validation constraints on
 *       {@link SubmittedRequest}, which the tree is read into;</li>
 *   <li>the job budget (models × datasets × seeds), whose limit is configuration;</li>
 *   <li>the robustness suites' rules beyond the schema (known corruptions, a baseline among the models): the
 *       request comes back with its suites resolved ({@link RobustnessSuites#resolve}), every default written out.</li>
 * </ol>
 * A violation becomes an {@link InvalidRequestException} here, not a {@code ConstraintViolationException} for the
 * shared mapper: the REST answer keeps its problem type and title ("Invalid evaluation request"), the rejection is
 * counted by the caller, and a Kafka record gets the same words as its dead-letter reason.
 */
public final class RequestValidator {

    private final Validator validator;
    private final int maxJobs;

    /** @param validator the application's (CDI) validator */
    public RequestValidator(Validator validator, int maxJobs) {
        this.validator = validator;
        this.maxJobs = maxJobs;
    }

    /** Outside CDI (unit tests): a validator of its own, built once. */
    public RequestValidator(int maxJobs) {
        this(Standalone.VALIDATOR, maxJobs);
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
        SubmittedRequest request;
        try {
            request = Json.MAPPER.treeToValue(tree, SubmittedRequest.class);
        } catch (JsonMappingException e) {
            // The schema admits little the record cannot hold; name the field, never Jackson's words (Java types).
            String field = JsonFields.ofPath(e.getPath());
            throw new InvalidRequestException(field, field.equals("body")
                    ? "cannot be read as an evaluation request" : "has the wrong type or value");
        } catch (Exception e) {
            throw new InvalidRequestException("body", "cannot be read as an evaluation request");
        }
        Violations.requireValid(validator, request);
        long jobs = (long) request.models().size() * request.datasets().size() * request.seeds().size();
        if (jobs > maxJobs) {
            throw new InvalidRequestException("models",
                    "models x datasets x seeds = " + jobs + " jobs, more than the limit of " + maxJobs);
        }
        EvaluationRequest valid = request.toRecord();
        try {
            return new EvaluationRequest(valid.schemaVersion(), valid.evaluationId(), valid.models(), valid.datasets(),
                    valid.seeds(), valid.protocol(), valid.overrides(), valid.requestedBy(), valid.requestedAt(),
                    RobustnessSuites.resolve(valid.robustness(), valid.models(), Corruptions.NAMES));
        } catch (RobustnessSuites.InvalidSuitesException e) {
            throw new InvalidRequestException(e.field(), e.getMessage());
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

    /** Hibernate Validator bootstrapped on its own, for use without CDI. */
    private static final class Standalone {
        static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();
    }
}
