// Evaluations side by side (#/compare?ids=a,b,...): what each ran (protocol, overrides, suites, status), every job's
// final test accuracy per evaluation, each model's xScore per evaluation, and the test-accuracy curves overlaid.
// Scores of different protocols or scales are shown next to each other but labelled: they are not on one scale.
import { get } from '../lib/api.js';
import { chartFigure } from '../lib/charts.js';
import { dataTable, h, notice } from '../lib/dom.js';
import { fixed } from '../lib/format.js';
import { routeHash } from '../lib/route.js';

export default async function render(params) {
  const ids = (params.ids ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length < 2) {
    return h('div', {}, h('h1', {}, 'Compare evaluations'),
      notice('info', 'Choose two or more evaluations on the Evaluations page (the Compare column).'));
  }
  const views = await Promise.all(ids.map((id) => get(`/api/v1/evaluations/${encodeURIComponent(id)}`)));
  const short = (v) => v.id.slice(0, 8);
  const scales = new Set(views.map((v) => `${v.scores?.protocol ?? v.protocol}/${v.scores?.scale ?? '?'}`));

  const facts = dataTable({
    id: 'compare-facts', caption: 'What each evaluation ran', filename: 'compare-evaluations', json: views,
    columns: [
      { key: 'id', label: 'Evaluation', cell: (v) => h('a', { href: routeHash('evaluation', { id: v.id }) }, v.id) },
      { key: 'status', label: 'Status' }, { key: 'protocol', label: 'Protocol' },
      { key: 'overrides', label: 'Overrides' }, { key: 'suites', label: 'Suites' },
      { key: 'models', label: 'Models' }, { key: 'datasets', label: 'Datasets' }, { key: 'seeds', label: 'Seeds' },
      { key: 'scale', label: 'Score scale' }],
    data: (v, c) => ({
      overrides: v.overrides ? JSON.stringify(v.overrides) : '',
      suites: (v.robustness?.suites ?? []).join(', '),
      scale: v.scores?.scale ?? '',
      models: (v.models ?? []).join(', '), datasets: (v.datasets ?? []).join(', '), seeds: (v.seeds ?? []).join(', '),
    }[c.key] ?? v[c.key]),
    rows: views,
  });

  const jobKeys = [...new Set(views.flatMap((v) => (v.jobs ?? []).map((j) => `${j.model}|${j.dataset}|${j.seed}`)))];
  const jobRows = jobKeys.map((key) => {
    const [model, dataset, seed] = key.split('|');
    const row = { model, dataset, seed };
    views.forEach((v, i) => {
      const job = (v.jobs ?? []).find((j) => `${j.model}|${j.dataset}|${j.seed}` === key);
      row[`e${i}`] = job?.finalTestAccuracy ?? null;
    });
    return row;
  });
  const jobs = dataTable({
    id: 'compare-jobs', caption: 'Final test accuracy (%) of each job, per evaluation', filename: 'compare-jobs',
    columns: [{ key: 'model', label: 'Model' }, { key: 'dataset', label: 'Dataset' }, { key: 'seed', label: 'Seed', numeric: true },
      ...views.map((v, i) => ({ key: `e${i}`, label: `${short(v)} (${v.protocol})`, numeric: true, format: fixed(2) }))],
    rows: jobRows,
  });

  const models = [...new Set(views.flatMap((v) => (v.scores?.scores ?? []).map((s) => s.model)))];
  const scoreRows = models.map((model) => Object.fromEntries([['model', model], ...views.map((v, i) =>
    [`e${i}`, (v.scores?.scores ?? []).find((s) => s.model === model)?.xscore ?? null])]));
  const scores = scoreRows.length ? dataTable({
    id: 'compare-scores', caption: 'xScore of each model, per evaluation', filename: 'compare-xscores',
    columns: [{ key: 'model', label: 'Model' },
      ...views.map((v, i) => ({ key: `e${i}`, label: `${short(v)} (${v.scores?.protocol ?? v.protocol}, ${v.scores?.scale ?? '–'})`,
        numeric: true, format: fixed(4) }))],
    rows: scoreRows,
  }) : notice('info', 'No scores yet.');

  const series = views.flatMap((v) => (v.jobs ?? []).filter((j) => (j.history ?? []).length).map((j) => ({
    name: `${short(v)} · ${j.model} · ${j.dataset} · ${j.seed}`, type: 'line', symbolSize: 6,
    data: j.history.filter((p) => p.testAccuracy !== undefined && p.testAccuracy !== null).map((p) => [p.epoch, p.testAccuracy]),
  })));
  return h('div', {}, h('h1', {}, `Compare ${views.length} evaluations`),
    scales.size > 1 ? notice('info', `These evaluations are scored on different protocols or scales (${[...scales].join(', ')}): `
      + 'their xScores are not comparable with each other; accuracies are, where the protocol is the same.') : null,
    facts, jobs, scores,
    series.length ? chartFigure({ id: 'compare-curves', title: 'Test accuracy per epoch, all evaluations', height: 360,
      option: { tooltip: { trigger: 'axis' }, legend: { type: 'scroll', bottom: 0 },
        grid: { left: 60, right: 20, top: 20, bottom: 60 },
        xAxis: { type: 'value', name: 'epoch', minInterval: 1, min: 1 }, yAxis: { type: 'value', name: 'accuracy %', scale: true },
        series } }) : null);
}
