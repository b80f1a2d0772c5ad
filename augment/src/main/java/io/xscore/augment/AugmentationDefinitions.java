package io.xscore.augment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.xscore.common.hash.Sha256;
import io.xscore.common.json.Json;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical definition of a training augmentation pipeline, and its digest, which is part of a job's identity
 * ({@code io.xscore.common.protocol.JobIds}): what {@link Augmentation#forJob} resolves for a protocol's
 * {@code augmentation} and a dataset, written as JSON with sorted keys listing every transform in order with all its
 * parameters. The parameters of the transform records ({@link RandomResizedCrop}, {@link RandAugment} with its op
 * space, {@link ColorJitter}, {@link RandomErasing}) are read from their record components, so a new or changed
 * parameter changes the definition without anyone remembering to; the flip probability is
 * {@link Augmentation#FLIP_PROBABILITY}. A change to how a transform is computed that no parameter shows (its code)
 * must bump {@link #DEFINITION_VERSION}.
 */
public final class AugmentationDefinitions {

    /** Bump when a transform's implementation changes in a way its parameters do not show. */
    public static final int DEFINITION_VERSION = 1;

    private static final ObjectMapper CANONICAL = Json.MAPPER.copy()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private AugmentationDefinitions() {
    }

    /** The canonical definition of the pipeline {@code augmentation} ("light", "paper") resolves to for a dataset. */
    public static String canonical(String augmentation, String dataset) {
        return canonical(Augmentation.forJob(augmentation, dataset));
    }

    /** SHA-256 (64 hex digits) of {@link #canonical(String, String)}. */
    public static String digest(String augmentation, String dataset) {
        return Sha256.hex(canonical(augmentation, dataset));
    }

    /** SHA-256 (64 hex digits) of {@link #canonical(Augmentation)}. */
    public static String digest(Augmentation pipeline) {
        return Sha256.hex(canonical(pipeline));
    }

    /**
     * The canonical JSON of a training pipeline: {@code definitionVersion}, {@code pipeline} (its name),
     * {@code train} (the transforms in the order they run, each {@code {"op": ..., parameters...}}),
     * {@code resample} and {@code test} (how images reach the training resolution and how test images are
     * transformed). Throws {@link IllegalArgumentException} for a pipeline it cannot describe.
     */
    public static String canonical(Augmentation pipeline) {
        Map<String, Object> def = new TreeMap<>();
        def.put("definitionVersion", DEFINITION_VERSION);
        List<Object> train = new ArrayList<>();
        if (pipeline == Augmentation.LIGHT) {
            def.put("pipeline", "light");
            train.add(op("RandomResizedCrop", RandomResizedCrop.BENCHMARK));
            train.add(flip());
        } else if (pipeline instanceof PaperPipeline paper) {
            def.put("pipeline", paper.name());
            train.add(paper.randomCrop() ? op("RandomResizedCrop", paper.crop())
                    : new TreeMap<>(Map.of("op", "Resize")));
            train.add(flip());
            for (ImageOp imageOp : paper.ops()) {
                train.add(imageOp(imageOp));
            }
            if (paper.erasing() != null) {
                train.add(op("RandomErasing", paper.erasing()));
            }
        } else {
            throw new IllegalArgumentException("no canonical definition for the augmentation pipeline '"
                    + pipeline.description() + "'");
        }
        def.put("train", train);
        def.put("resample", "bilinear, half-pixel centres, no antialiasing, grey replicated to RGB");
        def.put("test", "resize + centre square crop, no flip");
        try {
            return CANONICAL.writeValueAsString(def);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("augmentation definition cannot be written", e);
        }
    }

    private static Map<String, Object> flip() {
        Map<String, Object> m = new TreeMap<>();
        m.put("op", "HorizontalFlip");
        m.put("p", Augmentation.FLIP_PROBABILITY);
        return m;
    }

    private static Map<String, Object> imageOp(ImageOp op) {
        if (op instanceof RandAugment ra) {
            Map<String, Object> m = op("RandAugment", ra);
            List<Object> space = new ArrayList<>();
            for (RandAugment.Op o : RandAugment.Op.values()) {
                Map<String, Object> entry = new TreeMap<>();
                entry.put("op", o.name());
                entry.put("max", o.max);
                entry.put("signed", o.signed);
                space.add(entry);
            }
            m.put("space", space);
            m.put("interpolation", "nearest");
            m.put("fill", 0);
            return m;
        }
        if (op instanceof Record r) {
            return op(op.getClass().getSimpleName(), r);
        }
        throw new IllegalArgumentException("no canonical definition for the image op " + op);
    }

    /** {@code {"op": name, <record component>: value, ...}}. */
    private static Map<String, Object> op(String name, Record params) {
        Map<String, Object> m = new TreeMap<>();
        m.put("op", name);
        for (RecordComponent c : params.getClass().getRecordComponents()) {
            try {
                m.put(c.getName(), c.getAccessor().invoke(params));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + name + "." + c.getName(), e);
            }
        }
        return m;
    }
}
