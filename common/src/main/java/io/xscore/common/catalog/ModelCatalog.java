package io.xscore.common.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model ids the platform accepts, the single list of them: the gateway uses this catalog to reject unknown models
 * before any job is queued. This module stays free of DJL, so how an id is built lives in the trainer: each fixed id
 * here has exactly one {@code ModelRegistry.Registration} (id, builder) there, and each family one {@code ModelFamily}
 * (design notes); the trainer's {@code ModelZooTest.everyCatalogIdHasExactlyOneRegistration} fails when they disagree.
 * Adding a model is its line here plus its registration in the trainer.
 *
 * <p>The fixed ids are the eleven architectures of docs/benchmark.md §4 (two of them also as a ≈ 2.5 M variant where the
 * reference configuration exceeds the budget), MobileViT with global attention ({@code mobilevit-global}), ExMobileViT
 * as published ({@code exmobilevit-<576|640|928>[-fixedpool]}, {@code exmobilevit} = {@code exmobilevit-928}), and a
 * small ConvMixer for benchmarks. Besides them,
 * {@code convmixer-<dim>-<depth>} names a ConvMixer of any width and depth within bounds (kernel 5, patch chosen from
 * the resolution), which is how demos and benchmarks pick small configurations.
 *
 * <p>Ids starting with {@code mobilevit} or {@code exmobilevit} get MobileViT's learning rate in the paper protocol
 * ({@code lrMaxByModel} matches an id or its {@code <key>-} prefix).
 */
public final class ModelCatalog {

    /**
     * Common start of the ExMobileViT descriptions: the authors' MobileViT-S (vit-pytorch style: 4 heads of 8, FFN
     * 2d/4d/4d) with 1×1 conv-BN-SiLU taps on stages 3, 4 and 5 pooled into a bias-free classifier.
     */
    private static final String EX = "ExMobileViT (arXiv 2309.01310, authors' code EmPasLab/ExMobileVIT) on the "
            + "authors' MobileViT-S: 1×1 conv taps on stages 3, 4, 5 pooled and concatenated into the classifier; ";

    /** {@code convmixer-<dim>-<depth>}: dim 8..1024, depth 1..32. */
    public static final Pattern CONVMIXER_CUSTOM = Pattern.compile("convmixer-(\\d{1,4})-(\\d{1,2})");

    private static final Map<String, ModelInfo> MODELS = index(
            new ModelInfo("convmixer", "ConvMixer-512/8, kernel 5, patch 7 at 224 / 5 at 160 (docs/benchmark.md §4)",
                    "convmixer"),
            new ModelInfo("efficientnet", "EfficientNet-B0 MBConv stack (SE, SiLU) truncated at 80→192×3, 192→256, "
                    + "head 1024 (≈ 2.57 M)", "efficientnet"),
            new ModelInfo("mobilenet", "MobileNetV2 width 1.0 (inverted residuals, linear bottlenecks, ReLU6)",
                    "mobilenet"),
            new ModelInfo("shufflenet", "ShuffleNetV2 units with channel shuffle, stages 192/360/600 × 4/8/4, head "
                    + "1024", "shufflenet"),
            new ModelInfo("ghostnet", "GhostNetV3-style ghost bottlenecks (re-parameterisable branches, DFC "
                    + "attention, SE 0.25) truncated at 192 channels, 720 1×1, 1280 head", "ghostnet"),
            new ModelInfo("tinynet", "EfficientNet-B0 definition with depth multiplier 0.5, SE 0.25, Swish, 1280 head",
                    "tinynet"),
            new ModelInfo("mobileone", "MobileOne-S0 (train-time multi-branch, re-parameterisable)", "mobileone"),
            new ModelInfo("fbnet", "FBNet-C 1.0 (timm fbnetc_100 reference, ≈ 3.61 M: above the budget)", "fbnet"),
            new ModelInfo("fbnet-2.5m", "FBNet-C width-scaled ×0.8 to the ≈ 2.5 M budget", "fbnet"),
            new ModelInfo("convnext", "ConvNeXt dims 32/64/128/512, one block per stage, 7×7 depthwise, LayerNorm, "
                    + "GELU, layer scale", "convnext"),
            new ModelInfo("mobilevit", "MobileViT-S as in cvnets (transformer dims 144/192/240, 2×2 patches, "
                    + "2/4/3 layers, 4 heads, FFN ×2; above the budget). Not the reference row's model: that is a "
                    + "simplified global-attention MobileViT of 4,667,562 parameters", "mobilevit"),
            new ModelInfo("mobilevit-2.5m", "MobileViT XS-like at the ≈ 2.5 M budget (dims 112/144/176)",
                    "mobilevit"),
            new ModelInfo("starnet", "StarNet-S1 (base 24, depths 2/2/8/3, star operation, 7×7 depthwise)",
                    "starnet"),
            new ModelInfo("mobilevit-global", "mobilevit with 1×1 patches: every MobileViT block attends over all "
                    + "H·W positions, the reference row's attention pattern (its other details unconfirmed: "
                    + "4,944,042 parameters, the reference model has 4,667,562)", "mobilevit"),
            new ModelInfo("exmobilevit", "Alias of exmobilevit-928: ExMobileViT-928 as published (arXiv "
                    + "2309.01310), global pooling", "exmobilevit"),
            new ModelInfo("exmobilevit-576", EX + "576 (taps 32/64/480), global average pooling", "exmobilevit"),
            new ModelInfo("exmobilevit-640", EX + "640 (taps 32/128/480), global average pooling", "exmobilevit"),
            new ModelInfo("exmobilevit-928", EX + "928 (taps 128/160/640), global average pooling", "exmobilevit"),
            new ModelInfo("exmobilevit-576-fixedpool", EX + "576 with the authors' code's pooling: top-left 25/32 "
                    + "and 9/16 windows of the stage-3 and stage-4 maps", "exmobilevit"),
            new ModelInfo("exmobilevit-640-fixedpool", EX + "640 with the authors' code's pooling: top-left 25/32 "
                    + "and 9/16 windows of the stage-3 and stage-4 maps", "exmobilevit"),
            new ModelInfo("exmobilevit-928-fixedpool", EX + "928 with the authors' code's pooling: top-left 25/32 "
                    + "and 9/16 windows of the stage-3 and stage-4 maps", "exmobilevit"),
            new ModelInfo("convmixer-256-8", "ConvMixer-256/8, kernel 5 (the trainer benchmark's model)", "convmixer"));

    /** The eleven architectures of docs/benchmark.md §4, by their reference ids. */
    public static final List<String> BENCHMARK_ELEVEN = List.of("convmixer", "efficientnet", "mobilenet",
            "shufflenet", "ghostnet", "tinynet", "mobileone", "fbnet", "convnext", "mobilevit", "starnet");

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

    /**
     * @param family the architecture family: groups ids of one architecture (e.g. {@code fbnet}, {@code fbnet-2.5m})
     *               and names the trainer's {@code ModelFamily}; the builder is picked by the id's registration
     */
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
