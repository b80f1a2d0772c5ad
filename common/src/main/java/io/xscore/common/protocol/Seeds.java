package io.xscore.common.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Independent, reproducible random streams derived from a job's seed (SplitMix64 finaliser over seed and name). */
public final class Seeds {

    private Seeds() {
    }

    public static long derive(long seed, String stream) {
        long h = seed;
        for (byte b : stream.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ b);
        }
        return mix(h + 0x9E3779B97F4A7C15L);
    }

    /** The seed of item {@code index} of a stream (e.g. the image at a position of an epoch). */
    public static long derive(long seed, long index) {
        return mix(mix(seed + 0x9E3779B97F4A7C15L * (index + 1)) ^ index);
    }

    /** The engine's seed is an int: the job seed folded to 32 bits. */
    public static int engineSeed(long seed) {
        return (int) (seed ^ (seed >>> 32));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
    public static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
