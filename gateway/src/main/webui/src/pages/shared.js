// What several pages fetch: the catalog (protocols, models, datasets) once per session, and leaderboards.
import { get } from '../lib/api.js';

let catalog;
export async function loadCatalog() {
  catalog ??= get('/api/v1/catalog').catch((e) => { catalog = undefined; throw e; });
  return catalog;
}

/** The λ values of the scoring service's sweep (docs/benchmark.md §1.5); 0.5 is the paper's λ and the base. */
export const LAMBDAS = [0, 0.25, 0.5, 0.75, 1, 2];
export const BASE_LAMBDA = 0.5;

export function leaderboard(protocol, lambda) {
  const q = new URLSearchParams({ protocol, lambda: String(lambda) });
  return get(`/api/v1/leaderboard?${q}`);
}

/** "published" for the paper's table; otherwise the seed counts behind the model's means (e.g. "3" or "1–3"). */
export function seedLabel(entry) {
  if (entry.source === 'reference') return 'published';
  const seeds = Object.values(entry.accuracies ?? {}).map((c) => c.seeds).filter((s) => s !== undefined);
  if (!seeds.length) return '–';
  const lo = Math.min(...seeds), hi = Math.max(...seeds);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

export const DATASET_NAMES = {
  imagenette: 'ImageNette', cifar10: 'CIFAR-10', cifar100: 'CIFAR-100', ham10000: 'HAM10000',
  stanford_dogs: 'Stanford Dogs', mit_indoor67: 'MIT Indoor-67', miniplaces: 'MiniPlaces',
};
export const datasetName = (id) => DATASET_NAMES[id] ?? id;

export function protocolOptions(cat) {
  const names = cat.protocols.map((p) => p.name).sort((a, b) => (a === 'paper-v1' ? -1 : b === 'paper-v1' ? 1
    : a.localeCompare(b)));
  return names.map((n) => ({ value: n, label: n === 'paper-v1' ? 'paper-v1 (the paper’s protocol)' : n }));
}
