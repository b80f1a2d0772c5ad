package io.xscore.trainer.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.xscore.common.hash.Sha256;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The definition digest of an initialised model: SHA-256 of a canonical walk of its block tree. For every block, in
 * order: its path, its class, a lambda block's name, its output shapes for the initialised input, its parameters
 * (name, shape, trainable or not), and the values of the scalar fields of the block's own classes (kernel sizes,
 * strides, drop rates, epsilons, flags: the hyper-parameters a builder sets that no shape shows). Two builds of the
 * same definition give the same digest; changing a block, a shape, a stride or a drop rate changes it, so a job whose
 * model definition changed gets a new job id (see {@code io.xscore.common.catalog.ModelDefinitions}).
 *
 * <p>What it cannot see: code inside a lambda (an activation swapped inside the same named {@link LambdaBlock}) and
 * the bodies of {@code forward} methods. Those changes need a new block name or class to be caught.
 */
public final class ModelDigest {

    private ModelDigest() {
    }

    /** The canonical text that is hashed (one line per block, parameter and field). */
    public static String canonical(Block initialised, Shape input) {
        StringBuilder out = new StringBuilder();
        walk("model", initialised, new Shape[] {input}, out);
        return out.toString();
    }

    public static String digest(Block initialised, Shape input) {
        return Sha256.hex(canonical(initialised, input));
    }

    private static void walk(String path, Block block, Shape[] inputs, StringBuilder out) {
        out.append(path).append(' ').append(block.getClass().getName());
        if (block instanceof LambdaBlock lambda) {
            out.append(" name=").append(lambda.getName());
        }
        Shape[] in = block.isInitialized() && block.getInputShapes() != null ? block.getInputShapes() : inputs;
        try {
            out.append(" out=");
            for (Shape s : block.getOutputShapes(in)) {
                out.append(s);
            }
        } catch (RuntimeException e) {
            out.append("?");
        }
        out.append('\n');
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            Parameter parameter = p.getValue();
            out.append(path).append(" param ").append(p.getKey()).append(' ')
                    .append(parameter.isInitialized() ? parameter.getArray().getShape() : "uninitialised")
                    .append(parameter.requiresGradient() ? " trainable" : " frozen").append('\n');
        }
        for (String field : scalarFields(block)) {
            out.append(path).append(" field ").append(field).append('\n');
        }
        for (Pair<String, Block> child : block.getChildren()) {
            walk(path + "/" + child.getKey(), child.getValue(), in, out);
        }
    }

    /** name=value of every non-static scalar field declared by the block's classes (not java.* ones), sorted. */
    private static List<String> scalarFields(Block block) {
        List<String> fields = new ArrayList<>();
        for (Class<?> c = block.getClass(); c != null && !c.getName().startsWith("java."); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic() || !scalar(f.getType())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    Object value = f.get(block);
                    fields.add(c.getSimpleName() + "." + f.getName() + "=" + value);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    fields.add(c.getSimpleName() + "." + f.getName() + "=<unreadable>");
                }
            }
        }
        fields.sort(Comparator.naturalOrder());
        return fields;
    }

    private static boolean scalar(Class<?> type) {
        return type.isPrimitive() || type == String.class || type.isEnum() || type == Shape.class
                || Number.class.isAssignableFrom(type) || type == Boolean.class;
    }
}
