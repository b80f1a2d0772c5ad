// The paper's figures from the live table: ImageNette accuracy against xScore with the fit (Fig. 1), the 7-dataset
// against the 4-dataset xScore (Fig. 2), xScore against parameters and MACs with the Pareto front, and the
// architecture-element matrix joined with xScore (Table 6). Paper protocol only: these compare models on the
// paper's fixed scale.
import { get } from '../lib/api.js';
import { chartFigure } from '../lib/charts.js';
import { dataTable, h, notice, select } from '../lib/dom.js';
import { compact, fixed } from '../lib/format.js';
import { linearFit, paretoFront } from '../lib/stats.js';
import { BASE_LAMBDA, LAMBDAS, datasetName, leaderboard } from './shared.js';

const base = (name) => name.replace(/ \(evaluated\)$/, '');

export default async function render(params, page) {
  const lambda = LAMBDAS.includes(Number(params.lambda)) ? Number(params.lambda) : BASE_LAMBDA;
  const q = `lambda=${lambda}`;
  const [board, diagnostics, proxy, models, elements] = await Promise.all([
    leaderboard('paper-v1', lambda), get(`/api/v1/diagnostics?${q}`), get(`/api/v1/proxy-subsets?${q}`),
    get('/api/v1/models'), get('/api/v1/models/elements')]);
  const full = board.entries.filter((e) => e.kind === 'full');
  const controls = h('div.controls', {},
    select('λ', 'lambda', LAMBDAS.map((l) => ({ value: l, label: l === BASE_LAMBDA ? `${l} (paper)` : String(l) })),
      lambda, (v) => page.update({ lambda: v })));
  return h('div', {}, h('h1', {}, 'Figures'),
    h('p', {}, `Protocol paper-v1, λ = ${lambda}: the ${board.reference?.models ?? 11} reference models and every model `
      + 'evaluated here on all seven datasets.'),
    controls,
    h('div.grid2', {}, figure1(full, diagnostics, lambda), figure2(board, proxy, lambda)),
    h('h2', {}, 'Accuracy against cost'),
    h('div.grid2', {}, pareto(full, models, 'parameters', 'Parameters'), pareto(full, models, 'macs', 'MACs per image')),
    h('h2', {}, 'Architecture elements and xScore (Table 6)'),
    elementTable(full, elements, lambda));
}

function figure1(full, diagnostics, lambda) {
  const points = full.filter((e) => e.accuracies?.imagenette).map((e) => ({ model: e.model,
    x: e.accuracies.imagenette.mean, y: e.xscore }));
  const fit = linearFit(points.map((p) => p.x), points.map((p) => p.y));
  const c = diagnostics.imagenetteCorrelation;
  const xs = points.map((p) => p.x);
  const lo = Math.min(...xs), hi = Math.max(...xs);
  const corr = c && c.pearson !== undefined && c.pearson !== null
    ? `Pearson r = ${c.pearson.toFixed(3)}, Spearman ρ = ${c.spearman.toFixed(3)} over ${c.models} models.`
    : `Correlation unavailable${c?.note ? `: ${c.note}` : ''}.`;
  return chartFigure({
    id: 'fig-imagenette', title: 'ImageNette accuracy vs xScore (paper Fig. 1)',
    caption: `${corr} Line: least-squares fit${fit ? ` (xScore ≈ ${fit.intercept.toFixed(3)} + ${fit.slope.toFixed(4)} · accuracy)` : ''}. λ = ${lambda}.`,
    option: {
      tooltip: { formatter: (p) => (p.data.model ? `${p.data.model}: ${p.data.value[0].toFixed(2)} %, xScore ${p.data.value[1].toFixed(4)}` : '') },
      grid: { left: 60, right: 30, top: 30, bottom: 50 },
      xAxis: { type: 'value', name: 'ImageNette top-1 (%)', nameLocation: 'middle', nameGap: 30, scale: true },
      yAxis: { type: 'value', name: 'xScore', scale: true },
      series: [
        { type: 'scatter', symbolSize: 11, data: points.map((p) => ({ value: [p.x, p.y], model: p.model })),
          label: { show: true, position: 'right', formatter: (p) => p.data.model, fontSize: 11 } },
        fit ? { type: 'line', name: 'fit', symbol: 'none', lineStyle: { type: 'dashed', color: '#555' },
          data: [[lo, fit.intercept + fit.slope * lo], [hi, fit.intercept + fit.slope * hi]] } : null,
      ].filter(Boolean),
    },
  });
}

