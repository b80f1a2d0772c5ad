// A few DOM helpers: elements from data, tables with a caption and their CSV/JSON downloads.
import { toCsv } from './csv.js';

/** h('tag.class#id', {attr: value, onclick: fn}, ...children): an element; strings become text nodes. */
export function h(spec, attrs = {}, ...children) {
  const [, tag, rest] = spec.match(/^([a-z0-9]+)(.*)$/i);
  const el = document.createElement(tag);
  for (const part of rest.match(/[.#][^.#]+/g) ?? []) {
    if (part[0] === '.') el.classList.add(part.slice(1)); else el.id = part.slice(1);
  }
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value);
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function download(filename, type, content) {
  const url = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type }));
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A table with its caption and download buttons.
 * columns: [{key, label, format(value, row), cell(row) → Node, numeric, title}], rows: objects.
 * data(row, column) gives the raw value written to CSV (default row[key]); json: what the JSON download holds.
 */
export function dataTable({ id, caption, columns, rows, filename, data, json, rowAttrs, cellAttrs }) {
  const raw = data ?? ((row, column) => row[column.key]);
  const head = h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', title: c.title,
    class: c.numeric ? 'num' : null }, c.label ?? c.key))));
  const body = h('tbody', {}, rows.map((row) => h('tr', rowAttrs ? rowAttrs(row) : {}, columns.map((c, i) => {
    const content = c.cell ? c.cell(row) : (c.format ? c.format(raw(row, c), row) : raw(row, c) ?? '–');
    const attrs = { class: c.numeric ? 'num' : null, ...(cellAttrs ? cellAttrs(row, c) : {}) };
    return i === 0 ? h('th', { scope: 'row', ...attrs }, content) : h('td', attrs, content);
  }))));
  const name = filename ?? id;
  return h('section.table-block', { 'aria-labelledby': `${id}-caption` },
    h('div.table-tools', {},
      h('button', { type: 'button', onclick: () => download(`${name}.csv`, 'text/csv', toCsv(columns, rows, raw)),
        'aria-label': `Download ${caption} as CSV` }, 'CSV'),
      h('button', { type: 'button', onclick: () => download(`${name}.json`, 'application/json',
        JSON.stringify(json ?? rows, null, 2)), 'aria-label': `Download ${caption} as JSON` }, 'JSON')),
    h('div.scroll', { tabindex: '0', role: 'region', 'aria-labelledby': `${id}-caption` },
      h(`table#${id}`, {}, h('caption', { id: `${id}-caption` }, caption), head, body)));
}

/** A labelled select; options: [{value, label}]. */
export function select(label, id, options, value, onchange) {
  return h('label.control', { for: id }, label,
    h(`select#${id}`, { onchange: (e) => onchange(e.target.value) },
      options.map((o) => h('option', { value: o.value, selected: String(o.value) === String(value) }, o.label ?? o.value))));
}

export function notice(kind, text) {
  return h(`p.notice.${kind}`, { role: kind === 'error' ? 'alert' : 'status' }, text);
}
