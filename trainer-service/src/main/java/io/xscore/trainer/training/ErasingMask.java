package io.xscore.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.xscore.augment.RandomErasing;
import java.util.Arrays;

/** RandomErasing on the device: the normalised batch times a (N, 1, H, W) mask that is 0 inside the drawn boxes. */
public final class ErasingMask {

    private ErasingMask() {
    }

    /** The batch (N, C, H, W) with the boxes set to 0; the result is attached to {@code manager}. */
    public static NDArray erase(NDManager manager, NDArray images, RandomErasing.Box[] boxes) {
        return erase(manager, images, boxes, new UploadBuffer());
    }

    /** As above, the mask uploaded through {@code upload} (the loop reuses one per run, see {@link UploadBuffer}). */
    static NDArray erase(NDManager manager, NDArray images, RandomErasing.Box[] boxes, UploadBuffer upload) {
        Shape s = images.getShape();
        int n = (int) s.get(0);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        boolean any = false;
        float[] mask = new float[n * h * w];
        Arrays.fill(mask, 1f);
        for (int i = 0; i < n; i++) {
            RandomErasing.Box b = boxes[i];
            if (b == null) {
                continue;
            }
            any = true;
            for (int y = b.top(); y < b.top() + b.height(); y++) {
                Arrays.fill(mask, i * h * w + y * w + b.left(), i * h * w + y * w + b.left() + b.width(), 0f);
            }
        }
        if (!any) {
            return images;
        }
        NDArray m = upload.upload(manager, mask, new Shape(n, 1, h, w)).toDevice(images.getDevice(), false);
        return images.mul(m);
    }
}
