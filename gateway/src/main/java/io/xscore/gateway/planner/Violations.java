package io.xscore.gateway.planner;

import io.xscore.support.problem.ConstraintReports;
import io.xscore.support.problem.JsonFields;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.Set;

/**
 * How the gateway's constraint validators report, and which of several violations a caller is told about.
 * <p>
 * A validator's message is built from the offending value, so it is passed through as literal text: the braces,
 * dollar signs and backslashes a caller may have put in a model name are escaped, never interpolated.
 */
public final class Violations {

    private Violations() {
    }

    /**
     * Validates {@code value} (its default group sequence) and throws the first violation as an
     * {@link InvalidRequestException}: the field as the shared problem mapping names it ({@link JsonFields#ofViolation}),
     * the violation's message as the detail.
     */
    public static <T> T requireValid(Validator validator, T value) {
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            ConstraintViolation<T> first = first(violations);
            throw new InvalidRequestException(JsonFields.ofViolation(first), first.getMessage());
        }
        return value;
    }

    /** Reports {@code message} as the only violation (see {@link ConstraintReports}); returns false. */
    public static boolean report(ConstraintValidatorContext context, String message) {
        return ConstraintReports.report(context, message);
    }

    /** Reports {@code message} about {@code field} from a class-level constraint; returns false. */
    public static boolean report(ConstraintValidatorContext context, String field, String message) {
        return ConstraintReports.report(context, field, message);
    }

    /**
     * The violation a caller is told about: the one at the lowest list index (the first unknown model, not any),
     * then by path. The checks run in the order of the validated type's group sequence, so every violation of a
     * validation is one of the same step.
     */
    public static <T> ConstraintViolation<T> first(Set<ConstraintViolation<T>> violations) {
        return violations.stream()
                .min(Comparator.comparingInt((ConstraintViolation<T> v) -> index(v.getPropertyPath()))
                        .thenComparing(v -> v.getPropertyPath().toString()))
                .orElseThrow();
    }

    private static int index(Path path) {
        for (Path.Node node : path) {
            if (node.getIndex() != null) {
                return node.getIndex();
            }
        }
        return -1;
    }

    /** {@code text} as a message template that interpolates to itself. */
    static String literal(String text) {
        return ConstraintReports.literal(text);
    }
}
