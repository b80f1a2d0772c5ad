package io.xscore.scoring.rest;

import com.fasterxml.jackson.databind.JsonNode;
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

    /** Reports {@code message} about the validated value; returns false (invalid). */
    static boolean report(ConstraintValidatorContext context, String message) {
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(literal(message)).addConstraintViolation();
        return false;
    }

    /** Reports {@code message} about {@code field} from a class-level constraint; returns false (invalid). */
    static boolean report(ConstraintValidatorContext context, String field, String message) {
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(literal(message)).addPropertyNode(field)
                .addConstraintViolation();
        return false;
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

    private static String literal(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '{' || c == '}' || c == '$' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
