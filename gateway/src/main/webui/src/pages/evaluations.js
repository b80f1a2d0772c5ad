// Evaluations: submit one with the catalog's choices, the most recent ones, and one evaluation live (server-sent
// events): per-job epoch, loss and accuracy curves, ETA and attempts, its scores when done, cancel.
import { ApiError, auth, events, get, post } from '../lib/api.js';
import { chartFigure, disposeCharts } from '../lib/charts.js';
import { dataTable, h, notice } from '../lib/dom.js';
import { duration, fixed, percent } from '../lib/format.js';
import { routeHash } from '../lib/route.js';
import { datasetName, loadCatalog, protocolOptions } from './shared.js';

const FINISHED = ['SUCCEEDED', 'COMPLETED_WITH_FAILURES', 'FAILED', 'CANCELLED'];
const SUITES = [
  { id: 'low-resolution', label: 'Low resolution (LR0.FM: γ, Γ, SAR, WAR)' },
  { id: 'corruptions', label: 'Common corruptions (accuracy, mCE)' },
  { id: 'pgd', label: 'PGD ℓ∞ adversarial accuracy' },
];
const OVERRIDES = [
  { key: 'epochs', label: 'Epochs' }, { key: 'trainSubset', label: 'Training images' },
  { key: 'testSubset', label: 'Test images' }, { key: 'resolution', label: 'Resolution' },
  { key: 'batchSize', label: 'Batch size' },
];

export async function evaluationList(params, page) {
  const [cat, recent] = await Promise.all([loadCatalog(), get('/api/v1/evaluations?limit=50')]);
  const chosen = new Set();
  const compareButton = h('button', { type: 'button', disabled: true,
    onclick: () => page.go('compare', { ids: [...chosen].join(',') }) }, 'Compare selected');
  const choose = (id) => h('input', { type: 'checkbox', 'aria-label': `Compare ${id}`, onchange: (e) => {
    if (e.target.checked) chosen.add(id); else chosen.delete(id);
    compareButton.disabled = chosen.size < 2;
  } });
  return h('div', {}, h('h1', {}, 'Evaluations'),
    submitForm(cat, params, page),
    h('h2', {}, 'Recent evaluations'),
    h('p', {}, compareButton, ' two or more evaluations side by side.'),
    dataTable({
      id: 'evaluations-table', caption: `The ${recent.length} most recent evaluations`, filename: 'evaluations',
      json: recent,
      rowAttrs: (r) => ({ 'data-evaluation': r.id }),
      columns: [
        { key: 'id', label: 'Evaluation', cell: (r) => h('a', { href: routeHash('evaluation', { id: r.id }) }, r.id) },
        { key: 'status', label: 'Status', cell: (r) => h(`span.status-${r.status}`, {}, r.status) },
        { key: 'protocol', label: 'Protocol' },
        { key: 'models', label: 'Models' },
        { key: 'datasets', label: 'Datasets' },
        { key: 'seeds', label: 'Seeds' },
        { key: 'jobs', label: 'Jobs done', numeric: true,
          format: (_, r) => (r.summary ? `${r.summary.succeeded + r.summary.failed} / ${r.summary.jobs}` : '–') },
        { key: 'submittedBy', label: 'Submitted by' },
        { key: 'createdAt', label: 'Created' },
        { key: 'compare', label: 'Compare', cell: (r) => choose(r.id) },
      ],
      data: (r, c) => (c.key === 'jobs' ? (r.summary ? r.summary.succeeded + r.summary.failed : null)
        : Array.isArray(r[c.key]) ? r[c.key].join(', ') : r[c.key]),
      rows: recent,
    }));
}

