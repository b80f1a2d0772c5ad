package io.xscore.trainer.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.xscore.common.catalog.ModelCatalog;
import java.util.regex.Matcher;

/**
 * Builds every model id that {@link ModelCatalog} accepts: {@code convmixer} (ConvMixer-512/8, BENCHMARK.md §4) and
 * {@code convmixer-<dim>-<depth>}; kernel 5 and the patch from {@link ConvMixer#patchFor(int)}.
 */
public final class ModelRegistry {

    public static final int KERNEL = 5;

    private ModelRegistry() {
    }

    /** What an id resolves to, before any weights exist. */
    public record ModelSpec(String id, String family, int dim, int depth, int kernel, int patch, int classes,
                            int resolution) {

        public String description() {
            return "ConvMixer-" + dim + "/" + depth + ", kernel " + kernel + ", patch " + patch + ", " + classes
                    + " classes at " + resolution + " px";
        }

        /** Input shape for a batch of one: NCHW with 3 channels. */
        public Shape inputShape(int batch) {
            return new Shape(batch, 3, resolution, resolution);
        }
    }

    /** Resolves an id; throws {@link UnknownModelException} for ids outside the catalog. */
    public static ModelSpec spec(String id, int classes, int resolution) {
        ModelCatalog.ModelInfo info = ModelCatalog.find(id)
                .orElseThrow(() -> new UnknownModelException("unknown model '" + id + "'"));
        if (!"convmixer".equals(info.family())) {
            throw new UnknownModelException("model family '" + info.family() + "' of '" + id
                    + "' has no builder in this trainer");
        }
        int dim;
        int depth;
        Matcher m = ModelCatalog.CONVMIXER_CUSTOM.matcher(id);
        if (m.matches()) {
            dim = Integer.parseInt(m.group(1));
            depth = Integer.parseInt(m.group(2));
        } else if ("convmixer".equals(id)) {
            dim = 512;
            depth = 8;
        } else {
            throw new UnknownModelException("no builder for model '" + id + "'");
        }
        return new ModelSpec(id, info.family(), dim, depth, KERNEL, ConvMixer.patchFor(resolution), classes,
                resolution);
    }

    public static Block build(ModelSpec spec) {
        return ConvMixer.builder().dim(spec.dim()).depth(spec.depth()).kernel(spec.kernel()).patch(spec.patch())
                .classes(spec.classes()).build();
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
        ModelSpec spec = spec(id, classes, resolution);
        Block block = build(spec);
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, spec.inputShape(1));
            return trainableParameters(block);
        }
    }

    public static class UnknownModelException extends IllegalArgumentException {
        public UnknownModelException(String message) {
            super(message);
        }
    }
}
