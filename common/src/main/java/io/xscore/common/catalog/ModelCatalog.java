package io.xscore.common.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model ids the platform accepts. The trainer's model registry must build every id listed here (a test in the
 * trainer checks it); the gateway uses this catalog to reject unknown models before any job is queued.
 *
 * <p>Besides the fixed ids, {@code convmixer-<dim>-<depth>} names a ConvMixer of any width and depth within bounds
 * (kernel 5, patch chosen from the resolution), which is how demos and benchmarks pick small configurations.
 */
public final class ModelCatalog {

    /** {@code convmixer-<dim>-<depth>}: dim 8..1024, depth 1..32. */
    public static final Pattern CONVMIXER_CUSTOM = Pattern.compile("convmixer-(\\d{1,4})-(\\d{1,2})");

    private static final Map<String, ModelInfo> MODELS = index(
            new ModelInfo("convmixer", "ConvMixer-512/8, kernel 5, patch 7 at 224 / 5 at 160 (BENCHMARK.md §4)",
                    "convmixer"),
            new ModelInfo("convmixer-256-8", "ConvMixer-256/8, kernel 5 (the trainer benchmark's model)", "convmixer"));

    private ModelCatalog() {
    }

    public static Optional<ModelInfo> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        ModelInfo fixed = MODELS.get(id);
        if (fixed != null) {
            return Optional.of(fixed);
        }
        Matcher m = CONVMIXER_CUSTOM.matcher(id);
        if (m.matches()) {
            int dim = Integer.parseInt(m.group(1));
            int depth = Integer.parseInt(m.group(2));
            if (dim >= 8 && dim <= 1024 && depth >= 1 && depth <= 32) {
                return Optional.of(new ModelInfo(id, "ConvMixer-" + dim + "/" + depth + ", kernel 5", "convmixer"));
            }
        }
        return Optional.empty();
    }

    public static boolean exists(String id) {
        return find(id).isPresent();
    }

    /** The fixed ids (not the open-ended custom ConvMixer family). */
    public static List<ModelInfo> fixed() {
        return List.copyOf(MODELS.values());
    }

    /** @param family the architecture family, which selects the builder in the trainer */
    public record ModelInfo(String id, String description, String family) {
    }

    private static Map<String, ModelInfo> index(ModelInfo... infos) {
        Map<String, ModelInfo> map = new LinkedHashMap<>();
        for (ModelInfo info : infos) {
            map.put(info.id(), info);
        }
        return map;
    }
}
