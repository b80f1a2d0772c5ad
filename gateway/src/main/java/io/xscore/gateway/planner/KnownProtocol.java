package io.xscore.gateway.planner;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.xscore.common.protocol.Protocols;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** The name of a protocol the platform knows ({@code quick}, {@code pilot}, {@code paper-v1}, ...). */
@Documented
@Target({TYPE_USE, FIELD, PARAMETER})
@Retention(RUNTIME)
@Constraint(validatedBy = KnownProtocol.Check.class)
public @interface KnownProtocol {

    String message() default "unknown protocol";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<KnownProtocol, String> {
        @Override
        public boolean isValid(String protocol, ConstraintValidatorContext context) {
            return protocol == null || Protocols.exists(protocol) || Violations.report(context,
                    "unknown protocol '" + protocol + "'; known: " + Protocols.names());
        }
    }
}
