// Robustness boards of evaluations that ran the suites: accuracy under each perturbation (curves), LR0.FM's γ/Γ with
// SAR and WAR, corruption accuracy with mCE, PGD accuracy by radius, the robust xScores, and previews of what each
// perturbation does to a test image (and an adversarial example when the trainers keep checkpoints).
import { get, image } from '../lib/api.js';
import { chartFigure } from '../lib/charts.js';
import { dataTable, h, notice, select } from '../lib/dom.js';
import { fixed } from '../lib/format.js';
import { routeHash } from '../lib/route.js';
import { severityMeans } from '../lib/boards.js';
import { datasetName } from './shared.js';

export default async function render(params, page) {
  if (!params.evaluation) return boardList();
  const view = await get(`/api/v1/evaluations/${encodeURIComponent(params.evaluation)}`);
  const board = view.scores?.robustness;
  const title = h('h1', {}, `Robustness of evaluation ${view.id}`);
  if (!board) {
    return h('div', {}, title, notice('info', view.robustness
      ? `The suites' results appear here when the evaluation's jobs finish (now ${view.status}).`
      : 'This evaluation ran no robustness suites.'), h('p', {}, h('a', { href: routeHash('evaluation', { id: view.id }) }, 'The evaluation')));
  }
  const dataset = view.datasets.includes(params.dataset) ? params.dataset : view.datasets[0];
  const models = board.models ?? [];
  return h('div', {}, title,
    h('p', {}, `Protocol ${view.protocol}; ${board.spec?.images ?? '?'} test images per dataset, seed ${board.spec?.seed ?? 0}. `,
      h('a', { href: routeHash('evaluation', { id: view.id }) }, 'The evaluation')),
    h('div.controls', {}, select('Dataset', 'dataset', view.datasets.map((d) => ({ value: d, label: datasetName(d) })),
      dataset, (v) => page.update({ dataset: v }))),
    board.chanceGate ? notice('info', `Chance gate of the robust xScores: ${board.chanceGate}`) : null,
    h('div.grid2', {}, lowResolutionChart(models, dataset), corruptionChart(models, dataset), pgdChart(models, dataset)),
    lowResolutionTable(models, dataset, view.id),
    corruptionTable(models, dataset, view.id),
    pgdTable(models, dataset, view.id),
    robustXScores(board, view.id),
    (board.notes ?? []).length ? h('section', {}, h('h2', {}, 'Notes'), h('ul', {}, board.notes.map((n) => h('li', {}, n)))) : null,
    previews(view, board, dataset, params));
}

async function boardList() {
  const recent = await get('/api/v1/evaluations?limit=100');
  const withSuites = recent.filter((v) => v.robustness);
  return h('div', {}, h('h1', {}, 'Robustness'),
    h('p', {}, 'Evaluations that ran robustness suites (submit one from ', h('a', { href: '#/evaluations' }, 'Evaluations'), ').'),
    withSuites.length ? dataTable({
      id: 'robustness-evaluations', caption: `${withSuites.length} evaluations with suites`, filename: 'robustness-evaluations',
      columns: [
        { key: 'id', label: 'Evaluation', cell: (v) => h('a', { href: routeHash('robustness', { evaluation: v.id }) }, v.id) },
        { key: 'status', label: 'Status' }, { key: 'protocol', label: 'Protocol' },
        { key: 'models', label: 'Models' },
        { key: 'suites', label: 'Suites' },
      ],
      data: (v, c) => (c.key === 'suites' ? v.robustness.suites.join(', ') : Array.isArray(v[c.key]) ? v[c.key].join(', ') : v[c.key]),
      rows: withSuites,
    }) : notice('info', 'No evaluation has run robustness suites yet.'));
}

const clean = (m, d) => m.cleanAccuracy?.[d];

function lowResolutionChart(models, d) {
  const sides = [...new Set(models.flatMap((m) => (m.lowResolution ?? []).map((r) => r.shorterSide)))].sort((a, b) => a - b);
  if (!sides.length) return null;
  return chartFigure({
    id: 'rob-lr', title: 'Accuracy at low resolution', height: 320,
    caption: 'Top-1 (%) after LR0.FM\'s down- and up-sampling to shorter side n; "clean" is the unperturbed test image.',
    option: lines(models, ['clean', ...sides.map((n) => `n=${n}`)], (m) => [clean(m, d),
      ...sides.map((n) => (m.lowResolution ?? []).find((r) => r.shorterSide === n)?.accuracy?.[d] ?? null)], 'shorter side'),
  });
}

