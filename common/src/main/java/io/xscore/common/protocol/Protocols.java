package io.xscore.common.protocol;

import com.fasterxml.jackson.core.type.TypeReference;
import io.xscore.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry of named protocols, read from {@code protocols/index.json} and one JSON file per protocol on the
 * classpath. Applies job-level overrides, which only non-paper protocols accept.
 */
public final class Protocols {

    /** Keys a request may override, with their allowed range. */
    public static final Map<String, int[]> OVERRIDE_RANGES = Map.of(
            "epochs", new int[] {1, 1000},
            "warmupEpochs", new int[] {0, 100},
            "resolution", new int[] {8, 512},
            "trainSubset", new int[] {1, 10_000_000},
            "testSubset", new int[] {1, 10_000_000},
            "batchSize", new int[] {1, 4096});

    private static final Map<String, ProtocolSpec> PROTOCOLS = load();

    private Protocols() {
    }

    public static List<String> names() {
        return List.copyOf(PROTOCOLS.keySet());
    }

    public static boolean exists(String name) {
        return name != null && PROTOCOLS.containsKey(name);
    }

    /** The named protocol as defined, without overrides. */
    public static ProtocolSpec get(String name) {
        ProtocolSpec spec = PROTOCOLS.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("unknown protocol '" + name + "'; known: " + names());
        }
        return spec;
    }

    /**
     * The named protocol with overrides applied. Throws {@link IllegalArgumentException} naming the offending key when
     * an override is unknown, out of range, or given for a paper protocol (whose point is that nothing changes).
     */
    public static ProtocolSpec resolve(String name, Map<String, Integer> overrides) {
        ProtocolSpec base = get(name);
        if (overrides == null || overrides.isEmpty()) {
            return base;
        }
        if (base.paper()) {
            throw new IllegalArgumentException("overrides: protocol '" + name
                    + "' is a paper protocol and cannot be overridden; use a non-paper protocol such as 'quick'");
        }
        Map<String, Integer> sorted = new TreeMap<>();
        for (Map.Entry<String, Integer> e : overrides.entrySet()) {
            int[] range = OVERRIDE_RANGES.get(e.getKey());
            if (range == null) {
                throw new IllegalArgumentException("overrides." + e.getKey() + ": unknown override; allowed: "
                        + new TreeMap<>(OVERRIDE_RANGES).keySet());
            }
            Integer v = e.getValue();
            if (v == null || v < range[0] || v > range[1]) {
                throw new IllegalArgumentException("overrides." + e.getKey() + ": must be between " + range[0]
                        + " and " + range[1] + ", got " + v);
            }
            sorted.put(e.getKey(), v);
        }
        int epochs = sorted.getOrDefault("epochs", base.epochs());
        int warmup = sorted.getOrDefault("warmupEpochs", Math.min(base.warmupEpochs(), Math.max(0, epochs - 1)));
        if (warmup >= epochs) {
            throw new IllegalArgumentException("overrides.warmupEpochs: must be below epochs (" + epochs + ")");
        }
        return new ProtocolSpec(base.name(), base.version(), false, epochs, warmup, base.lrMax(), base.lrMin(),
                base.lrMaxByModel(), sorted.getOrDefault("batchSize", base.batchSize()), base.labelSmoothing(),
                base.cutmixAlpha(), base.adamBeta1(), base.adamBeta2(), base.adamEpsilon(), base.weightDecay(),
                sorted.containsKey("trainSubset") ? sorted.get("trainSubset") : base.trainSubset(),
                sorted.containsKey("testSubset") ? sorted.get("testSubset") : base.testSubset(),
                sorted.containsKey("resolution") ? sorted.get("resolution") : base.resolution(),
                base.augmentation(), Map.copyOf(sorted), base.adversarialTraining());
    }

    private static Map<String, ProtocolSpec> load() {
        Map<String, ProtocolSpec> out = new LinkedHashMap<>();
        for (String name : readResource("protocols/index.json", new TypeReference<List<String>>() {})) {
            ProtocolSpec spec = readResource("protocols/" + name + ".json", new TypeReference<ProtocolSpec>() {});
            if (!name.equals(spec.name())) {
                throw new IllegalStateException("protocols/" + name + ".json declares name " + spec.name());
            }
            if (spec.weightDecay() != 0.0) {
                // recorded only: the paper's Adam has no weight decay and the trainer applies none (ProtocolSpec)
                throw new IllegalStateException("protocols/" + name + ".json: weightDecay must be 0, got "
                        + spec.weightDecay());
            }
            if (spec.adversarialTraining() != null) {
                // the step size the trainer takes is recorded in the resolved protocol, not only the rule for it
                spec = withAdversarialTraining(spec, spec.adversarialTraining().resolved());
            }
            out.put(name, spec);
        }
        return Map.copyOf(out);
    }

    private static ProtocolSpec withAdversarialTraining(ProtocolSpec p, AdversarialTraining adversarial) {
        return new ProtocolSpec(p.name(), p.version(), p.paper(), p.epochs(), p.warmupEpochs(), p.lrMax(), p.lrMin(),
                p.lrMaxByModel(), p.batchSize(), p.labelSmoothing(), p.cutmixAlpha(), p.adamBeta1(), p.adamBeta2(),
                p.adamEpsilon(), p.weightDecay(), p.trainSubset(), p.testSubset(), p.resolution(), p.augmentation(),
                p.overrides(), adversarial);
    }

    private static <T> T readResource(String path, TypeReference<T> type) {
        try (InputStream in = Protocols.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + path);
            }
            return Json.MAPPER.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
