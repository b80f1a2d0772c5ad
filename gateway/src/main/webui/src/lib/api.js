// The gateway's API as the page calls it: the bearer token (kept for this browser tab only, in sessionStorage),
// problem+json errors as exceptions that say what the server said, and server-sent events read with fetch (the
// browser's EventSource cannot send an Authorization header).

const TOKEN_KEY = 'xscore.token';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export const auth = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token) => sessionStorage.setItem(TOKEN_KEY, token.trim().replace(/^Bearer\s+/i, '')),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
  /** The token's claims, for showing who is signed in (the gateway checks the token; the page only reads it). */
  claims() {
    const token = this.token();
    if (!token) return null;
    try {
      const payload = token.split('.')[1].replaceAll('-', '+').replaceAll('_', '/');
      return JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '=')));
    } catch {
      return null;
    }
  },
};

function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  const token = auth.token();
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

async function failure(response) {
  let problem = null;
  try {
    problem = await response.json();
  } catch {
    problem = { title: response.statusText };
  }
  return new ApiError(response.status, problem);
}

export async function get(path) {
  const response = await fetch(path, { headers: headers() });
  if (!response.ok) throw await failure(response);
  return response.json();
}

export async function post(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/json' }),
    body: JSON.stringify(body ?? {}),
  });
  if (!response.ok) throw await failure(response);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** An image the API serves (previews, adversarial examples) as an object URL, with the response's headers. */
export async function image(path) {
  const response = await fetch(path, { headers: headers({ Accept: 'image/png' }) });
  if (!response.ok) throw await failure(response);
  return { url: URL.createObjectURL(await response.blob()), headers: response.headers };
}

/**
 * Reads a server-sent event stream: onEvent(JSON of each data field) until the stream ends or signal aborts.
 * Resolves when the server closes the stream.
 */
export async function events(path, onEvent, signal) {
  const response = await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), signal });
  if (!response.ok) throw await failure(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      const data = block.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, ''));
      if (data.length) onEvent(JSON.parse(data.join('\n')));
    }
  }
}
