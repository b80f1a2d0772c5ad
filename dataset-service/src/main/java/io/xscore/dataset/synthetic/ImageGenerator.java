package io.xscore.dataset.synthetic;

import java.util.SplittableRandom;

/** Draws one RGB image of a class; all randomness comes from {@code rnd}, so equal seeds give equal bytes. */
public interface ImageGenerator {

    int classes();

    /**
     * Writes {@code size x size x 3} bytes (HWC, RGB) of an image of class {@code label} at {@code out[offset..]}.
     */
    void render(int label, SplittableRandom rnd, int size, byte[] out, int offset);
}
