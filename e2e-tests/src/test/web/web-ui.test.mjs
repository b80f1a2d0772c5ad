// The web application end to end, in a real browser against the real stack (e2e-tests' WebUiIT starts the four
// services on a real Kafka broker and MongoDB wire server, then runs this file):
// sign in with a token, the leaderboard's 11 reference models, λ changing ranks (and the state in the URL), the
// heat-map's best and worst cells, the figures and their downloads, a quick evaluation submitted from the page and
// followed live to done, its model on its protocol's board and on its robustness board. Every page is checked with
// axe-core's WCAG 2 A/AA rules and photographed into XSCORE_WEB_SCREENSHOTS.
//
// Environment: XSCORE_WEB_URL (the gateway), XSCORE_WEB_TOKEN (a submitter's bearer token), XSCORE_WEB_SCREENSHOTS
// (a directory), CHROMIUM (default /usr/bin/chromium), XSCORE_WEB_EVALUATION_MINUTES (default 15).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const BASE = process.env.XSCORE_WEB_URL ?? 'http://127.0.0.1:8080';
const TOKEN = process.env.XSCORE_WEB_TOKEN;
const SHOTS = process.env.XSCORE_WEB_SCREENSHOTS ?? 'target/web-screenshots';
const EVALUATION_MS = Number(process.env.XSCORE_WEB_EVALUATION_MINUTES ?? 15) * 60_000;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser;
let page;
const consoleErrors = [];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    // as root in a container without a user namespace; no network beyond loopback: nothing in the background
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
});

after(async () => {
  await browser?.close();
});

/** On a failed step: what the page showed, kept beside the other screenshots. */
afterEach(async (t) => {
  if (page && t.passed === false) await shot(`failed-${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
});

async function shot(name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** axe-core's WCAG 2 A and AA rules on the page as it is; serious and critical findings fail the test. */
async function accessible(name) {
  // evaluated through the DevTools protocol: the page's Content-Security-Policy allows no injected script tag
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')})`),
    [], `accessibility of ${name}`);
}

async function ranks() {
  return page.$$eval('#leaderboard-table tbody tr', (rows) => Object.fromEntries(rows.map((r) => [r.dataset.model,
    r.querySelector('th').textContent.trim()])));
}

async function download(buttonLabel) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: buttonLabel }).click()]);
  return { name: file.suggestedFilename(), content: readFileSync(await file.path()) };
}