function corruptionChart(models, d) {
  const severities = [...new Set(models.flatMap((m) => severityMeans(m.corruptions, d).map((s) => s.severity)))].sort((a, b) => a - b);
  if (!severities.length) return null;
  return chartFigure({
    id: 'rob-corruptions', title: 'Accuracy under common corruptions', height: 320,
    caption: 'Top-1 (%) averaged over the corruptions at each severity.',
    option: lines(models, ['clean', ...severities.map((s) => `severity ${s}`)], (m) => {
      const means = severityMeans(m.corruptions, d);
      return [clean(m, d), ...severities.map((s) => means.find((x) => x.severity === s)?.mean ?? null)];
    }, 'severity'),
  });
}

function pgdChart(models, d) {
  const eps = [...new Set(models.flatMap((m) => (m.pgd ?? []).map((r) => r.epsilon)))].sort((a, b) => a - b);
  if (!eps.length) return null;
  return chartFigure({
    id: 'rob-pgd', title: 'Accuracy under PGD attack', height: 320,
    caption: 'Top-1 (%) against ε (in 1/255 of the pixel range), worst case over radii.',
    option: lines(models, ['0', ...eps.map((e) => (e * 255).toFixed(1))], (m) => [clean(m, d),
      ...eps.map((e) => (m.pgd ?? []).find((r) => r.epsilon === e)?.accuracy?.[d] ?? null)], 'ε × 255'),
  });
}

function lines(models, categories, values, xName) {
  return {
    tooltip: { trigger: 'axis' }, legend: { type: 'scroll', bottom: 0 },
    grid: { left: 55, right: 20, top: 20, bottom: 60 },
    xAxis: { type: 'category', name: xName, data: categories },
    yAxis: { type: 'value', name: 'accuracy %', scale: true },
    series: models.map((m) => ({ name: m.model, type: 'line', symbolSize: 7, data: values(m) })),
  };
}

function lowResolutionTable(models, d, id) {
  const rows = models.flatMap((m) => (m.lowResolution ?? []).map((r) => ({ model: m.model, n: r.shorterSide,
    accuracy: r.accuracy?.[d], gamma: r.gamma?.[d], improvedGamma: r.improvedGamma?.[d], sarGamma: r.sarGamma,
    sarImprovedGamma: r.sarImprovedGamma, warImprovedGamma: r.warImprovedGamma })));
  if (!rows.length) return null;
  const f = fixed(4);
  return dataTable({
    id: 'lr-table', caption: `Low resolution (LR0.FM) on ${datasetName(d)}; SAR and WAR over all datasets`,
    filename: `robustness-${id}-low-resolution`,
    columns: [{ key: 'model', label: 'Model' }, { key: 'n', label: 'n', numeric: true },
      { key: 'accuracy', label: 'Accuracy %', numeric: true, format: fixed(2) },
      { key: 'gamma', label: 'γ', numeric: true, format: f }, { key: 'improvedGamma', label: 'Γ', numeric: true, format: f },
      { key: 'sarGamma', label: 'SAR(γ)', numeric: true, format: f },
      { key: 'sarImprovedGamma', label: 'SAR(Γ)', numeric: true, format: f },
      { key: 'warImprovedGamma', label: 'WAR(Γ)', numeric: true, format: f }],
    rows,
  });
}

function corruptionTable(models, d, id) {
  const rows = models.filter((m) => m.corruptions).map((m) => ({ model: m.model, clean: clean(m, d),
    meanAccuracy: m.corruptions.meanAccuracy?.[d], mce: m.corruptions.mce?.[d], relativeMce: m.corruptions.relativeMce?.[d],
    meanCorruptionAccuracy: m.corruptions.meanCorruptionAccuracy, baseline: m.corruptions.baseline }));
  if (!rows.length) return null;
  return dataTable({
    id: 'corruption-table', caption: `Common corruptions on ${datasetName(d)} (mCE relative to the baseline model)`,
    filename: `robustness-${id}-corruptions`,
    columns: [{ key: 'model', label: 'Model' }, { key: 'clean', label: 'Clean %', numeric: true, format: fixed(2) },
      { key: 'meanAccuracy', label: 'Mean corrupted %', numeric: true, format: fixed(2) },
      { key: 'mce', label: 'mCE', numeric: true, format: fixed(4) },
      { key: 'relativeMce', label: 'Relative mCE', numeric: true, format: fixed(4) },
      { key: 'meanCorruptionAccuracy', label: 'Mean over datasets %', numeric: true, format: fixed(2) },
      { key: 'baseline', label: 'Baseline' }],
    rows,
  });
}

