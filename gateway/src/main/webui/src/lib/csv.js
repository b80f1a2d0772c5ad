// Tables to CSV (RFC 4180): fields with a comma, quote or line break are quoted, quotes doubled. A text cell that a
// spreadsheet would take for a formula (= + - @ at the start) is prefixed with ' so that opening a download runs
// nothing; numbers are written as they are.

export function csvField(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** columns: [{key, label}]; rows: objects; value(row, column) picks a cell (default row[column.key]). */
export function toCsv(columns, rows, value = (row, column) => row[column.key]) {
  const lines = [columns.map((c) => csvField(c.label ?? c.key)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(value(row, c))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