function submitForm(cat, params, page) {
  const message = h('div', { 'aria-live': 'polite' });
  const checkbox = (group, value, label, checked) => h('label', {},
    h('input', { type: 'checkbox', name: group, value, checked }), label);
  const protocols = protocolOptions(cat);
  const protocolSelect = h('select#f-protocol', { name: 'protocol' },
    protocols.map((p) => h('option', { value: p.value, selected: p.value === (params.protocol || 'quick') }, p.label)));
  const form = h('form#submit-form', {
    'aria-labelledby': 'submit-heading',
    onsubmit: async (e) => {
      e.preventDefault();
      const data = new FormData(e.target);
      const custom = String(data.get('customModels') || '').split(/[\s,]+/).filter(Boolean);
      const body = {
        models: [...data.getAll('models'), ...custom],
        datasets: data.getAll('datasets'),
        seeds: String(data.get('seeds') || '0').split(/[\s,]+/).filter(Boolean).map(Number),
        protocol: data.get('protocol'),
      };
      const overrides = {};
      for (const o of OVERRIDES) {
        const v = data.get(`override-${o.key}`);
        if (v) overrides[o.key] = Number(v);
      }
      if (Object.keys(overrides).length) body.overrides = overrides;
      const suites = data.getAll('suites');
      if (suites.length) {
        body.robustness = { suites };
        if (data.get('images')) body.robustness.images = Number(data.get('images'));
      }
      const button = e.target.querySelector('button[type=submit]');
      button.disabled = true;
      try {
        const accepted = await post('/api/v1/evaluations', body);
        page.go('evaluation', { id: accepted.id });
      } catch (err) {
        const field = err instanceof ApiError && err.problem?.field ? ` (field ${err.problem.field})` : '';
        message.replaceChildren(notice('error', `${err.status ?? ''} ${err.message}${field}`));
      } finally {
        button.disabled = false;
      }
    },
  },
  h('h2#submit-heading', {}, 'Submit an evaluation'),
  h('fieldset', {}, h('legend', {}, 'Models'),
    cat.models.map((m) => checkbox('models', m.id, m.id, false)),
    h('br'),
    h('label', { for: 'f-custom' }, 'Custom models ', h('input#f-custom', { type: 'text', name: 'customModels',
      placeholder: 'convmixer-32-4, convmixer-64-4', size: 34, 'aria-describedby': 'f-custom-help' })),
    h('span#f-custom-help.legend', {}, ` ${cat.customModels ?? ''}`)),
  h('fieldset', {}, h('legend', {}, 'Datasets'),
    cat.datasets.map((d) => checkbox('datasets', d.id, `${d.name ?? datasetName(d.id)}${d.proxy ? ' (proxy)' : ''}`, false))),
  h('div.controls', {},
    h('label.control', { for: 'f-protocol' }, 'Protocol', protocolSelect),
    h('label.control', { for: 'f-seeds' }, 'Seeds', h('input#f-seeds', { type: 'text', name: 'seeds', value: '0', size: 8 })),
    OVERRIDES.map((o) => h('label.control', { for: `f-${o.key}` }, `${o.label} (not paper)`,
      h(`input#f-${o.key}`, { type: 'number', name: `override-${o.key}`, min: 0, style: { width: '7rem' } })))),
  h('fieldset', {}, h('legend', {}, 'Robustness suites (run on each job\'s final weights)'),
    SUITES.map((s) => checkbox('suites', s.id, s.label, false)),
    h('label', { for: 'f-images' }, 'Images per dataset ', h('input#f-images', { type: 'number', name: 'images', min: 1,
      placeholder: '1000', style: { width: '6rem' } }))),
  h('button.primary', { type: 'submit' }, 'Submit'),
  message);
  return form;
}

export async function evaluationDetail(params, page) {
  if (!params.id) return h('div', {}, h('h1', {}, 'Evaluation'), notice('error', 'No evaluation id in the link.'));
  const path = `/api/v1/evaluations/${encodeURIComponent(params.id)}`;
  let view = await get(path);
  const body = h('div');
  const liveState = h('p.legend', { 'aria-live': 'polite' });
  // built once, outside the part redrawn on every update, so that a reason being typed survives the updates
  const cancel = !FINISHED.includes(view.status) && view.status !== 'CANCELLING' && auth.claims() ? cancelForm(path) : null;
  const draw = () => {
    disposeCharts();
    body.replaceChildren(detail(view));
    if (cancel && (FINISHED.includes(view.status) || view.status === 'CANCELLING')) cancel.remove();
  };
  draw();
  if (!FINISHED.includes(view.status)) follow(path, page, (v) => { view = v; draw(); }, liveState);
  return h('div', {}, h('h1', {}, `Evaluation ${view.id}`), liveState, cancel, body);
}

