package io.xscore.augment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xscore.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A named set of per-dataset training pipelines read from the protocol definitions
 * ({@code protocols/augmentations/<name>.json} in the common module): data, not code, so that what a protocol trains
 * each dataset with can be read and reviewed in one file. Transforms are defined once with every parameter and
 * referred to by key; a pipeline names its crop (or {@code null} for a plain resize), its image ops in order and its
 * optional erasing. The file is read strictly: an unknown field, op or transform key fails at load with the path.
 */
public final class PipelineTable {

    private static final Set<String> PIPELINE_FIELDS = Set.of("name", "crop", "imageOps", "erasing");
    /** Every parameter must be given and spelled right: a typo must not leave a parameter at 0. */
    private static final ObjectMapper STRICT = Json.MAPPER.copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private final String name;
    private final Map<String, PaperPipeline> byDataset;
    private final PaperPipeline otherDatasets;

    private PipelineTable(String name, Map<String, PaperPipeline> byDataset, PaperPipeline otherDatasets) {
        this.name = name;
        this.byDataset = byDataset;
        this.otherDatasets = otherDatasets;
    }

    /** The table {@code protocols/augmentations/<name>.json} on the class path. */
    public static PipelineTable load(String name) {
        String resource = "protocols/augmentations/" + name + ".json";
        try (InputStream in = PipelineTable.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no augmentation pipelines '" + name + "' (" + resource + ")");
            }
            return parse(Json.MAPPER.readTree(in), resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    static PipelineTable parse(JsonNode root, String source) {
        String name = text(root, "name", source);
        JsonNode transforms = root.path("transforms");
        Map<String, PaperPipeline> byDataset = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> pipelines = root.path("pipelines").fields();
        while (pipelines.hasNext()) {
            Map.Entry<String, JsonNode> e = pipelines.next();
            byDataset.put(e.getKey(), pipeline(name + "/" + e.getKey(), e.getValue(), transforms,
                    source + " pipelines." + e.getKey()));
        }
        JsonNode other = root.path("otherDatasets");
        PaperPipeline otherDatasets = pipeline(name + "/" + text(other, "name", source + " otherDatasets"), other,
                transforms, source + " otherDatasets");
        return new PipelineTable(name, Map.copyOf(byDataset), otherDatasets);
    }

    public String name() {
        return name;
    }

    /** The pipeline for a dataset: its own entry, else {@code otherDatasets}. */
    public PaperPipeline forDataset(String dataset) {
        return byDataset.getOrDefault(dataset, otherDatasets);
    }

    /** The datasets with an entry of their own. */
    public Set<String> datasets() {
        return byDataset.keySet();
    }

    private static PaperPipeline pipeline(String name, JsonNode p, JsonNode transforms, String where) {
        p.fieldNames().forEachRemaining(f -> {
            if (!PIPELINE_FIELDS.contains(f)) {
                throw new IllegalArgumentException(where + ": unknown field '" + f + "'");
            }
        });
        RandomResizedCrop crop = p.path("crop").isNull() ? null
                : transform(transforms, p.path("crop").asText(), RandomResizedCrop.class, where + ".crop");
        List<ImageOp> ops = new ArrayList<>();
        for (JsonNode key : p.path("imageOps")) {
            JsonNode def = definition(transforms, key.asText(), where + ".imageOps");
            ops.add(switch (def.path("op").asText()) {
                case "RandAugment" -> convert(def, RandAugment.class, where + ".imageOps");
                case "ColorJitter" -> convert(def, ColorJitter.class, where + ".imageOps");
                default -> throw new IllegalArgumentException(where + ".imageOps: '" + key.asText()
                        + "' is not an image op (RandAugment, ColorJitter)");
            });
        }
        RandomErasing erasing = p.hasNonNull("erasing")
                ? transform(transforms, p.path("erasing").asText(), RandomErasing.class, where + ".erasing") : null;
        return new PaperPipeline(name, crop, List.copyOf(ops), erasing);
    }

    private static <T extends Record> T transform(JsonNode transforms, String key, Class<T> type, String where) {
        JsonNode def = definition(transforms, key, where);
        if (!type.getSimpleName().equals(def.path("op").asText())) {
            throw new IllegalArgumentException(where + ": '" + key + "' is a " + def.path("op").asText() + ", not a "
                    + type.getSimpleName());
        }
        return convert(def, type, where);
    }

    private static JsonNode definition(JsonNode transforms, String key, String where) {
        JsonNode def = transforms.get(key);
        if (def == null || !def.isObject()) {
            throw new IllegalArgumentException(where + ": no transform '" + key + "' under \"transforms\"");
        }
        return def;
    }

    private static <T> T convert(JsonNode def, Class<T> type, String where) {
        JsonNode params = def.deepCopy();
        ((ObjectNode) params).remove("op");
        try {
            return STRICT.treeToValue(params, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + type.getSimpleName() + " " + params + ": "
                    + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" is required");
        }
        return v.asText();
    }
}
