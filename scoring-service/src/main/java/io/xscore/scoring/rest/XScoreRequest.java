package io.xscore.scoring.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.xscore.scoring.service.XScoreService;
import io.xscore.scoring.xscore.VarianceDivisor;
import io.xscore.scoring.xscore.XScoreCalculator;
import io.xscore.support.problem.JsonFields;
import io.xscore.support.problem.ProblemException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.GroupSequence;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/xscore} as sent: its JSON values unconverted, so that a value of the wrong type is
 * refused with what it was ({@code lambda must be a number, got the string "0.5"}) rather than coerced. Read by
 * {@link XScoreRequestReader} ({@link #read}: size, JSON syntax, duplicate keys), then checked by Bean Validation
 * ({@code @Valid} on the resource method), every rejection naming the offending input in {@code field} (e.g.
 * {@code accuracies.mobilenet.cifar10}) with the problem type {@code invalid-xscore-request}.
 * <p>
 * The checks run in the order of the {@link GroupSequence}, and validation stops at the first step that fails: the
 * fields, then {@code lambda}, {@code anchors}, {@code varianceDivisor}, then the table (which needs valid anchors),
 * then {@code k} (bounded by the table's width). So one problem is reported, the first, as before.
 *
 * @param fields     the body's field names, in body order ({@link KnownFields})
 * @param anchors    {@code reference} (the paper's fixed anchors: every model needs exactly the reference datasets)
 *                   or {@code recompute} (column min/max of the submitted table: at least 2 models, the same
 *                   datasets for every model, no zero-range column)
 * @param accuracies model → dataset id → accuracy (%), in request order ({@link ValidAccuracies})
 */
@Schema(name = "XScoreRequest", description = "An accuracy table to score; only accuracies is required")
@GroupSequence({XScoreRequest.class, XScoreRequest.Lambda.class, XScoreRequest.Anchors.class,
        XScoreRequest.Divisor.class, XScoreRequest.Table.class, XScoreRequest.SubsetSize.class})
@KnownFields
@ValidAccuracies(groups = XScoreRequest.Table.class)
@ProxySubsetSize(groups = XScoreRequest.SubsetSize.class)
public record XScoreRequest(
        @Schema(hidden = true) List<String> fields,
        @Schema(type = SchemaType.NUMBER, description = "λ >= 0, default 0.5")
        @JsonNumber(name = "lambda", min = 0, groups = Lambda.class) JsonNode lambda,
        @Schema(type = SchemaType.STRING, enumeration = {REFERENCE, RECOMPUTE}, description = "default reference")
        @OneOf(name = "anchors", values = {REFERENCE, RECOMPUTE}, groups = Anchors.class) JsonNode anchors,
        @Schema(type = SchemaType.STRING, enumeration = {"sample", "population"}, description = "default sample")
        @OneOf(name = "varianceDivisor", values = {"sample", "population"}, groups = Divisor.class)
        JsonNode varianceDivisor,
        @Schema(type = SchemaType.INTEGER, description = "proxy subset size, 1 to the number of datasets, default 4")
        JsonNode k,
        @Schema(type = SchemaType.OBJECT, required = true,
                description = "model -> dataset id -> accuracy in percent") JsonNode accuracies) {

    public static final String REFERENCE = "reference";
    public static final String RECOMPUTE = "recompute";
    static final List<String> FIELDS = List.of("lambda", "anchors", "varianceDivisor", "k", "accuracies");

    /**
     * Most models one request may score. The calculator and the proxy search are linear in the number of models, but
     * a table is typed or exported by a person: the 11 reference models plus a few hundred candidates is a large
     * one. 40,000 models took 4 s of CPU and answered 13 MB; 1,000 take milliseconds and answer about 300 KB.
     */
    public static final int MAX_MODELS = 1000;

    /** Longest model name (characters); the catalog's longest id is 20. */
    public static final int MAX_MODEL_NAME = 200;

    /**
     * Largest body (bytes): {@link #MAX_MODELS} rows of 7 accuracies take about 200 KB written compactly; the rest is
     * room for whitespace.
     */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    /** Second step. (The first, the default group, is the fields.) */
    public interface Lambda {
    }

    /** Third step. */
    public interface Anchors {
    }

    /** Fourth step. */
    public interface Divisor {
    }

    /** Fifth step: the table, under valid anchors. */
    public interface Table {
    }

    /** Last step: k, within the width of a valid table. */
    public interface SubsetSize {
    }

    /**
     * The mapper rejects duplicate keys ({@link StreamReadFeature#STRICT_DUPLICATE_DETECTION}) and reads {@code NaN}
     * and {@code Infinity} tokens as numbers so they can be rejected with the cell named rather than as a parse error.
     */
    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Reads a body (JSON syntax, duplicate keys, a JSON object); its content is checked by the constraints. */
    public static XScoreRequest read(String body) {
        JsonNode root = readTree(body);
        if (root == null || !root.isObject()) {
            throw invalid("body", "the body must be a JSON object");
        }
        List<String> fields = new ArrayList<>();
        root.fieldNames().forEachRemaining(fields::add);
        return new XScoreRequest(List.copyOf(fields), root.get("lambda"), root.get("anchors"),
                root.get("varianceDivisor"), root.get("k"), root.get("accuracies"));
    }

    /** The problem for a violation of the request's constraints, the one shape of every xScore request rejection. */
    static ProblemException invalid(ConstraintViolation<?> violation) {
        return invalid(Violations.field(violation), violation.getMessage());
    }

    static ProblemException invalid(String field, String detail) {
        return new ProblemException(400, "invalid-xscore-request", "Invalid xScore request", detail, field);
    }

    /** Whether the anchors are the paper's (the default). */
    boolean referenceAnchors() {
        return anchors == null || REFERENCE.equals(anchors.asText());
    }

    /** The number of datasets of a valid table (every model has the same ones). */
    int columns() {
        return accuracies.fields().next().getValue().size();
    }

    /** The table to score, with the defaults filled in; only for a request that satisfies its constraints. */
    public XScoreService.Table table() {
        Map<String, Map<String, Double>> table = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> models = accuracies.fields(); models.hasNext(); ) {
            Map.Entry<String, JsonNode> model = models.next();
            Map<String, Double> row = new LinkedHashMap<>();
            model.getValue().fields().forEachRemaining(cell -> row.put(cell.getKey(), cell.getValue().doubleValue()));
            table.put(model.getKey(), row);
        }
        return new XScoreService.Table(lambda == null ? XScoreCalculator.DEFAULT_LAMBDA : lambda.doubleValue(),
                referenceAnchors(),
                varianceDivisor == null ? VarianceDivisor.SAMPLE : VarianceDivisor.parse(varianceDivisor.asText()),
                k == null ? Math.min(4, columns()) : k.asInt(), table);
    }

    private static JsonNode readTree(String body) {
        if (body == null || body.isBlank()) {
            throw invalid("body", "the body is empty; expected a JSON object");
        }
        try {
            return STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            String field = "body";
            String detail = "malformed JSON: " + JsonFields.syntaxError(e);
            if (e.getProcessor() instanceof JsonParser p && e.getOriginalMessage() != null
                    && e.getOriginalMessage().startsWith("Duplicate field")) {
                String dup = e.getOriginalMessage().replaceFirst("^Duplicate field '(.*)'$", "$1");
                field = path(p.getParsingContext(), dup);
                detail = "duplicate key '" + dup + "'" + (field.startsWith("accuracies.") && field.chars()
                        .filter(c -> c == '.').count() == 1 ? ": model " + dup + " appears twice" : "");
            }
            throw invalid(field, detail);
        }
    }

    /** Dotted path of the object being parsed, plus the (duplicate) key. */
    private static String path(JsonStreamContext ctx, String key) {
        List<String> parts = new ArrayList<>();
        parts.add(key);
        for (JsonStreamContext c = ctx.getParent(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.getCurrentName() != null) {
                parts.add(0, c.getCurrentName());
            }
        }
        return String.join(".", parts);
    }
}
