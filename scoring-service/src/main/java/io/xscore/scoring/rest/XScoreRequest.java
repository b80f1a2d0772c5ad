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
import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.scoring.xscore.VarianceDivisor;
import io.xscore.scoring.xscore.XScoreCalculator;
import io.xscore.support.problem.JsonFields;
import io.xscore.support.problem.ProblemException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/xscore}, parsed and validated by hand so that every rejection names the offending
 * input in {@code field} (e.g. {@code accuracies.mobilenet.cifar10}). The mapper rejects duplicate keys
 * ({@link StreamReadFeature#STRICT_DUPLICATE_DETECTION}) and reads {@code NaN}/{@code Infinity} tokens as numbers so
 * they can be rejected with the cell named rather than as a parse error.
 *
 * @param anchors     {@code reference} (the paper's fixed anchors: every model needs exactly the reference datasets)
 *                    or {@code recompute} (column min/max of the submitted table: at least 2 models, the same
 *                    datasets for every model, no zero-range column)
 * @param accuracies  model → dataset id → accuracy (%), in request order
 */
public record XScoreRequest(double lambda, String anchors, VarianceDivisor divisor, int k,
                            Map<String, Map<String, Double>> accuracies) {

    public static final String REFERENCE = "reference";
    public static final String RECOMPUTE = "recompute";
    static final Set<String> FIELDS = Set.of("lambda", "anchors", "varianceDivisor", "k", "accuracies");

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

    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Parses and validates; {@code referenceDatasets} are the datasets that have fixed anchors. */
    public static XScoreRequest parse(String body, List<String> referenceDatasets) {
        JsonNode root = readTree(body);
        if (root == null || !root.isObject()) {
            throw bad("the body must be a JSON object", "body");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                throw bad("unknown field '" + name + "'; allowed: lambda, anchors, varianceDivisor, k, accuracies",
                        name);
            }
        }
        double lambda = XScoreCalculator.DEFAULT_LAMBDA;
        if (root.has("lambda")) {
            JsonNode l = root.get("lambda");
            if (!l.isNumber()) {
                throw bad("lambda must be a number, got " + describe(l), "lambda");
            }
            lambda = l.doubleValue();
            if (!Double.isFinite(lambda) || lambda < 0) {
                throw bad("lambda must be a finite number >= 0, got " + l.asText(), "lambda");
            }
        }
        String anchors = REFERENCE;
        if (root.has("anchors")) {
            JsonNode a = root.get("anchors");
            if (!a.isTextual() || !(REFERENCE.equals(a.asText()) || RECOMPUTE.equals(a.asText()))) {
                throw bad("anchors must be \"reference\" or \"recompute\", got " + describe(a), "anchors");
            }
            anchors = a.asText();
        }
        VarianceDivisor divisor = VarianceDivisor.SAMPLE;
        if (root.has("varianceDivisor")) {
            JsonNode d = root.get("varianceDivisor");
            if (!d.isTextual() || !d.asText().matches("sample|population")) {
                throw bad("varianceDivisor must be \"sample\" or \"population\", got " + describe(d),
                        "varianceDivisor");
            }
            divisor = VarianceDivisor.parse(d.asText());
        }
        Map<String, Map<String, Double>> accuracies = accuracies(root.get("accuracies"), anchors, referenceDatasets);
        int columns = accuracies.values().iterator().next().size();
        int k = Math.min(4, columns);
        if (root.has("k")) {
            JsonNode kn = root.get("k");
            if (!kn.isIntegralNumber() || kn.asInt() < 1 || kn.asInt() > columns) {
                throw bad("k must be an integer between 1 and the number of datasets (" + columns + "), got "
                        + describe(kn), "k");
            }
            k = kn.asInt();
        }
        return new XScoreRequest(lambda, anchors, divisor, k, accuracies);
    }

    /** The datasets, in the order of the reference datasets (reference anchors) or of first appearance. */
    public List<String> datasets(List<String> referenceDatasets) {
        if (REFERENCE.equals(anchors)) {
            return referenceDatasets;
        }
        return List.copyOf(accuracies.values().iterator().next().keySet());
    }

    private static Map<String, Map<String, Double>> accuracies(JsonNode node, String anchors,
                                                               List<String> referenceDatasets) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw bad("accuracies must be a non-empty object {\"<model>\": {\"<dataset id>\": <percent>, ...}}",
                    "accuracies");
        }
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        Set<String> union = new LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> model = it.next();
            String m = model.getKey();
            if (out.size() == MAX_MODELS) {
                throw bad("at most " + MAX_MODELS + " models per request", "accuracies");
            }
            if (m.length() > MAX_MODEL_NAME) {
                throw bad("a model name has at most " + MAX_MODEL_NAME + " characters; one has " + m.length(),
                        "accuracies");
            }
            String mField = "accuracies." + m;
            if (m.isBlank()) {
                throw bad("a model name must not be blank", mField);
            }
            if (!model.getValue().isObject() || model.getValue().isEmpty()) {
                throw bad("the accuracies of model " + m + " must be a non-empty object of dataset id -> percent",
                        mField);
            }
            Map<String, Double> row = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> cells = model.getValue().fields(); cells.hasNext(); ) {
                Map.Entry<String, JsonNode> cell = cells.next();
                String d = cell.getKey();
                String field = mField + "." + d;
                if (!DatasetCatalog.exists(d)) {
                    throw bad("unknown dataset id '" + d + "'; known: " + DatasetCatalog.ids(), field);
                }
                if (REFERENCE.equals(anchors) && !referenceDatasets.contains(d)) {
                    throw bad("dataset " + d + " has no reference anchors; the reference datasets are "
                            + referenceDatasets + " (use \"anchors\": \"recompute\" for others)", field);
                }
                JsonNode v = cell.getValue();
                if (!v.isNumber()) {
                    throw bad("accuracy must be a number (percent), got " + describe(v), field);
                }
                double a = v.doubleValue();
                if (!Double.isFinite(a)) {
                    throw bad("accuracy must be a finite number, got " + v.asText(), field);
                }
                if (a < 0 || a > 100) {
                    throw bad("accuracy must be a percentage within [0, 100], got " + v.asText(), field);
                }
                row.put(d, a);
            }
            union.addAll(row.keySet());
            out.put(m, row);
        }
        List<String> required = REFERENCE.equals(anchors) ? referenceDatasets : new ArrayList<>(union);
        for (var e : out.entrySet()) {
            for (String d : required) {
                if (!e.getValue().containsKey(d)) {
                    throw bad("model " + e.getKey() + " has no accuracy on " + d + (REFERENCE.equals(anchors)
                            ? " (reference anchors need all of " + referenceDatasets + ")"
                            : " which other models have"), "accuracies." + e.getKey() + "." + d);
                }
            }
        }
        if (RECOMPUTE.equals(anchors)) {
            if (out.size() < 2) {
                throw bad("recomputed anchors need at least 2 models, got " + out.size(), "accuracies");
            }
            for (String d : union) {
                double min = out.values().stream().mapToDouble(r -> r.get(d)).min().orElseThrow();
                double max = out.values().stream().mapToDouble(r -> r.get(d)).max().orElseThrow();
                if (!(max > min)) {
                    throw bad(String.format(Locale.ROOT, "dataset %s has zero range across the models (every "
                            + "accuracy is %s): its recomputed anchors cannot normalise", d, min), "accuracies.*." + d);
                }
            }
        }
        return out;
    }

    private static JsonNode readTree(String body) {
        if (body == null || body.isBlank()) {
            throw bad("the body is empty; expected a JSON object", "body");
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
            throw bad(detail, field);
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

    private static String describe(JsonNode n) {
        return n.isTextual() ? "the string \"" + n.asText() + "\"" : n.getNodeType().name().toLowerCase(Locale.ROOT)
                + " " + n;
    }

    private static ProblemException bad(String detail, String field) {
        return new ProblemException(400, "invalid-xscore-request", "Invalid xScore request", detail, field);
    }
}
