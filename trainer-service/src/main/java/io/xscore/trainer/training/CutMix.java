package io.xscore.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.xscore.common.protocol.Seeds;
import java.util.Random;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.Well19937c;

/**
 * CutMix (Yun et al. 2019) on every training batch, as docs/benchmark.md §3 and the reference code do it:
 * λ ~ Beta(α, α); a box of side √(1−λ)·side (per axis, truncated to whole pixels) around a uniformly random centre,
 * clipped at the borders; the partner of each image is given by a random permutation of the batch; λ is recomputed
 * from the clipped box area; targets are {@code λ·smooth(y_a) + (1−λ)·smooth(y_b)}. The pixel and target mixing are
 * NDArray operations, so they run on the model's device.
 */
public final class CutMix {

    /** The box mask goes through one reused direct buffer (see {@link UploadBuffer}), not a new one per step. */
    private final UploadBuffer maskUpload = new UploadBuffer();
    private final BetaDistribution beta;
    private final Random random;

    /** @param seed seeds both the Beta sampler (Cheng's algorithm in commons-math3) and box/permutation draws */
    public CutMix(double alpha, long seed) {
        this.beta = new BetaDistribution(new Well19937c(seed), alpha, alpha);
        this.random = new Random(seed ^ 0x5DEECE66DL);
    }

    /** The pasted region [y1, y2) × [x1, x2) and the λ (share of the original image) that its area implies. */
    public record Box(int y1, int y2, int x1, int x2, double lambda) {
        public int area() {
            return (y2 - y1) * (x2 - x1);
        }
    }

    /** Samples the box for a λ with centre (cy, cx): pure arithmetic, as in the reference implementation. */
    public static Box box(int height, int width, double lambda, int cy, int cx) {
        double cutRatio = Math.sqrt(1 - lambda);
        int cutH = (int) (height * cutRatio);
        int cutW = (int) (width * cutRatio);
        int y1 = clamp(cy - cutH / 2, height);
        int y2 = clamp(cy + cutH / 2, height);
        int x1 = clamp(cx - cutW / 2, width);
        int x2 = clamp(cx + cutW / 2, width);
        double adjusted = 1 - (double) (y2 - y1) * (x2 - x1) / ((double) height * width);
        return new Box(y1, y2, x1, x2, adjusted);
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    /** A mixed batch: images (N, C, H, W), targets (N, K), the dominant label of each sample, and the box. */
    public record Mixed(NDArray images, NDArray targets, int[] dominantLabels, Box box, int[] permutation) {
    }

    /** The random part of one batch: λ and box, then the partner permutation, in this order. */
    private record Draw(Box box, int[] permutation) {
    }

    private Draw draw(int n, int h, int w) {
        double lambda = beta.sample();
        Box box = box(h, w, lambda, random.nextInt(h), random.nextInt(w));
        return new Draw(box, Seeds.permutation(n, random));
    }

    /**
     * Consumes exactly the draws that {@link #apply} makes for a batch of {@code n} images of {@code h}×{@code w}
     * without mixing anything: a run resumed inside an epoch replays the batches already trained, so the generators
     * stand where they stood in the uninterrupted run (no generator state needs to be saved).
     */
    public void skip(int n, int h, int w) {
        draw(n, h, w);
    }

    /**
     * Mixes a batch. {@code images} is (N, C, H, W) float32; new arrays are attached to {@code manager}.
     */
    public Mixed apply(NDManager manager, NDArray images, int[] labels, int classes, double smoothing) {
        Shape s = images.getShape();
        int n = (int) s.get(0);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        Draw d = draw(n, h, w);
        Box box = d.box();
        int[] perm = d.permutation();
        int[] partner = new int[n];
        long[] permLong = new long[n];
        for (int i = 0; i < n; i++) {
            partner[i] = labels[perm[i]];
            permLong[i] = perm[i];
        }
        float[] mask = new float[h * w];
        for (int y = box.y1(); y < box.y2(); y++) {
            for (int x = box.x1(); x < box.x2(); x++) {
                mask[y * w + x] = 1f;
            }
        }
        NDArray maskArray = maskUpload.upload(manager, mask, new Shape(1, 1, h, w)).toDevice(images.getDevice(), false);
        NDArray permArray = manager.create(permLong).toDevice(images.getDevice(), false);
        NDArray partners = images.get(new NDIndex("{}", permArray));
        NDArray mixed = images.mul(maskArray.neg().add(1)).add(partners.mul(maskArray));
        NDArray ta = SoftTargets.smooth(SoftTargets.labels(manager, labels).toDevice(images.getDevice(), false),
                classes, smoothing);
        NDArray tb = SoftTargets.smooth(SoftTargets.labels(manager, partner).toDevice(images.getDevice(), false),
                classes, smoothing);
        NDArray targets = ta.mul(box.lambda()).add(tb.mul(1 - box.lambda()));
        int[] dominant = box.lambda() >= 0.5 ? labels.clone() : partner;
        return new Mixed(mixed, targets, dominant, box, perm);
    }

}
