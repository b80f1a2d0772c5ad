// How numbers are shown (tables keep full precision in their CSV and JSON downloads).

export const fixed = (digits) => (v) => (v === null || v === undefined || Number.isNaN(v) ? '–' : Number(v).toFixed(digits));

export function compact(v) {
  if (v === null || v === undefined) return '–';
  const units = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [size, unit] of units) if (Math.abs(v) >= size) return `${(v / size).toFixed(2)} ${unit}`;
  return String(v);
}

/** Whole numbers with thousands separators: 50,000. */
export const count = (v) => (v === null || v === undefined ? '–' : Number(v).toLocaleString('en'));

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** A mean accuracy with its standard error over seeds, when there is one: "71.20 ± 0.35". */
export function meanWithError(cell) {
  if (!cell) return '–';
  const m = Number(cell.mean).toFixed(2);
  return cell.stderr === undefined || cell.stderr === null ? m : `${m} ± ${Number(cell.stderr).toFixed(2)}`;
}

export function percent(v) {
  return v === null || v === undefined ? '–' : `${Number(v).toFixed(2)} %`;
}
