package io.xscore.trainer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.xscore.trainer.training.TrainingCancelledException;
import org.junit.jupiter.api.Test;

/** Failure reasons put into FAILED results, including a real native out-of-memory from PyTorch's allocator. */
class FailureReasonTest {

    @Test
    void nativeOutOfMemoryIsNamedAndTheEngineStaysUsable() {
        DjlEnvironment.configure(2);
        try (NDManager manager = NDManager.newBaseManager()) {
            // 2^40 floats = 4 TiB: the allocator refuses it at once
            RuntimeException e = assertThrows(RuntimeException.class, () -> manager.zeros(new Shape(1L << 40)));
            String reason = TrainingJobService.reason(e);
            assertTrue(reason.startsWith("out of memory: "), reason);
            assertEquals(6f, manager.create(new float[] {1, 2, 3}).sum().getFloat(), "the engine still works");
        }
    }

    @Test
    void otherReasons() {
        assertEquals("out of memory: Java heap space", TrainingJobService.reason(new OutOfMemoryError("Java heap space")));
        assertEquals("out of memory: CUDA out of memory. Tried to allocate 2.00 GiB",
                TrainingJobService.reason(new IllegalStateException("CUDA out of memory. Tried to allocate 2.00 GiB")));
        assertEquals("cancelled by request: user request",
                TrainingJobService.reason(new TrainingCancelledException("user request")));
        assertEquals("cancelled by request", TrainingJobService.reason(new TrainingCancelledException("")));
        assertEquals("NullPointerException", TrainingJobService.reason(new NullPointerException()));
        assertEquals(2001, TrainingJobService.reason(new IllegalArgumentException("x".repeat(5000))).length());
    }
}