function pgdTable(models, d, id) {
  const rows = models.flatMap((m) => (m.pgd ?? []).map((r) => ({ model: m.model, norm: r.norm, epsilon: r.epsilon,
    epsilon255: r.epsilon * 255, accuracy: r.accuracy?.[d] })));
  if (!rows.length) return null;
  return dataTable({
    id: 'pgd-table', caption: `PGD adversarial accuracy on ${datasetName(d)}`, filename: `robustness-${id}-pgd`,
    columns: [{ key: 'model', label: 'Model' }, { key: 'norm', label: 'Norm' },
      { key: 'epsilon255', label: 'ε × 255', numeric: true, format: fixed(2) },
      { key: 'accuracy', label: 'Accuracy %', numeric: true, format: fixed(2) }],
    rows,
  });
}

function robustXScores(board, id) {
  const rows = (board.robustXScores ?? []).flatMap((x) => x.scores.map((s) => ({ measure: x.measure,
    description: x.description, ...s })));
  if (!rows.length) return null;
  return h('section', {}, h('h2', {}, 'Robust xScores'),
    h('p.legend', {}, 'xScore over the datasets of accuracies under each perturbation, on anchors from this evaluation\'s models (not the paper\'s scale).'),
    dataTable({
      id: 'robust-xscore-table', caption: 'Robust xScore per measure', filename: `robustness-${id}-robust-xscores`,
      columns: [{ key: 'measure', label: 'Measure' }, { key: 'rank', label: 'Rank', numeric: true },
        { key: 'model', label: 'Model' }, { key: 'g', label: 'G', numeric: true, format: fixed(4) },
        { key: 'v', label: 'V', numeric: true, format: fixed(4) },
        { key: 'xscore', label: 'xScore', numeric: true, format: fixed(4) }, { key: 'description', label: 'Description' }],
      rows,
    }));
}

/** What the suites do to one test image: clean, each low resolution, each corruption at one severity. */
function previews(view, board, d, params) {
  const index = Math.max(0, Number(params.image) || 0);
  const spec = board.spec ?? {};
  const items = [{ label: 'clean', query: {} }];
  // the resolutions the suite could apply to this dataset (n below the image size), as the board reports them
  const sides = [...new Set((board.models ?? []).flatMap((m) => (m.lowResolution ?? [])
    .filter((r) => r.accuracy?.[d] !== undefined).map((r) => r.shorterSide)))].sort((a, b) => a - b);
  for (const n of sides) items.push({ label: `low resolution n=${n}`, query: { perturbation: 'low-resolution', shorterSide: n } });
  for (const c of (spec.corruptions?.names ?? []).slice(0, 6)) items.push({ label: `${c}, severity 3`, query: { perturbation: 'corruption', corruption: c, severity: 3, seed: spec.seed ?? 0 } });
  const grid = h('div.previews');
  for (const item of items) {
    const q = new URLSearchParams({ scale: '3', ...item.query });
    const fig = h('figure', {}, h('figcaption', {}, item.label));
    grid.append(fig);
    image(`/api/v1/datasets/${encodeURIComponent(d)}/preview/test/${index}.png?${q}`)
      .then((img) => fig.prepend(h('img', { src: img.url, alt: `${datasetName(d)} test image ${index}, ${item.label}` })))
      .catch((e) => fig.append(h('p.legend', {}, `unavailable: ${e.message}`)));
  }
  const job = (view.jobs ?? []).find((j) => j.dataset === d && j.state === 'SUCCEEDED');
  const adversarial = h('div', { 'aria-live': 'polite' });
  const showAdversarial = () => {
    adversarial.replaceChildren(h('p.legend', {}, 'Attacking…'));
    image(`/api/v1/evaluations/${encodeURIComponent(view.id)}/jobs/${job.jobId}/adversarial-example?index=${index}`)
      .then((img) => adversarial.replaceChildren(h('figure', {}, h('img', { src: img.url,
        alt: `test image ${index} and its PGD adversarial example against ${job.model}` }),
      h('figcaption', {}, `${job.model}: clean ${img.headers.get('X-Xscore-Clean-Correct') === 'true' ? 'right' : 'wrong'}, `
        + `adversarial ${img.headers.get('X-Xscore-Adversarial-Correct') === 'true' ? 'right' : 'wrong'} (${img.headers.get('X-Xscore-Attack') ?? 'PGD'})`))))
      .catch((e) => adversarial.replaceChildren(notice('info', `No adversarial example: ${e.message}`)));
  };
  return h('section', {}, h('h2', {}, `What the perturbations look like (test image ${index})`),
    h('p', {}, h('a', { href: routeHash('robustness', { ...params, image: index + 1 }) }, 'Next image')),
    grid,
    job ? h('p', {}, h('button', { type: 'button', onclick: showAdversarial }, `Adversarial example against ${job.model}`)) : null,
    adversarial);
}
