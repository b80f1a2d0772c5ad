package io.xscore.gateway.planner;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.xscore.common.catalog.DatasetCatalog;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** A dataset of the catalog. */
@Documented
@Target({TYPE_USE, FIELD, PARAMETER})
@Retention(RUNTIME)
@Constraint(validatedBy = KnownDataset.Check.class)
public @interface KnownDataset {

    String message() default "unknown dataset";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<KnownDataset, String> {
        @Override
        public boolean isValid(String dataset, ConstraintValidatorContext context) {
            return dataset == null || DatasetCatalog.exists(dataset) || Violations.report(context, "'" + dataset
                    + "': unknown dataset; known: " + DatasetCatalog.ids());
        }
    }
}
