package io.xscore.trainer.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Constants for arithmetic inside forward passes. DJL's scalar overloads ({@code NDArray.mul(Number)}, {@code div},
 * {@code minimum}, ...) wrap the constant in a tensor over a Java direct buffer and close it at once; autograd keeps
 * the native tensor (its backward needs the value), but the buffer can then be garbage-collected and its memory
 * reused before backward runs, which silently reads garbage: gradients of 1e35 or NaN through attention, wrongly
 * routed gradients through ReLU6 ({@code ConstantsSurviveGcTest} reproduces it). A constant made here is a native
 * array attached to the input's manager, so it lives until that manager closes — in training, the step's
 * sub-manager, after backward.
 */
public final class Constants {

    private Constants() {
    }

    /**
     * {@code value} as a float32 scalar on {@code like}'s manager and device, made natively ({@code torch::full}): no Java
     * buffer behind it and, on a GPU, no copy from the host.
     */
    public static NDArray of(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, DataType.FLOAT32).toDevice(like.getDevice(), false);
    }
}
