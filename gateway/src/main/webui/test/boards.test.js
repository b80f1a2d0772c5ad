import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extremes, heatColour, severityMeans } from '../src/lib/boards.js';

function luminance(rgb) {
  return rgb.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
}

test('every heat-map cell has text at WCAG AA contrast (4.5:1)', () => {
  for (let i = 0; i <= 100; i++) {
    const { background, color } = heatColour(i / 100);
    const bg = luminance(background.match(/\d+/g).map(Number));
    const fg = color === '#ffffff' ? 1 : 0;
    const ratio = (Math.max(bg, fg) + 0.05) / (Math.min(bg, fg) + 0.05);
    assert.ok(ratio >= 4.5, `t = ${i / 100}: ${background} with ${color} is ${ratio.toFixed(2)}:1`);
  }
});

test('each dataset\'s best and worst cells, ties all marked, missing cells ignored', () => {
  const rows = [
    { model: 'a', accuracies: { x: { mean: 90 }, y: { mean: 50 } } },
    { model: 'b', accuracies: { x: { mean: 80 }, y: { mean: 60 } } },
    { model: 'c', accuracies: { x: { mean: 90 } } },
  ];
  const e = extremes(rows, ['x', 'y', 'z']);
  assert.deepEqual(e.x, { lo: 80, hi: 90, best: ['a', 'c'], worst: ['b'] });
  assert.deepEqual(e.y, { lo: 50, hi: 60, best: ['b'], worst: ['a'] });
  assert.equal(e.z, undefined);
});

test('corruption accuracy is averaged over the corruptions at each severity', () => {
  const corruptions = { accuracy: {
    'gaussian_noise/1': { d: 80 }, 'contrast/1': { d: 70 }, 'gaussian_noise/2': { d: 60 }, 'contrast/2': { d: 50 },
    'frost-procedural/2': { e: 10 } } };
  assert.deepEqual(severityMeans(corruptions, 'd'), [{ severity: 1, mean: 75 }, { severity: 2, mean: 55 }]);
  assert.deepEqual(severityMeans(undefined, 'd'), []);
});
