package io.xscore.gateway.planner;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.xscore.common.protocol.Protocols;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The request's overrides apply to its protocol: a class-level constraint, because whether an override is allowed
 * and which values it may take depend on the protocol (none under a paper protocol). The rules are common's
 * {@link Protocols#resolve}; its message names the offending key ({@code overrides.epochs: must be between ...}),
 * which becomes the violation's field.
 */
@Documented
@Target(TYPE)
@Retention(RUNTIME)
@Constraint(validatedBy = ResolvableOverrides.Check.class)
public @interface ResolvableOverrides {

    String message() default "overrides do not apply to the protocol";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<ResolvableOverrides, SubmittedRequest> {
        @Override
        public boolean isValid(SubmittedRequest request, ConstraintValidatorContext context) {
            if (request == null) {
                return true;
            }
            try {
                Protocols.resolve(request.protocol(), request.overrides());
                return true;
            } catch (IllegalArgumentException e) {
                String message = e.getMessage();
                int colon = message.indexOf(": ");
                return colon > 0 ? Violations.report(context, message.substring(0, colon), message.substring(colon + 2))
                        : Violations.report(context, "overrides", message);
            }
        }
    }
}
