package io.xscore.scoring.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.xscore.support.problem.ConstraintReports;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.Locale;

/**
 * How the xScore request's constraint validators report. A message quotes the offending input, so it is passed as
 * literal text (braces, dollar signs and backslashes escaped, never interpolated); a class-level constraint names the
 * offending input in one property node (e.g. {@code accuracies.mobilenet.cifar10}), which is the problem's field.
 */
final class Violations {

    private Violations() {
    }

    /** Reports {@code message} about the validated value (see {@link ConstraintReports}); returns false. */
    static boolean report(ConstraintValidatorContext context, String message) {
        return ConstraintReports.report(context, message);
    }

    /** Reports {@code message} about {@code field} from a class-level constraint; returns false. */
    static boolean report(ConstraintValidatorContext context, String field, String message) {
        return ConstraintReports.report(context, field, message);
    }

    /**
     * The field a violation is about: its property nodes after the method and parameter (for a request validated as a
     * resource method's parameter), joined by dots and taken verbatim; "body" for the request as a whole.
     */
    static String field(ConstraintViolation<?> violation) {
        StringBuilder out = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PROPERTY && node.getName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(node.getName());
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }

    /** A JSON value as the messages quote it: {@code the string "0.5"}, {@code number 7}, {@code null null}. */
    static String describe(JsonNode n) {
        return n.isTextual() ? "the string \"" + n.asText() + "\"" : n.getNodeType().name().toLowerCase(Locale.ROOT)
                + " " + n;
    }
}
