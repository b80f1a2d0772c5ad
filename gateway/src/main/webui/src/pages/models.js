// Models from the catalog: parameters, MACs and architecture elements of each model definition (10 classes, at the
// resolution named), with each model's xScore and rank on the paper's leaderboard where it has one.
import { ApiError, get } from '../lib/api.js';
import { dataTable, h, notice } from '../lib/dom.js';
import { compact, fixed } from '../lib/format.js';
import { routeHash } from '../lib/route.js';
import { BASE_LAMBDA, leaderboard, loadCatalog, seedLabel } from './shared.js';

export default async function render(params) {
  const [models, board, cat] = await Promise.all([get('/api/v1/models'), leaderboard('paper-v1', BASE_LAMBDA),
    loadCatalog()]);
  const scores = new Map(board.entries.filter((e) => e.source === 'reference').map((e) => [e.model, e]));
  const rows = models.map((m) => ({
    id: m.id, family: m.family, description: m.description, resolution: m.resolution, parameters: m.parameters,
    macs: m.macs, stages: m.elements?.isotropic ? 'isotropic' : m.elements?.stages,
    channelAttention: yesNo(m.elements?.channelAttention), selfAttention: yesNo(m.elements?.selfAttention),
    kernel: m.elements?.largestDepthwiseKernel, norms: (m.elements?.norms ?? []).join(', '),
    activations: (m.elements?.activations ?? []).join(', '), extras: (m.elements?.extras ?? []).join(', '),
    xscore: scores.get(m.id)?.xscore, rank: scores.get(m.id)?.rank,
  }));
  const table = dataTable({
    id: 'models-table', caption: `${rows.length} model definitions (parameters and MACs at 10 classes)`,
    filename: 'models', json: models,
    rowAttrs: (r) => ({ 'data-model': r.id, class: params.model === r.id ? 'selected' : null }),
    columns: [
      { key: 'id', label: 'Model' }, { key: 'family', label: 'Family' },
      { key: 'parameters', label: 'Parameters', numeric: true, format: compact },
      { key: 'macs', label: 'MACs / image', numeric: true, format: compact },
      { key: 'resolution', label: 'Resolution', numeric: true },
      { key: 'stages', label: 'Stages' }, { key: 'channelAttention', label: 'Channel attention' },
      { key: 'selfAttention', label: 'Self-attention' }, { key: 'kernel', label: 'Largest depthwise kernel', numeric: true },
      { key: 'norms', label: 'Norms' }, { key: 'activations', label: 'Activations' }, { key: 'extras', label: 'Other' },
      { key: 'rank', label: 'Paper rank', numeric: true },
      { key: 'xscore', label: 'Paper xScore', numeric: true, format: fixed(4) },
      { key: 'description', label: 'Definition' },
    ],
    rows,
  });
  const chosen = params.model ? await modelSection(params.model, models.find((m) => m.id === params.model)) : null;
  return h('div', {}, h('h1', {}, 'Models'),
    chosen,
    h('p', {}, 'Custom models: ', h('code', {}, cat.customModels ?? '–'), '.'),
    table);
}

/** One model: its definition and every board it is on (each protocol's leaderboard, each robustness board). */
async function modelSection(id, definition) {
  let scores = null;
  try {
    scores = await get(`/api/v1/scores/${encodeURIComponent(id)}`);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
  }
  const entries = (scores?.entries ?? []).map((m) => ({ protocol: m.protocol, scale: m.scale, rank: m.entry.rank,
    of: m.rankedModels, source: m.entry.source, kind: m.entry.kind, seeds: seedLabel(m.entry), g: m.entry.g,
    v: m.entry.v, xscore: m.entry.xscore, note: m.entry.note }));
  const boards = (scores?.robustness ?? []).map((r) => ({ evaluationId: r.evaluationId, protocol: r.protocol,
    datasets: r.datasets.join(', '), models: r.modelsOnBoard,
    measures: (r.robustXScores ?? []).map((x) => `${x.measure}: ${x.xscore === null || x.xscore === undefined ? '–' : x.xscore.toFixed(3)}`).join('; ') }));
  return h('section', { 'aria-labelledby': 'chosen-model' }, h('h2#chosen-model', {}, id),
    h('p', {}, definition ? definition.description : 'Not a catalog model (a custom model or one evaluated elsewhere).'),
    entries.length ? dataTable({
      id: 'model-scores-table', caption: `${id} on each protocol's leaderboard (λ = 0.5)`, filename: `model-${id}-scores`,
      json: scores,
      columns: [
        { key: 'protocol', label: 'Protocol', cell: (r) => h('a', { href: routeHash('leaderboard', { protocol: r.protocol }) }, r.protocol) },
        { key: 'scale', label: 'Scale' }, { key: 'rank', label: 'Rank', numeric: true },
        { key: 'of', label: 'Of', numeric: true }, { key: 'source', label: 'Source' }, { key: 'kind', label: 'Kind' },
        { key: 'seeds', label: 'Seeds', numeric: true },
        { key: 'g', label: 'G', numeric: true, format: fixed(4) }, { key: 'v', label: 'V', numeric: true, format: fixed(4) },
        { key: 'xscore', label: 'xScore', numeric: true, format: fixed(4) }, { key: 'note', label: 'Note' }],
      rows: entries,
    }) : notice('info', `${id} has no scores yet.`),
    boards.length ? dataTable({
      id: 'model-robustness-table', caption: `Robustness boards with ${id}`, filename: `model-${id}-robustness`,
      json: scores.robustness,
      columns: [
        { key: 'evaluationId', label: 'Evaluation', cell: (r) => h('a', { href: routeHash('robustness', { evaluation: r.evaluationId }) }, r.evaluationId) },
        { key: 'protocol', label: 'Protocol' }, { key: 'datasets', label: 'Datasets' },
        { key: 'models', label: 'Models on the board', numeric: true },
        { key: 'measures', label: 'Robust xScores' }],
      rows: boards,
    }) : null);
}

const yesNo = (v) => (v === undefined ? '–' : v ? 'yes' : 'no');
