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
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A JSON value, when present, that is one of the given strings. */
@Documented
@Target({FIELD, PARAMETER})
@Retention(RUNTIME)
@Constraint(validatedBy = OneOf.Check.class)
public @interface OneOf {

    /** The field's name, as the messages say it. */
    String name();

    String[] values();

    String message() default "must be one of the allowed values";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<OneOf, JsonNode> {

        private String name;
        private List<String> values;

        @Override
        public void initialize(OneOf annotation) {
            name = annotation.name();
            values = Arrays.asList(annotation.values());
        }

        @Override
        public boolean isValid(JsonNode value, ConstraintValidatorContext context) {
            return value == null || value.isTextual() && values.contains(value.asText())
                    || Violations.report(context, name + " must be "
                            + values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(" or "))
                            + ", got " + Violations.describe(value));
        }
    }
}
