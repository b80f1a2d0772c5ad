// Statistics the pages compute over what the API answers (pure functions, unit-tested in test/stats.test.js).
// The platform's scores themselves (xScore, G, V, proxy, Pearson/Spearman of the paper's table) come from the scoring
// service; these are only for views the API does not hold, e.g. rank stability of any leaderboard across λ.

/**
 * Kendall's τ-b between two rankings of the same items (ties allowed):
 * τ_b = (C − D) / sqrt((n0 − n1)(n0 − n2)), n0 = n(n−1)/2, n1, n2 the tied pairs in x and in y.
 * null with fewer than 2 items or when either ranking is constant.
 */
export function kendallTauB(x, y) {
  if (x.length !== y.length) throw new Error('kendallTauB: rankings of different length');
  const n = x.length;
  if (n < 2) return null;
  let concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[i] - x[j]);
      const dy = Math.sign(y[i] - y[j]);
      if (dx === 0) tiesX++;
      if (dy === 0) tiesY++;
      if (dx !== 0 && dy !== 0) {
        if (dx === dy) concordant++; else discordant++;
      }
    }
  }
  const n0 = (n * (n - 1)) / 2;
  const denominator = Math.sqrt((n0 - tiesX) * (n0 - tiesY));
  return denominator === 0 ? null : (concordant - discordant) / denominator;
}

/** Ordinary least squares y ≈ intercept + slope·x; null with fewer than 2 distinct x. */
export function linearFit(xs, ys) {
  const n = xs.length;
  if (n < 2) return null;
  const mx = mean(xs), my = mean(ys);
  let sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

export function mean(values) {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * The Pareto front of points that should have a small cost (x) and a high value (y): a point is on it when no other
 * point has cost ≤ and value ≥ with one of them strict. Returns the front's points sorted by cost.
 */
export function paretoFront(points, cost = (p) => p.x, value = (p) => p.y) {
  const front = points.filter((p) => !points.some((q) => q !== p
      && cost(q) <= cost(p) && value(q) >= value(p) && (cost(q) < cost(p) || value(q) > value(p))));
  return front.sort((a, b) => cost(a) - cost(b));
}