/** Follows the event stream; when it breaks (proxy time-out, network), polls every 3 s until the evaluation ends. */
async function follow(path, page, onView, liveState) {
  liveState.textContent = 'Live: following progress.';
  let last = null;
  try {
    await events(`${path}/events`, (v) => { last = v; if (page.isCurrent()) onView(v); }, page.signal);
  } catch (e) {
    if (page.signal.aborted) return;
  }
  while (page.isCurrent() && !page.signal.aborted && !(last && FINISHED.includes(last.status))) {
    await new Promise((r) => setTimeout(r, 3000));
    try {
      last = await get(path);
      if (page.isCurrent()) onView(last);
    } catch {
      // keep polling: the gateway may be restarting
    }
  }
  if (page.isCurrent()) liveState.textContent = `Finished: ${last?.status ?? ''}.`;
}

function detail(view) {
  const s = view.summary ?? { jobs: 0, succeeded: 0, failed: 0, running: 0, queued: 0, reused: 0 };
  const done = s.succeeded + s.failed;
  const eta = Math.max(0, ...(view.jobs ?? []).map((j) => j.etaSeconds ?? 0));
  return h('div', {},
    h('dl.facts', {},
      h('dt', {}, 'Status'), h('dd', {}, h(`strong#evaluation-status.status-${view.status}`, {}, view.status)),
      h('dt', {}, 'Progress'), h('dd', {}, h('progress', { max: Math.max(1, s.jobs), value: done,
        'aria-label': 'jobs finished' }), ` ${done} of ${s.jobs} jobs finished (${s.running} running, ${s.queued} queued, ${s.reused} reused, ${s.failed} failed)`),
      h('dt', {}, 'Longest ETA of a running job'), h('dd', {}, eta ? duration(eta) : '–'),
      h('dt', {}, 'Protocol'), h('dd', {}, `${view.protocol}${view.paperProtocol ? ' (the paper’s)' : ' (not the paper’s: scored apart)'}`),
      h('dt', {}, 'Models'), h('dd', {}, (view.models ?? []).join(', ')),
      h('dt', {}, 'Datasets'), h('dd', {}, (view.datasets ?? []).join(', ')),
      h('dt', {}, 'Seeds'), h('dd', {}, (view.seeds ?? []).join(', ')),
      view.overrides ? [h('dt', {}, 'Overrides'), h('dd', {}, JSON.stringify(view.overrides))] : null,
      view.robustness ? [h('dt', {}, 'Robustness suites'), h('dd', {}, (view.robustness.suites ?? []).join(', '), ' · ',
        h('a', { href: routeHash('robustness', { evaluation: view.id }) }, 'robustness board'))] : null,
      h('dt', {}, 'Submitted by'), h('dd', {}, `${view.submittedBy ?? '–'} at ${view.createdAt ?? '–'}`),
      view.cancelReason ? [h('dt', {}, 'Cancelled'), h('dd', {}, view.cancelReason)] : null,
      view.waiting ? [h('dt', {}, 'Waiting for'), h('dd', {}, `${view.waiting.datasets.join(', ')}: ${view.waiting.reason}`)] : null),
    (view.warnings ?? []).map((w) => notice('info', w)),
    jobsTable(view),
    curves(view),
    scoresTable(view));
}

function cancelForm(path) {
  const message = h('span', { 'aria-live': 'polite' });
  const reason = h('input#cancel-reason', { type: 'text', size: 30, maxlength: 500, placeholder: 'reason (optional)' });
  return h('form.controls', {
    onsubmit: async (e) => {
      e.preventDefault();
      try {
        await post(`${path}/cancel`, reason.value ? { reason: reason.value } : {});
        message.textContent = 'Cancelling…';
      } catch (err) {
        message.textContent = `${err.status ?? ''} ${err.message}`;
      }
    },
  }, h('label.control', { for: 'cancel-reason' }, 'Cancel reason', reason),
  h('button.danger', { type: 'submit' }, 'Cancel evaluation'), message);
}

