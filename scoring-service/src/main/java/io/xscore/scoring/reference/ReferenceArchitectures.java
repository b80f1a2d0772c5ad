package io.xscore.scoring.reference;

import java.util.Map;
import java.util.Optional;

/**
 * Where a reference row and the zoo's model of the same id are different architectures, the note each leaderboard
 * entry carries, so that a result placed beside a reference row says which network it came from. Today one id: the
 * paper's MobileViT row was trained with its authors' simplified MobileViT (every block attends over all feature-map
 * tokens, no unfold into patches), while the zoo's {@code mobilevit} is a cvnets-style MobileViT-S; neither the
 * authors' form nor a parameter-exact reconstruction of it is in the zoo (docs/benchmark.md, the model section).
 */
public final class ReferenceArchitectures {

    private static final Map<String, String> REFERENCE_ROW = Map.of("mobilevit",
            "reference row: the paper authors' simplified MobileViT (attention over all feature-map tokens, no "
                    + "patches; 4,667,562 parameters at 10 classes), not the zoo's mobilevit");

    private static final Map<String, String> ZOO_MODEL = Map.of("mobilevit",
            "the zoo's mobilevit is a cvnets-style MobileViT-S (4,944,042 parameters at 10 classes), not the "
                    + "reference row's simplified MobileViT");

    private ReferenceArchitectures() {
    }

    /** The note of the reference row {@code model}, if its architecture differs from the zoo's. */
    public static Optional<String> referenceRow(String model) {
        return Optional.ofNullable(REFERENCE_ROW.get(model));
    }

    /** The note of an evaluated {@code model} whose id names a reference row of another architecture. */
    public static Optional<String> zooModel(String model) {
        return Optional.ofNullable(ZOO_MODEL.get(model));
    }

    /** {@code first} and {@code second} joined with "; ", either may be null. */
    public static String join(String first, String second) {
        return first == null ? second : second == null ? first : first + "; " + second;
    }
}
