package io.xscore.trainer.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.util.Pair;
import io.xscore.trainer.model.blocks.Activations;
import io.xscore.trainer.model.blocks.LayerScale;
import io.xscore.trainer.model.blocks.MultiHeadSelfAttention;
import io.xscore.trainer.model.blocks.RepBranches;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The architecture elements of one model (the paper's Table 6 columns), read off the initialised block rather than
 * written by hand.
 *
 * @param isotropic              every convolution after the stem works at one resolution (no down-sampling stages)
 * @param stages                 number of distinct feature-map resolutions the convolutions work at
 * @param channelAttention       squeeze-and-excitation (or another channel gate) is present
 * @param selfAttention          multi-head self-attention is present
 * @param largestDepthwiseKernel largest kernel side of a depthwise convolution (0: none)
 * @param norms                  normalisation layers present ("BatchNorm", "LayerNorm")
 * @param activations            activation functions present, most used first
 * @param extras                 other distinguishing elements (re-parameterisable branches, layer scale, ...)
 */
public record ArchitectureElements(boolean isotropic, int stages, boolean channelAttention, boolean selfAttention,
                                   int largestDepthwiseKernel, List<String> norms, List<String> activations,
                                   List<String> extras) {

    /** Elements of an initialised block; {@code extras} are the design notes the walk cannot see. */
    public static ArchitectureElements of(Block block, List<String> extras) {
        Walk walk = new Walk();
        walk.visit(block);
        List<String> activations = new ArrayList<>(walk.activations.keySet());
        activations.sort((a, b) -> walk.activations.get(b) - walk.activations.get(a));
        List<String> all = new ArrayList<>(walk.extras);
        for (String e : extras) {
            if (!all.contains(e)) {
                all.add(e);
            }
        }
        Set<Long> resolutions = new TreeSet<>(walk.resolutions.subList(Math.min(1, walk.resolutions.size()),
                walk.resolutions.size()));
        return new ArchitectureElements(resolutions.size() <= 1, new TreeSet<>(walk.resolutions).size(),
                walk.squeeze, walk.attention, walk.depthwiseKernel, List.copyOf(walk.norms), List.copyOf(activations),
                List.copyOf(all));
    }

    /** One row of the Table 6 view: element name → value, for this model. */
    public Map<String, String> tableRow() {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("design", isotropic ? "isotropic" : "staged (" + stages + " resolutions)");
        row.put("channel attention / SE", channelAttention ? "yes" : "no");
        row.put("self-attention", selfAttention ? "yes" : "no");
        row.put("largest depthwise kernel", largestDepthwiseKernel == 0 ? "-"
                : largestDepthwiseKernel + "×" + largestDepthwiseKernel);
        row.put("normalisation", String.join(" + ", norms));
        row.put("activation", String.join(", ", activations));
        row.put("other", String.join(", ", extras));
        return row;
    }

    private static final class Walk {
        final List<Long> resolutions = new ArrayList<>();
        final Set<String> norms = new LinkedHashSet<>();
        final Map<String, Integer> activations = new LinkedHashMap<>();
        final Set<String> extras = new LinkedHashSet<>();
        boolean squeeze;
        boolean attention;
        int depthwiseKernel;

        void visit(Block block) {
            if (block instanceof Conv2d conv) {
                Shape in = conv.getInputShapes()[0];
                Shape weight = conv.getParameters().get("weight").getArray().getShape();
                long h = conv.getOutputShapes(conv.getInputShapes())[0].get(2);
                if (h > 1) {
                    resolutions.add(h);
                }
                if (weight.get(1) == 1 && in.get(1) > 1 && weight.get(2) > 1) {
                    depthwiseKernel = (int) Math.max(depthwiseKernel, Math.max(weight.get(2), weight.get(3)));
                }
            } else if (block instanceof BatchNorm) {
                norms.add("BatchNorm");
            } else if (block instanceof LayerNorm) {
                norms.add("LayerNorm");
            } else if (block instanceof MultiHeadSelfAttention) {
                attention = true;
            } else if (block instanceof RepBranches) {
                extras.add("re-parameterisable branches");
            } else if (block instanceof LayerScale) {
                extras.add("layer scale");
            } else if (block instanceof LambdaBlock lambda) {
                String name = lambda.getName();
                if ("squeeze".equals(name)) {
                    squeeze = true;
                } else if ("channelShuffle".equals(name)) {
                    extras.add("channel shuffle");
                }
                for (Activations a : Activations.values()) {
                    if (a.name().equalsIgnoreCase(name)) {
                        activations.merge(a.label(), 1, Integer::sum);
                    }
                }
            }
            for (Pair<String, Block> child : block.getChildren()) {
                visit(child.getValue());
            }
        }
    }
}
