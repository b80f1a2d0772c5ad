import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kendallTauB, linearFit, paretoFront } from '../src/lib/stats.js';

test('Kendall tau-b: identical, reversed and one swapped pair', () => {
  assert.equal(kendallTauB([1, 2, 3, 4], [1, 2, 3, 4]), 1);
  assert.equal(kendallTauB([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  // one discordant pair of 6: (5 - 1) / 6
  assert.ok(Math.abs(kendallTauB([1, 2, 3, 4], [1, 2, 4, 3]) - 4 / 6) < 1e-12);
});

test('Kendall tau-b with ties uses the tie-corrected denominator', () => {
  // x = [1,1,2,3], y = [1,2,3,3]: pairs (0,1) tied in x, (2,3) tied in y, the other 4 concordant.
  // tau-b = 4 / sqrt((6-1)(6-1)) = 0.8 (scipy.stats.kendalltau gives 0.8 as well)
  assert.ok(Math.abs(kendallTauB([1, 1, 2, 3], [1, 2, 3, 3]) - 0.8) < 1e-12);
  assert.equal(kendallTauB([1, 1], [1, 2]), null);
  assert.equal(kendallTauB([1], [1]), null);
  assert.throws(() => kendallTauB([1, 2], [1]));
});

test('least-squares line through exact points', () => {
  const fit = linearFit([1, 2, 3], [3, 5, 7]);
  assert.ok(Math.abs(fit.slope - 2) < 1e-12 && Math.abs(fit.intercept - 1) < 1e-12);
  assert.equal(linearFit([1, 1], [2, 3]), null);
});

test('Pareto front keeps the points no other point beats on both cost and value', () => {
  const points = [{ m: 'a', x: 1, y: 0.5 }, { m: 'b', x: 2, y: 0.9 }, { m: 'c', x: 3, y: 0.8 }, { m: 'd', x: 4, y: 0.95 }];
  assert.deepEqual(paretoFront(points).map((p) => p.m), ['a', 'b', 'd']);
});
