package io.xscore.gateway.planner;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.xscore.common.catalog.ModelCatalog;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** A model the platform can train: one of the catalog's fixed models or a {@code convmixer-<dim>-<depth>}. */
@Documented
@Target({TYPE_USE, FIELD, PARAMETER})
@Retention(RUNTIME)
@Constraint(validatedBy = KnownModel.Check.class)
public @interface KnownModel {

    String message() default "unknown model";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<KnownModel, String> {
        @Override
        public boolean isValid(String model, ConstraintValidatorContext context) {
            return model == null || ModelCatalog.exists(model) || Violations.report(context, "'" + model
                    + "': unknown model; known: " + ModelCatalog.fixed().stream().map(ModelCatalog.ModelInfo::id)
                    .toList() + " or convmixer-<dim>-<depth>");
        }
    }
}
