// Leaderboard: reference and evaluated models ranked by xScore at a chosen λ, each model's rank change against the
// paper's λ = 0.5, filters (protocol, kind, source), and the ranking's stability across λ (Kendall's τ-b).
import { chartFigure } from '../lib/charts.js';
import { dataTable, h, notice, select } from '../lib/dom.js';
import { fixed } from '../lib/format.js';
import { kendallTauB } from '../lib/stats.js';
import { BASE_LAMBDA, LAMBDAS, leaderboard, loadCatalog, protocolOptions, seedLabel } from './shared.js';

export default async function render(params, page) {
  const protocol = params.protocol || 'paper-v1';
  // any λ ≥ 0 (the API takes any); the stability views use the sweep plus the chosen λ
  const asked = params.lambda === undefined || params.lambda === '' ? NaN : Number(params.lambda);
  const lambda = Number.isFinite(asked) && asked >= 0 && asked <= 100 ? asked : BASE_LAMBDA;
  const lambdas = [...new Set([...LAMBDAS, lambda])].sort((a, b) => a - b);
  const kind = params.kind || 'all';
  const source = params.source || 'all';
  const [cat, ...boards] = await Promise.all([loadCatalog(), ...lambdas.map((l) => leaderboard(protocol, l))]);
  const byLambda = new Map(lambdas.map((l, i) => [l, boards[i]]));
  const board = byLambda.get(lambda);
  const base = byLambda.get(BASE_LAMBDA);
  const baseRank = new Map(base.entries.filter((e) => e.rank).map((e) => [e.model, e.rank]));

  const rows = board.entries
    .filter((e) => kind === 'all' || e.kind === kind)
    .filter((e) => source === 'all' || e.source === source)
    .map((e) => ({ ...e, seeds: seedLabel(e),
      rankChange: e.rank && baseRank.has(e.model) ? e.rank - baseRank.get(e.model) : null }));

  const controls = h('div.controls', {},
    select('Protocol', 'protocol', protocolOptions(cat), protocol, (v) => page.update({ protocol: v })),
    h('label.control', { for: 'lambda' }, 'λ (xScore = G − λ·V)',
      h('input#lambda', { type: 'number', min: 0, max: 100, step: 0.05, value: lambda, list: 'lambda-sweep',
        style: { width: '7rem' }, 'aria-describedby': 'lambda-help',
        onchange: (e) => { if (e.target.validity.valid && e.target.value !== '') page.update({ lambda: e.target.value }); } }),
      h('datalist#lambda-sweep', {}, LAMBDAS.map((l) => h('option', { value: l })))),
    h('span#lambda-help.legend', {}, `0.5 is the paper's λ; the sweep is ${LAMBDAS.join(', ')}`),
    select('Kind', 'kind', [{ value: 'all', label: 'all' }, { value: 'full', label: 'full (7 datasets)' },
      { value: 'proxy', label: 'proxy (4 datasets)' }, { value: 'unscored', label: 'unscored' }], kind,
    (v) => page.update({ kind: v })),
    select('Source', 'source', [{ value: 'all' }, { value: 'reference', label: 'reference (published)' },
      { value: 'evaluated', label: 'evaluated here' }], source, (v) => page.update({ source: v })));

  const table = dataTable({
    id: 'leaderboard-table',
    caption: `Ranked by xScore at λ = ${lambda}, protocol ${board.protocol}, scale ${board.scale}`,
    filename: `leaderboard-${board.protocol}-lambda-${lambda}`,
    rowAttrs: (r) => ({ 'data-model': r.model }),
    json: { ...board, entries: rows },
    columns: [
      { key: 'rank', label: 'Rank', numeric: true },
      { key: 'model', label: 'Model', cell: (r) => h('a', { href: `#/models?model=${encodeURIComponent(r.model)}` }, r.model) },
      { key: 'source', label: 'Source' },
      { key: 'kind', label: 'Kind', title: 'full: all 7 datasets; proxy: the 4-dataset linear proxy' },
      { key: 'seeds', label: 'Seeds', numeric: true },
      { key: 'g', label: 'G', numeric: true, format: fixed(4), title: 'mean normalised accuracy' },
      { key: 'v', label: 'V', numeric: true, format: fixed(4), title: 'variance of the normalised accuracies' },
      { key: 'xscore', label: 'xScore', numeric: true, format: fixed(4) },
      { key: 'rankChange', label: `Rank change vs λ = ${BASE_LAMBDA}`, numeric: true, cell: rankChangeCell },
      { key: 'note', label: 'Note' },
    ],
    rows,
  });

  const stability = stabilityOf(byLambda, lambdas);
  const models = base.entries.filter((e) => e.rank).map((e) => e.model);
  const bump = chartFigure({
    id: 'rank-bump', title: 'Rank across λ',
    caption: `Each model's rank at λ ∈ {${lambdas.join(', ')}} (1 = best), protocol ${protocol}.`,
    option: {
      tooltip: { trigger: 'item' },
      legend: { type: 'scroll', bottom: 0 },
      grid: { left: 50, right: 120, top: 20, bottom: 60 },
      xAxis: { type: 'category', name: 'λ', data: lambdas.map(String) },
      yAxis: { type: 'value', name: 'rank', inverse: true, min: 1, max: Math.max(1, models.length), interval: 1 },
      series: models.map((m) => ({
        name: m, type: 'line', symbolSize: 6,
        data: lambdas.map((l) => byLambda.get(l).entries.find((e) => e.model === m)?.rank ?? null),
        endLabel: { show: true, formatter: m },
      })),
    },
  });
  const tauTable = dataTable({
    id: 'stability-table', caption: `Rank stability: Kendall's τ-b of each λ's ranking against λ = ${BASE_LAMBDA}`,
    filename: `rank-stability-${protocol}`,
    columns: [
      { key: 'lambda', label: 'λ', numeric: true },
      { key: 'tau', label: 'Kendall τ-b', numeric: true, format: fixed(4) },
      { key: 'models', label: 'Models ranked at both', numeric: true },
      { key: 'moved', label: 'Models that change rank', numeric: true },
    ],
    rows: stability,
  });
  const unstable = stability.filter((s) => s.moved > 0).length;
  return h('div', {},
    h('h1', {}, 'Leaderboard'),
    h('p', {}, board.paperProtocol
      ? `The 11 reference models of the paper's table and every model evaluated here under ${board.protocol}, on the paper's fixed anchors.`
      : `Models evaluated under ${board.protocol} (not the paper's protocol): anchors recomputed from these models; not comparable with the paper's scale.`),
    controls,
    table,
    (board.notes ?? []).length ? h('section', {}, h('h2', {}, 'Notes'), h('ul', {}, board.notes.map((n) => h('li', {}, n)))) : null,
    h('h2', {}, 'Rank stability across λ'),
    h('p', {}, unstable ? `The ranking changes at ${unstable} of ${lambdas.length - 1} other λ values.`
      : 'The ranking is the same at every λ of the sweep.'),
    board.entries.some((e) => e.rank) ? h('div.grid2', {}, tauTable, bump) : notice('info', 'No ranked models yet.'));
}

function rankChangeCell(row) {
  const d = row.rankChange;
  if (d === null || d === undefined) return '–';
  if (d === 0) return h('span', { 'aria-label': 'unchanged' }, '0');
  return d < 0 ? h('span.up', { 'aria-label': `up ${-d}` }, `▲ ${-d}`) : h('span.down', { 'aria-label': `down ${d}` }, `▼ ${d}`);
}

/** τ-b per λ over the models ranked at both λ and the base λ. */
export function stabilityOf(byLambda, lambdas) {
  const base = byLambda.get(BASE_LAMBDA);
  const baseRanks = new Map(base.entries.filter((e) => e.rank).map((e) => [e.model, e.rank]));
  return lambdas.map((l) => {
    const ranks = byLambda.get(l).entries.filter((e) => e.rank && baseRanks.has(e.model));
    const x = ranks.map((e) => baseRanks.get(e.model));
    const y = ranks.map((e) => e.rank);
    return { lambda: l, tau: kendallTauB(x, y), models: ranks.length,
      moved: ranks.filter((e) => e.rank !== baseRanks.get(e.model)).length };
  });
}
