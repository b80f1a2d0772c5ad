// Datasets from the catalog with the dataset service's status: whether the data is there, each split's preparation
// (images done of total), and what to do when it is missing. Refreshes while a split is being prepared.
import { get } from '../lib/api.js';
import { dataTable, h } from '../lib/dom.js';
import { count } from '../lib/format.js';

export default async function render(params, page) {
  const list = await get('/api/v1/datasets');
  const statuses = await Promise.all(list.map((d) => get(`/api/v1/datasets/${encodeURIComponent(d.id)}/status`)
    .catch(() => null)));
  const rows = list.map((d, i) => ({ ...d, splits: statuses[i]?.splits ?? {} }));
  const preparing = rows.some((r) => Object.values(r.splits).some((s) => s.state === 'preparing'));
  if (preparing) {
    const timer = setTimeout(() => page.isCurrent() && page.update({}), 3000);
    page.signal.addEventListener('abort', () => clearTimeout(timer));
  }
  const split = (name) => (r) => {
    const s = r.splits[name];
    if (!s) return '–';
    if (s.state === 'preparing' && s.imagesTotal > 0) {
      return h('span', {}, h('progress', { max: s.imagesTotal, value: s.imagesDone,
        'aria-label': `${r.id} ${name} split preparation` }), ` ${s.imagesDone} / ${s.imagesTotal}`);
    }
    return s.error ? `${s.state}: ${s.error}` : s.state;
  };
  return h('div', {}, h('h1', {}, 'Datasets'),
    h('p', {}, 'The seven benchmark datasets of the paper and the platform\'s own. Data is registered or downloaded '
      + 'through the dataset service; splits are prepared on first use.'),
    dataTable({
      id: 'datasets-table', caption: `${rows.length} datasets`, filename: 'datasets',
      rowAttrs: (r) => ({ 'data-dataset': r.id }),
      columns: [
        { key: 'id', label: 'Dataset' }, { key: 'name', label: 'Name' }, { key: 'kind', label: 'Kind' },
        { key: 'classes', label: 'Classes', numeric: true },
        { key: 'trainImages', label: 'Train images', numeric: true, format: count },
        { key: 'testImages', label: 'Test images', numeric: true, format: count },
        { key: 'resolution', label: 'Resolution', numeric: true },
        { key: 'status', label: 'Status' },
        { key: 'train', label: 'Train split', cell: split('train') },
        { key: 'test', label: 'Test split', cell: split('test') },
        { key: 'detail', label: 'Detail' },
      ],
      data: (r, c) => (c.key === 'train' || c.key === 'test' ? r.splits[c.key]?.state : r[c.key]),
      rows,
    }));
}
