package io.xscore.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.xscore.common.catalog.ModelCatalog;
import io.xscore.trainer.model.blocks.MacCounter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;

/**
 * Builds every model id that {@link ModelCatalog} accepts — the eleven architectures of docs/benchmark.md §4, the ≈ 2.5 M
 * variants {@code fbnet-2.5m} and {@code mobilevit-2.5m}, {@code mobilevit-global}, ExMobileViT as published (three
 * widths, global or the authors' fixed-window pooling), and {@code convmixer-<dim>-<depth>} — for any
 * number of classes and input resolution, and describes them ({@link ModelInfo}: exact trainable parameters, MACs per
 * image at the resolution, architecture elements).
 *
 * <p>Adding a model: its line in {@link ModelCatalog} (id, description, family) and its {@link Registration} here
 * (id, builder); a new family also needs its {@link ModelFamily} constant (design notes). ModelZooTest fails when the
 * catalog and the registrations disagree.
 */
public final class ModelRegistry {

    public static final int KERNEL = 5;

    /** ShuffleNetV2 stages of the benchmark. */
    private static final int[] SHUFFLE_REPEATS = {4, 8, 4};
    private static final int[] SHUFFLE_CHANNELS = {192, 360, 600};

    private static final Map<String, ModelInfo> INFO_CACHE = new ConcurrentHashMap<>();

    private ModelRegistry() {
    }

    /** What an id resolves to, before any weights exist. */
    public record ModelSpec(String id, String family, String description, int classes, int resolution) {

        /** Input shape for a batch: NCHW with 3 channels. */
        public Shape inputShape(int batch) {
            return new Shape(batch, 3, resolution, resolution);
        }
    }

    /**
     * Everything known about one model at a number of classes and a resolution.
     *
     * @param parameters exact trainable parameters (BatchNorm running statistics excluded)
     * @param macs       multiply-accumulates of one forward pass of one image ({@link MacCounter})
     */
    public record ModelInfo(String id, String family, String description, int classes, int resolution,
                            long parameters, long macs, ArchitectureElements elements) {
    }

    /** Resolves an id; throws {@link UnknownModelException} for ids outside the catalog. */
    public static ModelSpec spec(String id, int classes, int resolution) {
        ModelCatalog.ModelInfo info = ModelCatalog.find(id)
                .orElseThrow(() -> new UnknownModelException("unknown model '" + id + "'"));
        if (classes < 1 || resolution < 8) {
            throw new IllegalArgumentException("bad classes " + classes + " or resolution " + resolution);
        }
        return new ModelSpec(id, info.family(), info.description(), classes, resolution);
    }

    /**
     * How the trainer builds one fixed {@link ModelCatalog} id. The catalog (common, free of DJL) holds the id, its
     * description and its family; this is the only other place an id appears. ModelZooTest
     * ({@code everyCatalogIdHasExactlyOneRegistration}) fails when a catalog id has no registration or a registration
     * no catalog id.
     */
    public record Registration(String id, Function<ModelSpec, Block> builder) {
    }

    /** One entry per fixed catalog id, in catalog order. */
    private static final List<Registration> REGISTRATIONS = List.of(
            new Registration("convmixer", s -> convMixer(512, 8, s)),
            new Registration("efficientnet",
                    s -> EfficientNet.build(EfficientNet.truncated(), 1.0, 4 * 256, s.classes())),
            new Registration("mobilenet", s -> MobileNetV2.build(s.classes(), 1.0)),
            new Registration("shufflenet",
                    s -> ShuffleNetV2.build(s.classes(), SHUFFLE_REPEATS, SHUFFLE_CHANNELS, 1024)),
            new Registration("ghostnet", s -> GhostNet.build(s.classes())),
            new Registration("tinynet", s -> TinyNet.build(s.classes())),
            new Registration("mobileone", s -> MobileOne.s0(s.classes())),
            new Registration("fbnet", s -> FBNet.build(s.classes(), 1.0)),
            new Registration("fbnet-2.5m", s -> FBNet.build(s.classes(), FBNet.BUDGET_WIDTH)),
            new Registration("convnext",
                    s -> ConvNeXt.build(s.classes(), new int[] {32, 64, 128, 512}, new int[] {1, 1, 1, 1}, 0.1f)),
            new Registration("mobilevit", s -> MobileViT.build(MobileViT.S, s.classes())),
            new Registration("mobilevit-2.5m", s -> MobileViT.build(MobileViT.BUDGET, s.classes())),
            new Registration("starnet", s -> StarNet.s1(s.classes())),
            new Registration("mobilevit-global", s -> MobileViT.build(MobileViT.S, s.classes(), 1)),
            new Registration("exmobilevit", s -> exMobileViT(ExMobileViT.W928, ExMobileViT.Pooling.GLOBAL, s)),
            new Registration("exmobilevit-576", s -> exMobileViT(ExMobileViT.W576, ExMobileViT.Pooling.GLOBAL, s)),
            new Registration("exmobilevit-640", s -> exMobileViT(ExMobileViT.W640, ExMobileViT.Pooling.GLOBAL, s)),
            new Registration("exmobilevit-928", s -> exMobileViT(ExMobileViT.W928, ExMobileViT.Pooling.GLOBAL, s)),
            new Registration("exmobilevit-576-fixedpool",
                    s -> exMobileViT(ExMobileViT.W576, ExMobileViT.Pooling.CORNER, s)),
            new Registration("exmobilevit-640-fixedpool",
                    s -> exMobileViT(ExMobileViT.W640, ExMobileViT.Pooling.CORNER, s)),
            new Registration("exmobilevit-928-fixedpool",
                    s -> exMobileViT(ExMobileViT.W928, ExMobileViT.Pooling.CORNER, s)),
            new Registration("convmixer-256-8", s -> convMixer(256, 8, s)));

