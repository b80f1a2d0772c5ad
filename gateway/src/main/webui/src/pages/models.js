// Models from the catalog: parameters, MACs and architecture elements of each model definition (10 classes, at the
// resolution named), with each model's xScore and rank on the paper's leaderboard where it has one.
import { get } from '../lib/api.js';
import { dataTable, h } from '../lib/dom.js';
import { compact, fixed } from '../lib/format.js';
import { BASE_LAMBDA, leaderboard, loadCatalog } from './shared.js';

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
  const chosen = params.model ? models.find((m) => m.id === params.model) : null;
  return h('div', {}, h('h1', {}, 'Models'),
    h('p', {}, 'Custom models: ', h('code', {}, cat.customModels ?? '–'), '.'),
    chosen ? h('section', { 'aria-labelledby': 'chosen-model' }, h('h2#chosen-model', {}, chosen.id),
      h('p', {}, chosen.description)) : null,
    table);
}

const yesNo = (v) => (v === undefined ? '–' : v ? 'yes' : 'no');
