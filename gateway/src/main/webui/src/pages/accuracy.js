// The accuracy table as a heat-map (the paper's Table 4): each cell the mean top-1 accuracy over seeds ± its standard
// error, coloured by its place between the dataset's lowest and highest accuracy shown, the best cell of each dataset
// outlined solid (▲) and the worst dashed (▼).
import { chartFigure } from '../lib/charts.js';
import { dataTable, h, notice, select } from '../lib/dom.js';
import { meanWithError } from '../lib/format.js';
import { extremes, heatColour } from '../lib/boards.js';
import { BASE_LAMBDA, datasetName, leaderboard, loadCatalog, protocolOptions } from './shared.js';

export default async function render(params, page) {
  const protocol = params.protocol || 'paper-v1';
  const [cat, board] = await Promise.all([loadCatalog(), leaderboard(protocol, BASE_LAMBDA)]);
  const datasets = board.datasets;
  const rows = board.entries.filter((e) => datasets.some((d) => e.accuracies?.[d]));
  const ext = extremes(rows, datasets);
  const controls = h('div.controls', {},
    select('Protocol', 'protocol', protocolOptions(cat), protocol, (v) => page.update({ protocol: v })));
  if (!rows.length) {
    return h('div', {}, h('h1', {}, 'Accuracy heat-map'), controls, notice('info', `No results under ${protocol} yet.`));
  }
  const columns = [
    { key: 'model', label: 'Model' },
    { key: 'source', label: 'Source' },
    ...datasets.map((d) => ({ key: d, label: datasetName(d), numeric: true,
      cell: (r) => cellContent(r, d, ext[d]) })),
  ];
  const table = dataTable({
    id: 'heatmap-table', caption: `Top-1 test accuracy (%), mean ± standard error over seeds, protocol ${protocol}`,
    filename: `accuracy-${protocol}`,
    columns, rows,
    data: (r, c) => (datasets.includes(c.key) ? r.accuracies?.[c.key]?.mean : r[c.key]),
    json: rows.map((r) => ({ model: r.model, source: r.source, accuracies: r.accuracies })),
    cellAttrs: (r, c) => {
      if (!datasets.includes(c.key)) return {};
      const cell = r.accuracies?.[c.key];
      const e = ext[c.key];
      if (!cell || !e) return {};
      const t = e.hi === e.lo ? 1 : (cell.mean - e.lo) / (e.hi - e.lo);
      const colour = heatColour(t);
      const cls = ['num', e.best.includes(r.model) ? 'best' : null, e.worst.includes(r.model) ? 'worst' : null]
        .filter(Boolean).join(' ');
      return { class: cls, style: `background:${colour.background};color:${colour.color}`, 'data-dataset': c.key };
    },
  });
  table.querySelector('table').classList.add('heat');
  const chart = chartFigure({
    id: 'heatmap-chart', title: 'Accuracy heat-map (normalised per dataset)', height: 60 + rows.length * 32,
    caption: 'Colour: each accuracy between the lowest (0) and highest (1) shown for its dataset; label: accuracy %.',
    option: {
      tooltip: { formatter: (p) => `${p.data[3]} on ${datasetName(datasets[p.data[0]])}: ${p.data[4]} %` },
      grid: { left: 120, right: 90, top: 10, bottom: 50 },
      xAxis: { type: 'category', data: datasets.map(datasetName), axisLabel: { interval: 0 } },
      yAxis: { type: 'category', data: rows.map((r) => r.model), inverse: true },
      visualMap: { dimension: 2, min: 0, max: 1, calculable: false, orient: 'vertical', right: 0, top: 'center',
        inRange: { color: ['#eff6ff', '#084594'] }, text: ['best', 'worst'] },
      series: [{ type: 'heatmap', label: { show: true, formatter: (p) => p.data[4].toFixed(1) },
        data: rows.flatMap((r, y) => datasets.map((d, x) => {
          const m = r.accuracies?.[d]?.mean;
          const e = ext[d];
          return m === undefined ? null : [x, y, e.hi === e.lo ? 1 : (m - e.lo) / (e.hi - e.lo), r.model, m];
        }).filter(Boolean)) }],
    },
  });
  return h('div', {}, h('h1', {}, 'Accuracy heat-map'), controls,
    h('p.legend', {}, 'Solid outline and ▲: the dataset\'s best model; dashed outline and ▼: its worst. ',
      'Darker: closer to the dataset\'s best accuracy shown.'),
    table, chart);
}

function cellContent(row, dataset, e) {
  const cell = row.accuracies?.[dataset];
  if (!cell) return '–';
  const mark = e?.best.includes(row.model) ? ' ▲' : e?.worst.includes(row.model) ? ' ▼' : '';
  const label = mark === ' ▲' ? 'best' : mark === ' ▼' ? 'worst' : null;
  return h('span', { title: cell.seeds ? `${cell.seeds} seed(s)` : 'published' }, meanWithError(cell),
    label ? h('span', { 'aria-label': label }, mark) : null);
}
