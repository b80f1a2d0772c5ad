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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;

/**
 * Builds every model id that {@link ModelCatalog} accepts — the eleven architectures of BENCHMARK.md §4, the ≈ 2.5 M
 * variants {@code fbnet-2.5m} and {@code mobilevit-2.5m}, ExMobileViT, and {@code convmixer-<dim>-<depth>} — for any
 * number of classes and input resolution, and describes them ({@link ModelInfo}: exact trainable parameters, MACs per
 * image at the resolution, architecture elements).
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

    public static Block build(ModelSpec spec) {
        int k = spec.classes();
        return switch (spec.id()) {
            case "convmixer" -> convMixer(512, 8, spec);
            case "efficientnet" -> EfficientNet.build(EfficientNet.truncated(), 1.0, 4 * 256, k);
            case "mobilenet" -> MobileNetV2.build(k, 1.0);
            case "shufflenet" -> ShuffleNetV2.build(k, SHUFFLE_REPEATS, SHUFFLE_CHANNELS, 1024);
            case "ghostnet" -> GhostNet.build(k);
            case "tinynet" -> TinyNet.build(k);
            case "mobileone" -> MobileOne.s0(k);
            case "fbnet" -> FBNet.build(k, 1.0);
            case "fbnet-2.5m" -> FBNet.build(k, FBNet.BUDGET_WIDTH);
            case "convnext" -> ConvNeXt.build(k, new int[] {32, 64, 128, 512}, new int[] {1, 1, 1, 1}, 0.1f);
            case "mobilevit" -> MobileViT.build(MobileViT.S, k);
            case "mobilevit-2.5m" -> MobileViT.build(MobileViT.BUDGET, k);
            case "exmobilevit" -> MobileViT.buildEx(MobileViT.S, k);
            case "starnet" -> StarNet.s1(k);
            default -> {
                Matcher m = ModelCatalog.CONVMIXER_CUSTOM.matcher(spec.id());
                if (!m.matches()) {
                    throw new UnknownModelException("no builder for model '" + spec.id() + "'");
                }
                yield convMixer(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), spec);
            }
        };
    }

    private static Block convMixer(int dim, int depth, ModelSpec spec) {
        return ConvMixer.builder().dim(dim).depth(depth).kernel(KERNEL).patch(ConvMixer.patchFor(spec.resolution()))
                .classes(spec.classes()).build();
    }

    /** Design notes per family that a walk over the blocks cannot see. */
    private static List<String> notes(String family) {
        return switch (family) {
            case "ghostnet" -> List.of("ghost modules", "DFC attention (spatial gate)", "hard-sigmoid SE gate");
            case "starnet" -> List.of("star operation ReLU6(f1)·f2");
            case "exmobilevit" -> List.of("MobileViT unfold/fold", "ExShortcuts into the classifier");
            case "mobilevit" -> List.of("MobileViT unfold/fold");
            case "efficientnet", "tinynet", "convnext" -> List.of("stochastic depth");
            case "mobilenet", "fbnet" -> List.of("inverted residuals");
            case "convmixer" -> List.of("patch embedding");
            default -> List.of();
        };
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
                        ArchitectureElements.of(block, notes(spec.family())));
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
