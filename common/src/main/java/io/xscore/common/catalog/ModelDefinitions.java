package io.xscore.common.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.xscore.common.hash.Sha256;
import io.xscore.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * What the trainer's model definitions are, known without building them: per fixed catalog id its definition digest
 * (a hash of the block structure, parameter shapes and block hyper-parameters, see the trainer's {@code ModelDigest}),
 * its trainable parameters at 10 classes and its MACs per image at the resolutions the datasets use.
 *
 * <p>Read from {@code models/model-definitions.json}, which is generated from the real DJL blocks by the trainer's
 * {@code ModelDefinitionsTest}; that test fails when a model definition no longer matches the file, so a changed
 * definition cannot ship with a stale digest (regenerate with {@code -Dxscore.models.write=true}). The gateway uses the
 * digest in job identities and the MACs in its cost estimates.
 *
 * <p>{@code convmixer-<dim>-<depth>} ids are open-ended: their digest combines the reference ConvMixer's digest (which
 * changes with the ConvMixer builder) with the id (which fixes width and depth), and their MACs follow the ConvMixer
 * formula {@link #convMixerMacs}, which the same test checks against the blocks.
 */
public final class ModelDefinitions {

    /** Where the generated file lives on the classpath. */
    public static final String RESOURCE = "models/model-definitions.json";

    /**
     * One model's definition.
     *
     * @param digest           SHA-256 (64 hex) of the definition at 10 classes and {@link #digestResolution()} px
     * @param parameters       trainable parameters at 10 classes
     * @param macsByResolution multiply-accumulates of one forward pass of one image, by input resolution
     */
    public record ModelDefinition(String id, String family, String digest, long parameters,
                                  SortedMap<Integer, Long> macsByResolution) {

        /**
         * MACs per image at a resolution: exact where generated, otherwise scaled from the nearest generated
         * resolution by the pixel ratio (convolutional cost grows with the number of pixels).
         */
        public long macs(int resolution) {
            Long exact = macsByResolution.get(resolution);
            if (exact != null) {
                return exact;
            }
            int nearest = macsByResolution.firstKey();
            for (int r : macsByResolution.keySet()) {
                if (Math.abs(r - resolution) < Math.abs(nearest - resolution)) {
                    nearest = r;
                }
            }
            double ratio = (double) resolution * resolution / ((double) nearest * nearest);
            return Math.round(macsByResolution.get(nearest) * ratio);
        }
    }

    private static final Table TABLE = load();

    private ModelDefinitions() {
    }

    /** The definition of a catalog id, or empty for ids outside the catalog. */
    public static Optional<ModelDefinition> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        ModelDefinition fixed = TABLE.models.get(id);
        if (fixed != null) {
            return Optional.of(fixed);
        }
        Matcher m = ModelCatalog.CONVMIXER_CUSTOM.matcher(id);
        ModelDefinition reference = TABLE.models.get("convmixer");
        if (!m.matches() || !ModelCatalog.exists(id) || reference == null) {
            return Optional.empty();
        }
        int dim = Integer.parseInt(m.group(1));
        int depth = Integer.parseInt(m.group(2));
        SortedMap<Integer, Long> macs = new TreeMap<>();
        for (int r : reference.macsByResolution().keySet()) {
            macs.put(r, convMixerMacs(dim, depth, 10, r));
        }
        String digest = Sha256.hex("convmixer-custom|" + reference.digest() + "|" + id);
        return Optional.of(new ModelDefinition(id, "convmixer", digest, convMixerParameters(dim, depth, 10),
                Collections.unmodifiableSortedMap(macs)));
    }

    /** Every fixed id's definition, in file order. */
    public static Map<String, ModelDefinition> fixed() {
        return TABLE.models;
    }

    /** The resolution the digests were taken at. */
    public static int digestResolution() {
        return TABLE.digestResolution;
    }

    /** ConvMixer's patch size at a resolution (the trainer's choice: 7 from 192 px, 5 from 128, 4 from 64, else 2). */
    public static int convMixerPatch(int resolution) {
        return resolution >= 192 ? 7 : resolution >= 128 ? 5 : resolution >= 64 ? 4 : 2;
    }

    /**
     * MACs of ConvMixer-dim/depth (kernel 5) per image: patch embedding g²·3·p²·dim, per layer a depthwise g²·dim·25
     * and a pointwise g²·dim², and the classifier dim·classes, with g = ⌊r/p⌋ (the MAC convention: convolutions and
     * linear layers only).
     */
    public static long convMixerMacs(int dim, int depth, int classes, int resolution) {
        int p = convMixerPatch(resolution);
        long g = resolution / p;
        long cells = g * g;
        return cells * 3L * p * p * dim + depth * (cells * dim * 25L + cells * dim * (long) dim) + (long) dim * classes;
    }

    /**
     * Trainable parameters of ConvMixer-dim/depth (kernel 5) at a number of classes: patch embedding (3·p²·dim + dim)
     * and its BatchNorm (2·dim); per layer depthwise (25·dim + dim), BatchNorm, pointwise (dim² + dim), BatchNorm; the
     * classifier (dim·classes + classes). The patch size does not change the count at the resolutions where it is 7;
     * this uses the 224 px patch, like the digests.
     */
    public static long convMixerParameters(int dim, int depth, int classes) {
        int p = convMixerPatch(TABLE.digestResolution);
        long embed = 3L * p * p * dim + dim + 2L * dim;
        long layer = 25L * dim + dim + 2L * dim + (long) dim * dim + dim + 2L * dim;
        return embed + depth * layer + (long) dim * classes + classes;
    }

    private record Table(int digestResolution, Map<String, ModelDefinition> models) {
    }

    private static Table load() {
        try (InputStream in = ModelDefinitions.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            JsonNode root = Json.MAPPER.readTree(in);
            Map<String, ModelDefinition> models = new LinkedHashMap<>();
            for (JsonNode m : root.path("models")) {
                SortedMap<Integer, Long> macs = new TreeMap<>();
                m.path("macs").fields().forEachRemaining(e -> macs.put(Integer.parseInt(e.getKey()),
                        e.getValue().asLong()));
                String id = m.path("id").asText();
                models.put(id, new ModelDefinition(id, m.path("family").asText(), m.path("digest").asText(),
                        m.path("parameters").asLong(), Collections.unmodifiableSortedMap(macs)));
            }
            return new Table(root.path("digestResolution").asInt(224), Collections.unmodifiableMap(models));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