function figure2(board, proxy, lambda) {
  const entries = new Map(board.entries.map((e) => [e.model, e]));
  const points = Object.entries(proxy.xscores ?? {}).filter(([m]) => proxy.proxyXscores?.[m] !== undefined)
    .map(([m, x7]) => {
      const e = entries.get(base(m));
      return { model: m, x: proxy.proxyXscores[m], y: x7, g: e?.g, v: e?.v };
    }).filter((p) => p.g !== undefined && p.g !== null);
  if (!points.length) return notice('info', 'No proxy search results.');
  const all = points.flatMap((p) => [p.x, p.y]);
  const lo = Math.min(...all), hi = Math.max(...all);
  const vMax = Math.max(...points.map((p) => p.v), 1e-9);
  return chartFigure({
    id: 'fig-proxy', title: '7-dataset vs 4-dataset xScore (paper Fig. 2)',
    caption: `Bubble colour: G (mean normalised accuracy); size: V (variance). Dashed: identity. Proxy datasets: `
      + `${(proxy.best?.datasets ?? []).map(datasetName).join(', ')}, R² = ${proxy.best?.r2?.toFixed(4) ?? '–'}. λ = ${lambda}.`,
    option: {
      tooltip: { formatter: (p) => (p.data.model ? `${p.data.model}: 4-dataset ${p.data.value[0].toFixed(4)}, 7-dataset ${p.data.value[1].toFixed(4)}, G ${p.data.value[2].toFixed(3)}, V ${p.data.value[3].toFixed(4)}` : '') },
      grid: { left: 60, right: 90, top: 30, bottom: 50 },
      xAxis: { type: 'value', name: '4-dataset (proxy) xScore', nameLocation: 'middle', nameGap: 30, scale: true },
      yAxis: { type: 'value', name: '7-dataset xScore', scale: true },
      visualMap: { dimension: 2, min: Math.min(...points.map((p) => p.g)), max: Math.max(...points.map((p) => p.g)),
        text: ['G high', 'G low'], right: 0, top: 'center', inRange: { color: ['#fde725', '#21918c', '#440154'] },
        seriesIndex: 0, precision: 2 },
      series: [
        { type: 'scatter', data: points.map((p) => ({ value: [p.x, p.y, p.g, p.v], model: p.model })),
          symbolSize: (v) => 10 + 40 * Math.sqrt(v[3] / vMax),
          label: { show: true, position: 'right', formatter: (p) => p.data.model, fontSize: 11, color: '#1a1a1a' } },
        { type: 'line', name: 'identity', symbol: 'none', lineStyle: { type: 'dashed', color: '#555' },
          data: [[lo, lo], [hi, hi]] },
      ],
    },
  });
}

function pareto(full, models, key, label) {
  const arch = new Map(models.map((m) => [m.id, m]));
  const points = full.filter((e) => arch.get(base(e.model))?.[key]).map((e) => ({ model: e.model,
    x: arch.get(base(e.model))[key], y: e.xscore }));
  const front = paretoFront(points);
  const onFront = new Set(front.map((p) => p.model));
  return chartFigure({
    id: `fig-pareto-${key}`, title: `xScore vs ${label}`,
    caption: `Line: the Pareto front (no model has fewer ${label.toLowerCase()} and a higher xScore): `
      + `${front.map((p) => p.model).join(', ') || '–'}. ${label} of the platform's model definitions at 224 px, 10 classes.`,
    option: {
      tooltip: { formatter: (p) => (p.data.model ? `${p.data.model}: ${compact(p.data.value[0])}, xScore ${p.data.value[1].toFixed(4)}` : '') },
      grid: { left: 60, right: 30, top: 30, bottom: 50 },
      xAxis: { type: 'log', name: label, nameLocation: 'middle', nameGap: 30, axisLabel: { formatter: compact } },
      yAxis: { type: 'value', name: 'xScore', scale: true },
      series: [
        { type: 'scatter', symbolSize: 11, data: points.map((p) => ({ value: [p.x, p.y], model: p.model,
          itemStyle: { color: onFront.has(p.model) ? '#D55E00' : '#0072B2' } })),
          label: { show: true, position: 'right', formatter: (p) => p.data.model, fontSize: 11 } },
        { type: 'line', name: 'Pareto front', symbol: 'none', lineStyle: { color: '#D55E00' },
          data: front.map((p) => [p.x, p.y]) },
      ],
    },
  });
}

function elementTable(full, elements, lambda) {
  const names = Object.keys(elements);
  const rows = full.filter((e) => Object.values(elements).some((byModel) => byModel[base(e.model)] !== undefined))
    .map((e) => ({ model: e.model, xscore: e.xscore, rank: e.rank,
      ...Object.fromEntries(names.map((n) => [n, elements[n][base(e.model)]])) }));
  return dataTable({
    id: 'elements-table', caption: `Architecture elements by model, ranked by xScore (λ = ${lambda})`,
    filename: `architecture-elements-lambda-${lambda}`,
    columns: [{ key: 'model', label: 'Model' }, { key: 'rank', label: 'Rank', numeric: true },
      { key: 'xscore', label: 'xScore', numeric: true, format: fixed(4) },
      ...names.map((n) => ({ key: n, label: n }))],
    rows,
  });
}
