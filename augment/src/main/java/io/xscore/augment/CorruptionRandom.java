package io.xscore.augment;

/**
 * The random stream of the seeded corruptions: SplitMix64 (the generator behind the JDK's {@code SplittableRandom},
 * written out here so that a seed replays the same corruption on any JDK and platform: the transcendental functions
 * are {@link StrictMath}'s). It is not numpy's Mersenne Twister or PCG64, so a seeded corruption is replayable by its
 * seed but never bit-identical to the reference's output for any numpy seed.
 */
final class CorruptionRandom {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;
    private boolean haveGaussian;
    private double nextGaussian;

    /** A stream for {@code seed}; the seed is mixed once so that nearby seeds give unrelated streams. */
    CorruptionRandom(long seed) {
        this.state = mix(seed);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform on [0, 1) with 53 random bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform on {@code [0, bound)}, unbiased (rejection of the top partial range). */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long b = bound;
        long limit = Long.remainderUnsigned(-b, b); // 2^64 mod b: draws below it are rejected
        while (true) {
            long r = nextLong();
            if (Long.compareUnsigned(r, limit) >= 0) {
                return (int) Long.remainderUnsigned(r, b);
            }
        }
    }

    /** numpy's {@code randint(low, high)}: uniform on {@code [low, high)}, the upper end excluded. */
    int nextInt(int low, int high) {
        return low + nextInt(high - low);
    }

    /** Standard normal by Box–Muller (both values of a pair used in turn). */
    double nextGaussian() {
        if (haveGaussian) {
            haveGaussian = false;
            return nextGaussian;
        }
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 == 0);
        double u2 = nextDouble();
        double r = StrictMath.sqrt(-2 * StrictMath.log(u1));
        double theta = 2 * Math.PI * u2;
        nextGaussian = r * StrictMath.sin(theta);
        haveGaussian = true;
        return r * StrictMath.cos(theta);
    }

    /**
     * Poisson(λ) by numpy's algorithms (not its stream): for λ &lt; 10 the product of uniforms against e^−λ; for λ ≥ 10
     * Hörmann's transformed rejection with squeeze (PTRS, 1993), as numpy's {@code random_poisson_ptrs}.
     */
    long nextPoisson(double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and non-negative: " + lambda);
        }
        if (lambda == 0) {
            return 0;
        }
        if (lambda < 10) {
            double limit = StrictMath.exp(-lambda);
            long k = 0;
            double product = nextDouble();
            while (product > limit) {
                k++;
                product *= nextDouble();
            }
            return k;
        }
        double slam = StrictMath.sqrt(lambda);
        double loglam = StrictMath.log(lambda);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invalpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = nextDouble() - 0.5;
            double v = nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (StrictMath.log(v) + StrictMath.log(invalpha) - StrictMath.log(a / (us * us) + b)
                    <= -lambda + k * loglam - logFactorial(k)) {
                return k;
            }
        }
    }

    private static final double[] LOG_FACTORIAL = new double[1024];

    static {
        for (int k = 2; k < LOG_FACTORIAL.length; k++) {
            LOG_FACTORIAL[k] = LOG_FACTORIAL[k - 1] + StrictMath.log(k);
        }
    }

    /** log k!: a table below 1024, Stirling's series (error far below 1e−12 there) above. */
    static double logFactorial(long k) {
        if (k < LOG_FACTORIAL.length) {
            return LOG_FACTORIAL[(int) k];
        }
        double n = k + 1.0; // log Γ(n)
        double inv = 1 / n;
        double inv2 = inv * inv;
        return (n - 0.5) * StrictMath.log(n) - n + 0.5 * StrictMath.log(2 * Math.PI)
                + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
    }
}