    private static final Map<String, Registration> BY_ID = index(REGISTRATIONS);

    /** The ids with a registration, in registration order. */
    public static List<String> registeredIds() {
        return List.copyOf(BY_ID.keySet());
    }

    /**
     * A new block of the spec's model: the id's registration, or for {@code convmixer-<dim>-<depth>} (the catalog's
     * open-ended family, bounds checked by {@link #spec}) a ConvMixer of that width and depth.
     */
    public static Block build(ModelSpec spec) {
        Registration registration = BY_ID.get(spec.id());
        if (registration != null) {
            return registration.builder().apply(spec);
        }
        Matcher m = ModelCatalog.CONVMIXER_CUSTOM.matcher(spec.id());
        if (!m.matches()) {
            throw new UnknownModelException("no registration for model '" + spec.id() + "'");
        }
        return convMixer(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), spec);
    }

    private static Block exMobileViT(ExMobileViT.Taps taps, ExMobileViT.Pooling pooling, ModelSpec spec) {
        return ExMobileViT.build(taps, pooling, spec.classes());
    }

    private static Block convMixer(int dim, int depth, ModelSpec spec) {
        return ConvMixer.builder().dim(dim).depth(depth).kernel(KERNEL).patch(ConvMixer.patchFor(spec.resolution()))
                .classes(spec.classes()).build();
    }

    private static Map<String, Registration> index(List<Registration> registrations) {
        Map<String, Registration> map = new LinkedHashMap<>();
        for (Registration r : registrations) {
            if (map.put(r.id(), r) != null) {
                throw new IllegalStateException("model '" + r.id() + "' is registered twice");
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** Trainable parameters (BatchNorm running statistics excluded) of an initialised block. */
    public static long trainableParameters(Block block) {
        long total = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                total += p.getValue().getArray().getShape().size();
            }
        }
        return total;
    }

    /** Exact trainable parameter count of an id, by building and initialising it on a scratch manager. */
    public static long parameterCount(String id, int classes, int resolution) {
        return info(id, classes, resolution).parameters();
    }

    /**
     * Parameters, MACs per image and architecture elements of an id (built once on a scratch manager with a batch of
     * one, then cached per id, classes and resolution).
     */
    public static ModelInfo info(String id, int classes, int resolution) {
        return INFO_CACHE.computeIfAbsent(id + "/" + classes + "@" + resolution, key -> {
            ModelSpec spec = spec(id, classes, resolution);
            Block block = build(spec);
            try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                block.initialize(manager, DataType.FLOAT32, spec.inputShape(1));
                return new ModelInfo(id, spec.family(), spec.description(), classes, resolution,
                        trainableParameters(block), MacCounter.count(block),
                        ArchitectureElements.of(block, ModelFamily.of(spec.family()).notes()));
            }
        });
    }

    /** {@link #info} of every fixed catalog id, in catalog order. */
    public static List<ModelInfo> all(int classes, int resolution) {
        List<ModelInfo> out = new ArrayList<>();
        for (ModelCatalog.ModelInfo m : ModelCatalog.fixed()) {
            out.add(info(m.id(), classes, resolution));
        }
        return out;
    }

    /**
     * The paper's Table 6 view computed from the element records: element name → (model id → value), for the given
     * models (typically {@link ModelCatalog#BENCHMARK_ELEVEN}).
     */
    public static Map<String, Map<String, String>> elementsTable(List<String> ids, int resolution) {
        Map<String, Map<String, String>> table = new LinkedHashMap<>();
        for (String id : ids) {
            for (Map.Entry<String, String> e : info(id, 10, resolution).elements().tableRow().entrySet()) {
                table.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()).put(id, e.getValue());
            }
        }
        return table;
    }

    public static class UnknownModelException extends IllegalArgumentException {
        public UnknownModelException(String message) {
            super(message);
        }
    }
}
