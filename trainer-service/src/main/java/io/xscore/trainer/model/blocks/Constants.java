package io.xscore.trainer.model.blocks;

import ai.djl.ndarray.NDArray;

/**
 * Constants for arithmetic inside forward passes. DJL's scalar overloads ({@code NDArray.mul(Number)}, {@code div},
 * {@code minimum}, ...) wrap the constant in a tensor over a Java direct buffer and close it at once; autograd keeps
 * the native tensor (its backward needs the value), but the buffer can then be garbage-collected and its memory
 * reused before backward runs, which silently reads garbage: gradients of 1e35 or NaN through attention, wrongly
 * routed gradients through ReLU6 ({@code ConstantsSurviveGcTest} reproduces it). A constant made here is an array
 * attached to the input's manager, so it lives until that manager closes — in training, the step's sub-manager,
 * after backward.
 */
public final class Constants {

    private Constants() {
    }

    /** {@code value} as a scalar array on {@code like}'s manager and device. */
    public static NDArray of(NDArray like, float value) {
        return like.getManager().create(value).toDevice(like.getDevice(), false);
    }
}
