package io.xscore.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One direct buffer, reused for every batch upload of a run. {@code NDManager.create(float[])} copies each batch into
 * a fresh direct ByteBuffer that is only freed when the garbage collector gets to it, so with a large, quiet heap
 * native memory grows by about a batch per step until the next collection (measured: +2.3 MiB per epoch of a tiny
 * model in bursts). Uploading through this buffer allocates nothing per step. The tensor made from it may alias the
 * buffer (PyTorch's from_blob), so an upload is only valid until the next one: the loop creates each batch in a
 * step's sub-manager, which is closed before the next batch is uploaded. The CutMix and RandomErasing masks use one
 * each the same way.
 */
final class UploadBuffer {

    private ByteBuffer buffer;

    /** A float32 array of the given shape in {@code manager}, holding {@code values[0 .. shape.size())}. */
    NDArray upload(NDManager manager, float[] values, Shape shape) {
        int count = Math.toIntExact(shape.size());
        if (buffer == null || buffer.capacity() < count * 4) {
            buffer = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder());
        }
        ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
        view.clear().limit(count * 4);
        view.asFloatBuffer().put(values, 0, count);
        return manager.create(view, shape, DataType.FLOAT32);
    }
}
