package io.xscore.scoring.rest;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * {@code k}, when given, is an integer between 1 and the number of datasets of the table: class-level (cross-field),
 * because the bound is the table's width. Checked once the table is valid, so every model has the same datasets.
 */
@Documented
@Target(TYPE)
@Retention(RUNTIME)
@Constraint(validatedBy = ProxySubsetSize.Check.class)
public @interface ProxySubsetSize {

    String message() default "k must be between 1 and the number of datasets";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<ProxySubsetSize, XScoreRequest> {
        @Override
        public boolean isValid(XScoreRequest request, ConstraintValidatorContext context) {
            JsonNode k = request == null ? null : request.k();
            if (k == null) {
                return true;
            }
            int columns = request.columns();
            return k.isIntegralNumber() && k.asInt() >= 1 && k.asInt() <= columns || Violations.report(context, "k",
                    "k must be an integer between 1 and the number of datasets (" + columns + "), got "
                            + Violations.describe(k));
        }
    }
}
