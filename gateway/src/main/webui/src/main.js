// The single-page application: a page per route (#/<page>?<state>), the session (token login), and what every page
// shares. Pages are functions render(params, page) → Node; page.update(params) changes the URL state and redraws.
import { ApiError, auth } from './lib/api.js';
import { disposeCharts } from './lib/charts.js';
import { h, notice } from './lib/dom.js';
import { parseRoute, routeHash } from './lib/route.js';
import leaderboard from './pages/leaderboard.js';
import accuracy from './pages/accuracy.js';
import figures from './pages/figures.js';
import robustness from './pages/robustness.js';
import { evaluationDetail, evaluationList } from './pages/evaluations.js';
import compare from './pages/compare.js';
import models from './pages/models.js';
import datasets from './pages/datasets.js';
import login from './pages/login.js';

const PAGES = { leaderboard, accuracy, figures, robustness, evaluations: evaluationList, evaluation: evaluationDetail,
  compare, models, datasets, login };
const TITLES = { leaderboard: 'Leaderboard', accuracy: 'Accuracy heat-map', figures: 'Figures', robustness: 'Robustness',
  evaluations: 'Evaluations', evaluation: 'Evaluation', compare: 'Compare evaluations', models: 'Models', datasets: 'Datasets', login: 'Sign in' };

const view = document.getElementById('view');
let generation = 0;
/** The page on screen, null before the first. */
let shownPage = null;
/** Aborted when the page is left: streams and timers of the old page stop. */
let leaving = new AbortController();

export function announce(text) {
  document.getElementById('announcer').textContent = text;
}

function renderSession() {
  const claims = auth.claims();
  const box = document.getElementById('session');
  box.replaceChildren(claims
    ? h('span', {}, `Signed in as `, h('strong', {}, claims.sub ?? '?'),
      claims.groups ? ` (${[].concat(claims.groups).join(', ')})` : '',
      ' ', h('button', { type: 'button', onclick: () => { auth.signOut(); renderSession(); route(); } }, 'Sign out'))
    : h('a', { href: routeHash('login', { next: location.hash }) }, 'Sign in'));
}

async function route() {
  const { page: name, params } = parseRoute(location.hash);
  const pageName = PAGES[name] ? name : 'leaderboard';
  const mine = ++generation;
  leaving.abort();
  leaving = new AbortController();
  disposeCharts();
  for (const a of document.querySelectorAll('#nav a')) {
    const current = a.dataset.page === pageName || (['evaluation', 'compare'].includes(pageName) && a.dataset.page === 'evaluations');
    if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  document.title = `${TITLES[pageName]} · xScore`;
  view.setAttribute('aria-busy', 'true');
  const page = {
    signal: leaving.signal,
    update(next, { replace = true } = {}) {
      const hash = routeHash(pageName, { ...params, ...next });
      if (replace) history.replaceState(null, '', hash); else history.pushState(null, '', hash);
      route();
    },
    go(target, targetParams) { location.hash = routeHash(target, targetParams); },
    isCurrent: () => mine === generation,
  };
  try {
    const node = await PAGES[pageName](params, page);
    if (mine !== generation) return;
    view.replaceChildren(node);
    // another page (not new state of the same one): keyboard and screen-reader users start at its content
    if (shownPage !== null && shownPage !== pageName) view.focus({ preventScroll: true });
    shownPage = pageName;
  } catch (e) {
    if (mine !== generation) return;
    if (e instanceof ApiError && e.status === 401) {
      view.replaceChildren(h('div', {}, h('h1', {}, TITLES[pageName]),
        notice('error', `Sign in to see this page: ${e.message}`),
        h('p', {}, h('a', { href: routeHash('login', { next: location.hash }) }, 'Sign in with a token'))));
    } else {
      view.replaceChildren(h('div', {}, h('h1', {}, TITLES[pageName]),
        notice('error', e instanceof ApiError ? `${e.status}: ${e.message}` : String(e?.message ?? e))));
      console.error(e);
    }
  } finally {
    if (mine === generation) view.removeAttribute('aria-busy');
  }
}

window.addEventListener('hashchange', route);
window.addEventListener('xscore:session', () => { renderSession(); });
renderSession();
route();
