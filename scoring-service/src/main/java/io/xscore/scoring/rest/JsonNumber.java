package io.xscore.scoring.rest;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.math.BigDecimal;

/**
 * A JSON value, when present, that is a finite number of at least {@link #min()}: not a string that looks like one,
 * not {@code NaN} or {@code Infinity} (which the xScore body's parser reads as numbers so that they can be refused
 * here with the field named).
 */
@Documented
@Target({FIELD, PARAMETER})
@Retention(RUNTIME)
@Constraint(validatedBy = JsonNumber.Check.class)
public @interface JsonNumber {

    /** The field's name, as the messages say it. */
    String name();

    double min();

    String message() default "must be a finite number";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<JsonNumber, JsonNode> {

        private String name;
        private double min;

        @Override
        public void initialize(JsonNumber annotation) {
            name = annotation.name();
            min = annotation.min();
        }

        @Override
        public boolean isValid(JsonNode value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            if (!value.isNumber()) {
                return Violations.report(context, name + " must be a number, got " + Violations.describe(value));
            }
            double number = value.doubleValue();
            return Double.isFinite(number) && number >= min || Violations.report(context, name
                    + " must be a finite number >= " + BigDecimal.valueOf(min).stripTrailingZeros().toPlainString()
                    + ", got " + value.asText());
        }
    }
}
