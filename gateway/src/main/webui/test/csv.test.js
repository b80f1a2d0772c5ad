import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, toCsv } from '../src/lib/csv.js';
import { parseRoute, routeHash } from '../src/lib/route.js';

test('CSV quotes commas, quotes and line breaks; numbers stay numbers', () => {
  const csv = toCsv([{ key: 'model', label: 'Model' }, { key: 'x', label: 'xScore' }],
    [{ model: 'a,b', x: 0.5 }, { model: 'say "hi"', x: null }, { model: 'two\nlines', x: -1 }]);
  assert.equal(csv, 'Model,xScore\r\n"a,b",0.5\r\n"say ""hi""",\r\n"two\nlines",-1\r\n');
});

test('a text cell a spreadsheet would run as a formula is defused', () => {
  assert.equal(csvField('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
  assert.equal(csvField('-2'), "'-2");
  assert.equal(csvField(-2), '-2');
  assert.equal(csvField(Number.NaN), '');
});

test('routes round-trip through the URL fragment', () => {
  const hash = routeHash('leaderboard', { protocol: 'paper-v1', lambda: 0.75, kind: '' });
  assert.equal(hash, '#/leaderboard?protocol=paper-v1&lambda=0.75');
  assert.deepEqual(parseRoute(hash), { page: 'leaderboard', params: { protocol: 'paper-v1', lambda: '0.75' } });
  assert.deepEqual(parseRoute(''), { page: '', params: {} });
  assert.deepEqual(parseRoute('#/evaluation?id=a%20b'), { page: 'evaluation', params: { id: 'a b' } });
});
