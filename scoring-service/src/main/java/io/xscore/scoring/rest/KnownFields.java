package io.xscore.scoring.rest;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The xScore request's body has no fields but {@link XScoreRequest#FIELDS}: a class-level constraint because an
 * unknown field has no property of its own; the violation names it. The first unknown one in body order is reported.
 */
@Documented
@Target(TYPE)
@Retention(RUNTIME)
@Constraint(validatedBy = KnownFields.Check.class)
public @interface KnownFields {

    String message() default "unknown field";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<KnownFields, XScoreRequest> {
        @Override
        public boolean isValid(XScoreRequest request, ConstraintValidatorContext context) {
            for (String name : request == null ? java.util.List.<String>of() : request.fields()) {
                if (!XScoreRequest.FIELDS.contains(name)) {
                    return Violations.report(context, name, "unknown field '" + name + "'; allowed: "
                            + String.join(", ", XScoreRequest.FIELDS));
                }
            }
            return true;
        }
    }
}
