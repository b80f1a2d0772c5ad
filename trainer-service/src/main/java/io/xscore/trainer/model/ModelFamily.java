package io.xscore.trainer.model;

import java.util.List;
import java.util.Locale;

/**
 * The architecture families of {@link io.xscore.common.catalog.ModelCatalog} (its {@code ModelInfo.family} strings,
 * the constant's name in lower case) with the design notes of {@link ArchitectureElements} that a walk over the blocks
 * cannot see. The family groups ids (e.g. {@code fbnet} and {@code fbnet-2.5m}); it does not pick the builder, each
 * id's registration in {@link ModelRegistry} does. {@code ModelZooTest} fails when a catalog family has no constant
 * here or a constant no catalog id.
 */
public enum ModelFamily {
    CONVMIXER("patch embedding"),
    EFFICIENTNET("stochastic depth"),
    MOBILENET("inverted residuals"),
    SHUFFLENET,
    GHOSTNET("ghost modules", "DFC attention (spatial gate)", "hard-sigmoid SE gate"),
    TINYNET("stochastic depth"),
    MOBILEONE,
    FBNET("inverted residuals"),
    CONVNEXT("stochastic depth"),
    MOBILEVIT("MobileViT unfold/fold"),
    STARNET("star operation ReLU6(f1)·f2"),
    EXMOBILEVIT("MobileViT unfold/fold", "ExShortcuts into the classifier");

    private final List<String> notes;

    ModelFamily(String... notes) {
        this.notes = List.of(notes);
    }

    /** The catalog's name of the family. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Design notes that {@link ArchitectureElements#of} records besides what it finds in the blocks. */
    public List<String> notes() {
        return notes;
    }

    /** The family a catalog family string names; throws {@link IllegalArgumentException} for an unknown one. */
    public static ModelFamily of(String family) {
        for (ModelFamily f : values()) {
            if (f.id().equals(family)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no ModelFamily for catalog family '" + family + "'");
    }
}
