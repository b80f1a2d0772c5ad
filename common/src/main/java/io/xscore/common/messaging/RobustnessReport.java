package io.xscore.common.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the robustness suites measured on a job's final weights, published inside its {@link TrainingResult}. Accuracies
 * are percentages in [0, 100] on the same test images as {@code cleanAccuracy}. Schema
 * {@code schemas/robustness-report.v1.json}.
 *
 * @param spec          the resolved suites that ran
 * @param images        test images evaluated (a class-stratified, seeded subset of the test split, or all of it)
 * @param subset        how they were chosen, e.g. "stratified by class, seed 0, 1000 of 10000"
 * @param cleanAccuracy the unperturbed accuracy on those images (the test transform of the protocol)
 * @param accuracies    one entry per perturbation
 * @param notes         what was skipped and why (e.g. a resolution at or above the model's input size)
 * @param seconds       wall time of the suites
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RobustnessReport(
        RobustnessSpec spec,
        int images,
        String subset,
        double cleanAccuracy,
        List<PerturbedAccuracy> accuracies,
        List<String> notes,
        double seconds) {

    /**
     * Accuracy under one perturbation. The fields of its suite are set, the others absent.
     *
     * @param perturbation its full description, e.g. {@code lr0fm-16@32/pillow-bicubic-antialias},
     *                     {@code fog/3@cifar (platform-generated)}, {@code pgd-linf-10(eps=0.0157, ...)}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PerturbedAccuracy(
            String suite,
            String perturbation,
            double accuracy,
            Integer shorterSide,
            String corruption,
            Integer severity,
            String norm,
            Double epsilon) {

        public static PerturbedAccuracy lowResolution(String description, double accuracy, int shorterSide) {
            return new PerturbedAccuracy(RobustnessSpec.LOW_RESOLUTION, description, accuracy, shorterSide, null,
                    null, null, null);
        }

        public static PerturbedAccuracy corruption(String description, double accuracy, String name, int severity) {
            return new PerturbedAccuracy(RobustnessSpec.CORRUPTIONS, description, accuracy, null, name, severity,
                    null, null);
        }

        public static PerturbedAccuracy pgd(String description, double accuracy, String norm, double epsilon) {
            return new PerturbedAccuracy(RobustnessSpec.PGD, description, accuracy, null, null, null, norm, epsilon);
        }
    }
}
