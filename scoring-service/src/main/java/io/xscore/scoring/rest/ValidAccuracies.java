package io.xscore.scoring.rest;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import com.fasterxml.jackson.databind.JsonNode;
import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.scoring.service.XScoreService;
import jakarta.enterprise.context.Dependent;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The accuracy table of an xScore request can be scored under its anchors. A class-level constraint, because what a
 * valid table is depends on {@code anchors} (checked before it) and on the reference datasets (the scoring service's
 * shipped reference table):
 * <ul>
 *   <li>a non-empty object of at most {@link XScoreRequest#MAX_MODELS} models, names not blank and at most
 *       {@link XScoreRequest#MAX_MODEL_NAME} characters, each a non-empty object of dataset id → accuracy;</li>
 *   <li>every dataset id known, and under {@code reference} anchors one of the reference datasets;</li>
 *   <li>every accuracy a finite number (percent) within [0, 100];</li>
 *   <li>every model has every reference dataset ({@code reference}) or every dataset another model has
 *       ({@code recompute});</li>
 *   <li>under {@code recompute}: at least 2 models, and no dataset whose accuracies are all equal (zero range).</li>
 * </ul>
 * The first problem in the table's order is reported, naming the offending cell as the field
 * ({@code accuracies.<model>.<dataset>}, {@code accuracies.<model>}, {@code accuracies.*.<dataset>} for a column or
 * {@code accuracies}).
 */
@Documented
@Target(TYPE)
@Retention(RUNTIME)
@Constraint(validatedBy = ValidAccuracies.Check.class)
public @interface ValidAccuracies {

    String message() default "the accuracy table cannot be scored";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** A CDI bean (created by Quarkus's validator factory through ArC) for the reference datasets it needs. */
    @Dependent
    class Check implements ConstraintValidator<ValidAccuracies, XScoreRequest> {

        private final XScoreService scoring;

        public Check(XScoreService scoring) {
            this.scoring = scoring;
        }

        @Override
        public boolean isValid(XScoreRequest request, ConstraintValidatorContext context) {
            if (request == null) {
                return true;
            }
            boolean reference = request.referenceAnchors();
            List<String> referenceDatasets = scoring.referenceDatasets();
            JsonNode node = request.accuracies();
            if (node == null || !node.isObject() || node.isEmpty()) {
                return Violations.report(context, "accuracies", "accuracies must be a non-empty object "
                        + "{\"<model>\": {\"<dataset id>\": <percent>, ...}}");
            }
            Map<String, Map<String, Double>> table = new LinkedHashMap<>();
            Set<String> union = new LinkedHashSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> model = it.next();
                String m = model.getKey();
                if (table.size() == XScoreRequest.MAX_MODELS) {
                    return Violations.report(context, "accuracies",
                            "at most " + XScoreRequest.MAX_MODELS + " models per request");
                }
                if (m.length() > XScoreRequest.MAX_MODEL_NAME) {
                    return Violations.report(context, "accuracies", "a model name has at most "
                            + XScoreRequest.MAX_MODEL_NAME + " characters; one has " + m.length());
                }
                String mField = "accuracies." + m;
                if (m.isBlank()) {
                    return Violations.report(context, mField, "a model name must not be blank");
                }
                if (!model.getValue().isObject() || model.getValue().isEmpty()) {
                    return Violations.report(context, mField, "the accuracies of model " + m
                            + " must be a non-empty object of dataset id -> percent");
                }
                Map<String, Double> row = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> cells = model.getValue().fields(); cells.hasNext(); ) {
                    Map.Entry<String, JsonNode> cell = cells.next();
                    String d = cell.getKey();
                    String field = mField + "." + d;
                    if (!DatasetCatalog.exists(d)) {
                        return Violations.report(context, field,
                                "unknown dataset id '" + d + "'; known: " + DatasetCatalog.ids());
                    }
                    if (reference && !referenceDatasets.contains(d)) {
                        return Violations.report(context, field, "dataset " + d + " has no reference anchors; the "
                                + "reference datasets are " + referenceDatasets
                                + " (use \"anchors\": \"recompute\" for others)");
                    }
                    JsonNode v = cell.getValue();
                    if (!v.isNumber()) {
                        return Violations.report(context, field,
                                "accuracy must be a number (percent), got " + Violations.describe(v));
                    }
                    double a = v.doubleValue();
                    if (!Double.isFinite(a)) {
                        return Violations.report(context, field, "accuracy must be a finite number, got " + v.asText());
                    }
                    if (a < 0 || a > 100) {
                        return Violations.report(context, field,
                                "accuracy must be a percentage within [0, 100], got " + v.asText());
                    }
                    row.put(d, a);
                }
                union.addAll(row.keySet());
                table.put(m, row);
            }
            List<String> required = reference ? referenceDatasets : new ArrayList<>(union);
            for (Map.Entry<String, Map<String, Double>> e : table.entrySet()) {
                for (String d : required) {
                    if (!e.getValue().containsKey(d)) {
                        return Violations.report(context, "accuracies." + e.getKey() + "." + d, "model " + e.getKey()
                                + " has no accuracy on " + d + (reference
                                ? " (reference anchors need all of " + referenceDatasets + ")"
                                : " which other models have"));
                    }
                }
            }
            if (!reference) {
                if (table.size() < 2) {
                    return Violations.report(context, "accuracies",
                            "recomputed anchors need at least 2 models, got " + table.size());
                }
                for (String d : union) {
                    double min = table.values().stream().mapToDouble(r -> r.get(d)).min().orElseThrow();
                    double max = table.values().stream().mapToDouble(r -> r.get(d)).max().orElseThrow();
                    if (!(max > min)) {
                        return Violations.report(context, "accuracies.*." + d, String.format(Locale.ROOT,
                                "dataset %s has zero range across the models (every accuracy is %s): its recomputed "
                                        + "anchors cannot normalise", d, min));
                    }
                }
            }
            return true;
        }
    }
}