function jobsTable(view) {
  const jobs = (view.jobs ?? []).map((j) => ({ ...j, label: `${j.model} · ${j.dataset} · seed ${j.seed}`,
    attemptCount: (j.attempts ?? []).length }));
  return dataTable({
    id: 'jobs-table', caption: `${jobs.length} jobs`, filename: `evaluation-${view.id}-jobs`, json: view.jobs,
    rowAttrs: (j) => ({ 'data-job': j.jobId, 'data-state': j.state }),
    columns: [
      { key: 'label', label: 'Job' },
      { key: 'state', label: 'State', cell: (j) => h(`span.state-${j.state}`, {}, j.reused ? `${j.state} (reused)` : j.state) },
      { key: 'epoch', label: 'Epoch', numeric: true, format: (v, j) => (v === undefined ? '–' : `${v} / ${j.epochs ?? '?'}`) },
      { key: 'trainLoss', label: 'Train loss', numeric: true, format: fixed(4) },
      { key: 'testAccuracy', label: 'Test accuracy', numeric: true, format: percent },
      { key: 'etaSeconds', label: 'ETA', numeric: true, format: duration },
      { key: 'attemptCount', label: 'Attempts', numeric: true },
      { key: 'trainer', label: 'Trainer' },
      { key: 'failureReason', label: 'Failure' },
    ],
    rows: jobs,
  });
}

function curves(view) {
  const jobs = (view.jobs ?? []).filter((j) => (j.history ?? []).length);
  if (!jobs.length) return notice('info', 'Curves appear after each job\'s first epoch.');
  const series = (key) => jobs.map((j) => ({ name: `${j.model} · ${j.dataset} · ${j.seed}`, type: 'line',
    symbolSize: 6, data: j.history.filter((p) => p[key] !== undefined && p[key] !== null).map((p) => [p.epoch, p[key]]) }))
    .filter((s) => s.data.length);
  const option = (name, key) => ({
    tooltip: { trigger: 'axis' }, legend: { type: 'scroll', bottom: 0 },
    grid: { left: 60, right: 20, top: 20, bottom: 60 },
    xAxis: { type: 'value', name: 'epoch', minInterval: 1, min: 1, max: Math.max(2, ...jobs.map((j) => j.epochs ?? 1)) },
    yAxis: { type: 'value', name, scale: true },
    series: series(key),
  });
  return h('div.grid2', {},
    chartFigure({ id: 'curve-test', title: 'Test accuracy per epoch (%)', option: option('accuracy %', 'testAccuracy'),
      height: 320, filename: `evaluation-${view.id}-test-accuracy` }),
    chartFigure({ id: 'curve-loss', title: 'Training loss per epoch', option: option('loss', 'trainLoss'),
      height: 320, filename: `evaluation-${view.id}-train-loss` }));
}

function scoresTable(view) {
  const set = view.scores;
  if (!set?.scores?.length) return null;
  return h('section', {}, h('h2', {}, 'Scores'),
    h('p', {}, `Scale ${set.scale}${set.complete ? '' : ' (incomplete)'}; protocol ${set.protocol}. `,
      h('a', { href: routeHash('leaderboard', { protocol: set.protocol }) }, `Leaderboard of ${set.protocol}`)),
    dataTable({
      id: 'scores-table', caption: 'xScore of each model in this evaluation', filename: `evaluation-${view.id}-scores`,
      json: set,
      columns: [
        { key: 'rank', label: 'Rank', numeric: true }, { key: 'model', label: 'Model' },
        { key: 'g', label: 'G', numeric: true, format: fixed(4) }, { key: 'v', label: 'V', numeric: true, format: fixed(4) },
        { key: 'xscore', label: 'xScore', numeric: true, format: fixed(4) }, { key: 'note', label: 'Note' },
      ],
      rows: set.scores,
    }));
}
