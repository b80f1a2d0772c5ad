package io.xscore.augment;

import java.util.function.DoubleSupplier;

/**
 * The plasma fractal behind {@code fog}: the reference's {@code plasma_fractal(mapsize, wibbledecay)}
 * ({@code hendrycks/robustness}, itself a modification of FLHerne/mapgen's {@code diamondsquare.py}), step for step.
 * A square map of side n (a power of two) starts at 0 in the corner; while the step s ≥ 2, a square step sets each
 * square's centre to the mean of its four corners plus noise, and a diamond step sets each edge midpoint to the mean of
 * its four diamond neighbours plus noise, with indices wrapping around the map ({@code np.roll}, so the map is
 * toroidal); then s halves and the noise scale w (100 at the start) is divided by {@code wibbledecay}. The noise is
 * {@code w · U(−w, w)}, amplitude w², as the reference writes it. The map is finally shifted to minimum 0 and divided
 * by its maximum, so it spans [0, 1].
 */
final class PlasmaFractal {

    private PlasmaFractal() {
    }

    /**
     * The n×n map (row-major), drawing its uniforms in the reference's order: per level, the square step's (n/s)²
     * values, then the diamond step's two arrays of (n/s)² values (top edges, then left edges), each in row-major
     * order; {@code uniform} gives values on [0, 1) and U(−w, w) = −w + 2w·u as numpy's {@code uniform}.
     */
    static double[] generate(int n, double wibbleDecay, DoubleSupplier uniform) {
        if (n < 2 || (n & (n - 1)) != 0) {
            throw new IllegalArgumentException("map size must be a power of two ≥ 2: " + n);
        }
        double[] map = new double[n * n];
        double wibble = 100;
        for (int step = n; step >= 2; step /= 2) {
            int half = step / 2;
            int m = n / step; // grid points per axis at this level
            // square step: the centre of each square from its four corners
            double[] centre = new double[m * m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    double below = map[i * step * n + j * step] + map[((i + 1) % m) * step * n + j * step];
                    double right = map[i * step * n + ((j + 1) % m) * step]
                            + map[((i + 1) % m) * step * n + ((j + 1) % m) * step];
                    centre[i * m + j] = wibbledMean(below + right, wibble, uniform);
                }
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    map[(i * step + half) * n + j * step + half] = centre[i * m + j];
                }
            }
            // diamond step: the top edge midpoints (row i·s, column j·s + s/2), then the left ones (i·s + s/2, j·s)
            double[] top = new double[m * m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    double centres = centreAt(map, n, step, i, j) + centreAt(map, n, step, (i - 1 + m) % m, j);
                    double corners = map[i * step * n + j * step] + map[i * step * n + ((j + 1) % m) * step];
                    top[i * m + j] = wibbledMean(centres + corners, wibble, uniform);
                }
            }
            double[] left = new double[m * m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    double centres = centreAt(map, n, step, i, j) + centreAt(map, n, step, i, (j - 1 + m) % m);
                    double corners = map[i * step * n + j * step] + map[((i + 1) % m) * step * n + j * step];
                    left[i * m + j] = wibbledMean(centres + corners, wibble, uniform);
                }
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    map[i * step * n + j * step + half] = top[i * m + j];
                    map[(i * step + half) * n + j * step] = left[i * m + j];
                }
            }
            wibble /= wibbleDecay;
        }
        double min = Double.POSITIVE_INFINITY;
        for (double v : map) {
            min = Math.min(min, v);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < map.length; i++) {
            map[i] -= min;
            max = Math.max(max, map[i]);
        }
        for (int i = 0; i < map.length; i++) {
            map[i] /= max;
        }
        return map;
    }

    private static double centreAt(double[] map, int n, int step, int i, int j) {
        return map[(i * step + step / 2) * n + j * step + step / 2];
    }

    /** The reference's {@code wibbledmean}: sum/4 + w·U(−w, w). */
    private static double wibbledMean(double sum, double wibble, DoubleSupplier uniform) {
        return sum / 4 + wibble * (-wibble + (wibble - -wibble) * uniform.getAsDouble());
    }

    /** The smallest power of two ≥ {@code side} (at least 2). */
    static int mapSizeFor(int side) {
        int n = 2;
        while (n < side) {
            n *= 2;
        }
        return n;
    }
}
