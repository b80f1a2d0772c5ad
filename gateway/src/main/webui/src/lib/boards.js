// What the heat-map and the robustness board derive from the API's numbers (pure functions, tested in
// test/boards.test.js).

/**
 * Light to dark blue; the text is black or white, whichever contrasts more with the cell (WCAG relative luminance:
 * black text needs L ≥ 0.175 for 4.5:1, white text L ≤ 0.183, so one of them always passes).
 */
export function heatColour(t) {
  const from = [239, 246, 255], to = [8, 69, 148];
  const c = from.map((f, i) => Math.round(f + (to[i] - f) * t));
  const [r, g, b] = c.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return { background: `rgb(${c.join(',')})`, color: luminance < 0.179 ? '#ffffff' : '#000000' };
}

/** Per dataset: lowest and highest mean among the rows, and which models hold them (ties all marked). */
export function extremes(rows, datasets) {
  const out = {};
  for (const d of datasets) {
    const values = rows.map((r) => r.accuracies?.[d]?.mean).filter((v) => v !== undefined);
    if (!values.length) continue;
    const lo = Math.min(...values), hi = Math.max(...values);
    out[d] = { lo, hi,
      best: rows.filter((r) => r.accuracies?.[d]?.mean === hi).map((r) => r.model),
      worst: rows.filter((r) => r.accuracies?.[d]?.mean === lo).map((r) => r.model) };
  }
  return out;
}

/** Mean over the corruptions at each severity. */
export function severityMeans(corruptions, d) {
  const bySeverity = new Map();
  for (const [key, acc] of Object.entries(corruptions?.accuracy ?? {})) {
    const severity = Number(key.split('/').pop());
    if (acc?.[d] === undefined) continue;
    if (!bySeverity.has(severity)) bySeverity.set(severity, []);
    bySeverity.get(severity).push(acc[d]);
  }
  return [...bySeverity.entries()].sort((a, b) => a[0] - b[0])
    .map(([severity, v]) => ({ severity, mean: v.reduce((a, b) => a + b, 0) / v.length }));
}
