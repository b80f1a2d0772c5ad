// Token login: a bearer token from the identity provider (or, on a local stack, ./xscore token). It is kept for this
// tab only and sent as Authorization: Bearer on every call; the gateway checks it.
import { ApiError, auth, get } from '../lib/api.js';
import { h, notice } from '../lib/dom.js';

export default async function login(params, page) {
  const message = h('div', { 'aria-live': 'polite' });
  const field = h('textarea#token', { rows: 5, cols: 70, required: true, spellcheck: 'false', autocomplete: 'off',
    'aria-describedby': 'token-help' });
  const form = h('form', {
    onsubmit: async (e) => {
      e.preventDefault();
      auth.signIn(field.value);
      try {
        await get('/api/v1/catalog');
        window.dispatchEvent(new Event('xscore:session'));
        location.hash = params.next && params.next.startsWith('#/') && !params.next.startsWith('#/login')
          ? params.next : '#/leaderboard';
      } catch (err) {
        auth.signOut();
        message.replaceChildren(notice('error', err instanceof ApiError ? `${err.status}: ${err.message}` : String(err)));
      }
    },
  },
  h('label', { for: 'token' }, 'Bearer token'),
  h('br'), field,
  h('p#token-help.legend', {}, 'A JSON Web Token issued for audience xscore with a role (viewer, submitter or admin). ',
    'On a local stack: ', h('code', {}, './xscore token --role submitter'), '.'),
  h('button.primary', { type: 'submit' }, 'Sign in'));
  return h('div', {}, h('h1', {}, 'Sign in'), message, form);
}
