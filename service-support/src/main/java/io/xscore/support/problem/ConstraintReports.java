package io.xscore.support.problem;

import jakarta.validation.ConstraintValidatorContext;

/**
 * How the services' custom constraint validators report a violation, one way everywhere. A message quotes the
 * offending input (a model name, a JSON value), so it is passed as literal text: the braces, dollar signs and
 * backslashes a caller may have sent are escaped, never interpolated as Bean Validation expressions. A class-level
 * constraint names the offending input in one property node (e.g. {@code overrides.epochs}), which the problem
 * mapping ({@link JsonFields#ofViolation}) reports as the field.
 */
public final class ConstraintReports {

    private ConstraintReports() {
    }

    /** Reports {@code message} as the only violation of the validated value; returns false (invalid). */
    public static boolean report(ConstraintValidatorContext context, String message) {
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(literal(message)).addConstraintViolation();
        return false;
    }

    /** Reports {@code message} about {@code field} (one property node) from a class-level constraint; false. */
    public static boolean report(ConstraintValidatorContext context, String field, String message) {
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(literal(message)).addPropertyNode(field)
                .addConstraintViolation();
        return false;
    }

    /** {@code text} as a message template that interpolates to itself. */
    public static String literal(String text) {
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
