// The page's state lives in the URL fragment, so that every view is a deep link: #/<page>?<key>=<value>&...
// (parameters in the order given; empty values left out).

export function parseRoute(hash) {
  const text = (hash || '').replace(/^#\/?/, '');
  const q = text.indexOf('?');
  const page = decodeURIComponent(q < 0 ? text : text.slice(0, q)) || '';
  const params = {};
  if (q >= 0) {
    for (const [key, value] of new URLSearchParams(text.slice(q + 1))) params[key] = value;
  }
  return { page, params };
}

export function routeHash(page, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const q = query.toString();
  return `#/${page}${q ? `?${q}` : ''}`;
}