test('sign in with a token; the page asks for one first', async () => {
  assert.ok(TOKEN, 'XSCORE_WEB_TOKEN is needed');
  await page.goto(`${BASE}/#/leaderboard`);
  await page.getByRole('alert').filter({ hasText: 'Sign in' }).waitFor();
  await page.getByRole('link', { name: 'Sign in with a token' }).click();
  await accessible('sign-in');
  await shot('00-sign-in');
  await page.getByLabel('Bearer token').fill(TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/#\/leaderboard/);
  await page.locator('#session').getByText('Signed in as').waitFor();
});

test('the leaderboard shows the 11 reference models, and λ changes ranks', async () => {
  await page.locator('#leaderboard-table tbody tr').first().waitFor();
  const reference = await page.$$eval('#leaderboard-table tbody tr', (rows) => rows
    .filter((r) => r.children[2].textContent === 'reference').map((r) => r.dataset.model));
  assert.equal(reference.length, 11, `reference models: ${reference}`);
  for (const m of ['efficientnet', 'convmixer', 'mobilevit', 'mobilenet', 'convnext']) assert.ok(reference.includes(m), m);
  const atHalf = await ranks();
  assert.equal(atHalf.efficientnet, '1');
  await accessible('leaderboard');
  await shot('01-leaderboard');

  await page.getByLabel('λ (xScore = G − λ·V)').fill('2');
  await page.getByLabel('λ (xScore = G − λ·V)').press('Enter');
  await page.waitForURL(/lambda=2/);
  await page.locator('#leaderboard-table caption', { hasText: 'λ = 2' }).waitFor();
  const atTwo = await ranks();
  const moved = Object.keys(atHalf).filter((m) => atTwo[m] && atTwo[m] !== atHalf[m]);
  assert.ok(moved.length > 0, `some rank changes between λ = 0.5 and 2: ${JSON.stringify(atTwo)}`);
  const changes = await page.$$eval('#leaderboard-table tbody td span.up, #leaderboard-table tbody td span.down',
    (s) => s.length);
  assert.equal(changes, moved.length, 'every moved model shows its rank change');
  const tau = await page.$$eval('#stability-table tbody tr', (rows) => rows.map((r) => [r.children[0].textContent,
    Number(r.children[1].textContent)]));
  assert.equal(tau.find(([l]) => l === '0.5')[1], 1, 'τ of the base λ against itself');
  assert.ok(tau.find(([l]) => l === '2')[1] < 1, 'τ below 1 where ranks change');
  await shot('02-leaderboard-lambda-2');

  // the state is in the URL: a reload (a deep link) shows the same view
  await page.reload();
  await page.locator('#leaderboard-table caption', { hasText: 'λ = 2' }).waitFor();
  assert.equal(await page.getByLabel('λ (xScore = G − λ·V)').inputValue(), '2');

  // a λ outside the sweep, straight from a link: scored at that λ and added to the stability views
  await page.goto(`${BASE}/#/leaderboard?lambda=0.3`);
  await page.locator('#leaderboard-table caption', { hasText: 'λ = 0.3,' }).waitFor();
  assert.equal(await page.locator('#stability-table tbody tr').count(), 7);
  await page.goto(`${BASE}/#/leaderboard?lambda=2`);
  await page.locator('#leaderboard-table caption', { hasText: 'λ = 2,' }).waitFor();

  const csv = await download('Download Ranked by xScore at λ = 2, protocol paper-v1, scale reference as CSV');
  assert.match(csv.name, /\.csv$/);
  const lines = csv.content.toString().trim().split('\r\n');
  assert.equal(lines.length, 1 + Object.keys(atTwo).length);
  assert.match(lines[0], /^Rank,Model,Source,Kind/);
});

test('the heat-map marks each dataset\'s best and worst cell', async () => {
  await page.getByRole('link', { name: 'Accuracy heat-map' }).click();
  await page.locator('#heatmap-table tbody tr').first().waitFor();
  for (const d of ['imagenette', 'cifar10', 'cifar100', 'ham10000', 'stanford_dogs', 'mit_indoor67', 'miniplaces']) {
    assert.ok(await page.locator(`#heatmap-table td.best[data-dataset="${d}"]`).count() >= 1, `best on ${d}`);
    assert.ok(await page.locator(`#heatmap-table td.worst[data-dataset="${d}"]`).count() >= 1, `worst on ${d}`);
  }
  // the paper's table: EfficientNet is best on CIFAR-100 (78.79 %), the column's maximum
  const best = await page.$eval('#heatmap-table td.best[data-dataset="cifar100"]', (td) => td.parentElement.dataset.model
    ?? td.parentElement.querySelector('th').textContent);
  assert.equal(best, 'efficientnet');
  await page.locator('#heatmap-chart svg').waitFor();
  await accessible('accuracy');
  await shot('03-accuracy-heat-map');
});

test('the figures draw, and charts and tables download', async () => {
  await page.getByRole('link', { name: 'Figures' }).click();
  for (const id of ['fig-imagenette', 'fig-proxy', 'fig-pareto-parameters', 'fig-pareto-macs']) {
    await page.locator(`#${id} svg`).waitFor();
  }
  const caption = await page.locator('figure', { has: page.locator('#fig-imagenette') }).locator('figcaption').textContent();
  assert.match(caption, /Pearson r = 0\.899, Spearman ρ = 0\.773 over 11 models/);
  assert.ok(await page.locator('#elements-table tbody tr').count() >= 11);
  const svg = await download('Download ImageNette accuracy vs xScore (paper Fig. 1) as SVG');
  assert.match(svg.content.toString(), /^<svg/);
  const png = await download('Download 7-dataset vs 4-dataset xScore (paper Fig. 2) as PNG');
  assert.deepEqual([...png.content.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  const json = await download('Download Architecture elements by model, ranked by xScore (λ = 0.5) as JSON');
  assert.ok(JSON.parse(json.content.toString()).length >= 11);
  await accessible('figures');
  await shot('04-figures');
});

test('models and datasets pages', async () => {
  await page.getByRole('link', { name: 'Models' }).click();
  await page.locator('#models-table tbody tr[data-model="mobilevit"]').waitFor();
  await accessible('models');
  await shot('05-models');
  // by keyboard: the first Tab after a load reaches the skip link; a focused navigation link opens its page with Enter
  await page.reload();
  await page.locator('#models-table').waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
  await page.getByRole('link', { name: 'Datasets' }).focus();
  await page.keyboard.press('Enter');
  await page.locator('#datasets-table tbody tr[data-dataset="fashion-mnist"]').waitFor();
  await accessible('datasets');
  await shot('06-datasets');
});

/** Two ConvMixers on synthetic textures, quick protocol made smaller, with the low-resolution suite. */
async function fillQuickEvaluation() {
  await page.getByLabel('Custom models').fill('convmixer-32-4, convmixer-64-4');
  await page.locator('#submit-form input[name=datasets][value=synthetic-textures]').check();
  await page.getByLabel('Protocol').selectOption('quick');
  await page.getByLabel('Epochs (not paper)').fill('2');
  await page.getByLabel('Training images (not paper)').fill('600');
  await page.getByLabel('Test images (not paper)').fill('300');
  await page.locator('#submit-form input[name=suites][value=low-resolution]').check();
  await page.getByLabel('Images per dataset').fill('60');
}

test('a quick evaluation submitted from the page runs to done, live, and its models reach their boards', async () => {
  await page.getByRole('link', { name: 'Evaluations' }).click();
  await page.locator('#submit-form').waitFor();
  await accessible('evaluations');
  await fillQuickEvaluation();
  await shot('07-submit');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.waitForURL(/#\/evaluation\?id=/);
  const id = new URL(page.url().replace('#/', '')).searchParams.get('id');
  // planned once the dataset service knows the dataset's content digest (on a fresh stack it prepares it first)
  await page.locator('#jobs-table tbody tr').first().waitFor({ timeout: EVALUATION_MS });
  assert.equal(await page.locator('#jobs-table tbody tr').count(), 2);
  // progress arrives through the event stream: a job shows an epoch before the evaluation ends
  await page.locator('#curve-test svg').waitFor({ timeout: EVALUATION_MS });
  await shot('08-evaluation-running');
  await page.locator('#evaluation-status', { hasText: /^SUCCEEDED$/ }).waitFor({ timeout: EVALUATION_MS });
  assert.equal(await page.locator('#jobs-table tbody tr[data-state="SUCCEEDED"]').count(), 2);
  await page.locator('#scores-table tbody tr').nth(1).waitFor();
  await accessible('evaluation');
  await shot('09-evaluation-done');

  await page.getByRole('link', { name: 'Leaderboard of quick' }).click();
  await page.locator('#leaderboard-table tbody tr[data-model="convmixer-32-4"]').waitFor();
  await page.locator('#leaderboard-table tbody tr[data-model="convmixer-64-4"]').waitFor();
  assert.match(await page.locator('#leaderboard-table caption').textContent(), /protocol quick, scale recomputed/);
  await shot('10-leaderboard-quick');

  // the model's own page: every board it is on
  await page.locator('#leaderboard-table tbody tr[data-model="convmixer-32-4"]').getByRole('link', { name: 'convmixer-32-4' }).click();
  await page.locator('#model-scores-table tbody tr', { hasText: 'quick' }).waitFor();
  assert.equal(await page.locator('#model-robustness-table tbody tr', { hasText: id }).count(), 1);
  await accessible('model');
  await shot('12-model');

  await page.goto(`${BASE}/#/robustness?evaluation=${id}`);
  await page.locator('#lr-table tbody tr').first().waitFor();
  assert.deepEqual(await page.$$eval('#lr-table tbody tr th', (c) => [...new Set(c.map((x) => x.textContent))].sort()),
    ['convmixer-32-4', 'convmixer-64-4']);
  await page.locator('#rob-lr svg').waitFor();
  await page.locator('.previews img').first().waitFor();
  await accessible('robustness');
  await shot('11-robustness');

  // the same request again is answered from the stored results; the two side by side agree job for job
  await page.getByRole('link', { name: 'Evaluations' }).click();
  await page.locator('#submit-form').waitFor();
  await fillQuickEvaluation();
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.waitForURL((url) => url.hash.startsWith('#/evaluation?id=') && !url.hash.includes(id));
  const again = new URL(page.url().replace('#/', '')).searchParams.get('id');
  await page.locator('#evaluation-status', { hasText: /^SUCCEEDED$/ }).waitFor({ timeout: EVALUATION_MS });
  await page.getByRole('link', { name: 'Evaluations' }).click();
  await page.getByLabel(`Compare ${id}`).check();
  await page.getByLabel(`Compare ${again}`).check();
  await page.getByRole('button', { name: 'Compare selected' }).click();
  await page.locator('#compare-jobs tbody tr').first().waitFor();
  const cells = await page.$$eval('#compare-jobs tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td.num')]
    .slice(1).map((td) => td.textContent)));
  assert.equal(cells.length, 2);
  for (const [a, b] of cells) assert.equal(a, b, 'a reused job has its first run\'s accuracy');
  await page.locator('#compare-curves svg').waitFor();
  await accessible('compare');
  await shot('13-compare');

  assert.deepEqual(consoleErrors.filter((e) => !/Failed to load resource/.test(e)), [], 'no script errors');
});
