package io.xscore.dataset.format;

import java.util.List;

/**
 * The deterministic shuffles behind the seeded splits, written out so that they do not depend on a JDK's
 * {@code java.util.Random}/{@code SplittableRandom} implementation: SplitMix64 (Steele, Lea, Flood 2014: state +=
 * 0x9E3779B97F4A7C15, then the variant-13 finaliser) drives a Fisher–Yates shuffle that walks i from n-1 down to 1
 * and swaps i with j = floor(u * (i + 1)), where u is the top 53 bits of the next output divided by 2^53.
 */
public final class SeededShuffle {

    private long state;

    public SeededShuffle(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public int nextInt(int bound) {
        double u = (nextLong() >>> 11) * 0x1.0p-53;
        return (int) (u * bound);
    }

    /** Shuffles {@code list} in place. */
    public <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            T tmp = list.get(i);
            list.set(i, list.get(j));
            list.set(j, tmp);
        }
    }
}
