// Section 9 in a real browser: a short predictor-based search on the CPU
// backend draws its guesses against the truth and its τ per round, and the
// three-way NAS-Bench-201 race runs in the worker and reports all three.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  canvasPixels,
  hasInk,
  launch,
  openPage,
  SEARCH_TIMEOUT_MS,
  tableAccuracies,
  waitForBackend,
} from './_helpers.mjs';

// Five networks of one epoch: two random, then three rounds of one pick.
const HASH = '#candidates=5&epochs=1&width=16&p_init=2&p_picks=1&p_pool=30&backend=cpu' +
  '&pr_seeds=3&pr_queries=300';

/** The predictor's colour in the race chart (the third series, Okabe–Ito purple). */
const PREDICTOR_RGB = [204, 121, 167];

let browser;
let session;

before(async () => {
  browser = await launch();
  session = await openPage(browser.context, browser.origin, HASH);
  const { backend, text } = await waitForBackend(session.page);
  assert.equal(backend, 'cpu', text);
});

after(async () => {
  await browser?.close();
});

/** How many pixels of canvas `id` are within a small distance of `rgb`. */
function pixelsOf(page, id, rgb) {
  return page.evaluate(([canvasId, [r, g, b]]) => {
    const canvas = document.getElementById(canvasId);
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 30) {
        count += 1;
      }
    }
    return count;
  }, [id, rgb]);
}

/** Waits for the status of run bar `panel` to start with one of `endings`. */
async function settled(page, panel, endings) {
  await page.waitForFunction(
    ([name, pattern]) => new RegExp(pattern).test(
      document.querySelector(`.run-bar[data-panel="${name}"] .run-status`).textContent,
    ),
    [panel, `^(${endings.join('|')})`],
    { timeout: SEARCH_TIMEOUT_MS, polling: 500 },
  );
  return page.locator(`.run-bar[data-panel="${panel}"] .run-status`).textContent();
}

test('a five-network predictor search trains, guesses and judges its guesses', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors, requests } = session;
  const charts = ['chart-predicted', 'chart-rank-quality', 'chart-predictor-best'];
  const empty = await Promise.all(charts.map(async (id) => (await canvasPixels(page, id)).url));

  await page.locator('#predictor').scrollIntoViewIfNeeded();
  const started = Date.now();
  await page.locator('.run-bar[data-panel="predictor"] [data-action="run"]').click();
  const status = await settled(page, 'predictor', ['Done', 'Stopped']);
  console.log(`predictor search of 5 networks: ${((Date.now() - started) / 1000).toFixed(1)} s`);

  assert.match(status, /^Done: 5 networks/);
  const accuracies = await tableAccuracies(page, 'predictor');
  assert.equal(accuracies.length, 5);
  for (const accuracy of accuracies) assert.ok(accuracy > 0 && accuracy <= 1, `accuracy ${accuracy}`);
  const guesses = await page.$$eval('#predictor-results tbody tr', (rows) =>
    rows.map((row) => row.cells[3].textContent));
  assert.equal(guesses.filter((text) => / ± /.test(text)).length, 3, guesses.join(' | '));
  assert.equal(guesses.filter((text) => text === '–').length, 2, 'the random first two');

  const quality = await page.locator('#predictor-quality').textContent();
  assert.match(quality, /^After round 3: Kendall τ (-?\d\.\d\d) and Spearman ρ (-?\d\.\d\d) between the guesses and the trained accuracy of the 3 networks picked/);
  assert.match(quality, /the zero-cost proxy alone: τ -?\d\.\d\d over all 5 trained networks/);
  const rounds = await page.$$eval('#predictor-rounds tbody tr', (rows) =>
    rows.map((row) => [...row.cells].map((cell) => cell.textContent)));
  assert.deepEqual(rounds.map((cells) => cells.slice(0, 2)), [['1', '1'], ['2', '1'], ['3', '1']]);
  assert.match(rounds[2][5], /^-?\d\.\d\d$/, 'the proxy τ by the end of round 3');
  for (const [i, id] of charts.entries()) {
    assert.ok(await hasInk(page, id), `${id} is drawn`);
    assert.notEqual((await canvasPixels(page, id)).url, empty[i], `${id} shows the run`);
  }
  const method = page.locator('#methods-table tbody tr[data-method="predictor"] td');
  assert.deepEqual((await method.allTextContents()).slice(0, 2), ['Predictor-based search', '5']);
  assert.ok(requests.every((url) => url.startsWith(`${browser.origin}/`)), requests.join('\n'));
  assert.deepEqual(errors, []);
});

test('the three-way race of 3 seeds × 300 queries runs in the worker and reports the predictor', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors, requests } = session;
  assert.equal(await pixelsOf(page, 'chart-predictor-race', PREDICTOR_RGB), 0);

  await page.locator('.run-bar[data-panel="predictor-race"] [data-action="run"]').click();
  assert.ok(await page.locator('.run-bar[data-panel="predictor"] [data-action="run"]').isDisabled(),
    'the race and the chain search take turns in the worker');
  const status = await settled(page, 'predictor-race', ['Done', 'Stopped']);
  const ms = Number(await page.locator('#predictor-race-status').getAttribute('data-ms'));
  console.log(`three-way race of 3 seeds × 300 queries: ${(ms / 1000).toFixed(1)} s`);

  assert.match(status, /^Done: 3 seeds × 300 queries for each of the three strategies in \d+\.\d s\.$/);
  const rows = await page.$$eval('#predictor-race-table tbody tr', (trs) => trs.map((tr) => ({
    strategy: tr.dataset.strategy,
    after100: Number(tr.dataset.after100),
    after300: Number(tr.dataset.after300),
  })));
  assert.deepEqual(rows.map((row) => row.strategy), ['random', 'regularized', 'predictor']);
  for (const { strategy, after100, after300 } of rows) {
    assert.ok(after100 > 0.5 && after100 <= after300, `${strategy}: ${after100} then ${after300}`);
    assert.ok(after300 <= 0.94373, `${strategy} above the table's best`);
  }
  assert.match(await page.locator('#predictor-race-caption').textContent(),
    /^Three-way race: 3 of 3 seeds from seed 1, 300 queries each/);
  const tau = await page.$$eval('#predictor-tau-table tbody tr', (trs) =>
    trs.map((tr) => [...tr.cells].map((cell) => cell.textContent)));
  assert.equal(tau.length, 28, '(300 − 20) / 10 rounds');
  assert.deepEqual(tau[0].slice(0, 2), ['1', '20']);
  assert.match(tau[0][2], /^-?\d\.\d\d$/, 'τ on unseen cells');
  assert.ok(await pixelsOf(page, 'chart-predictor-race', PREDICTOR_RGB) > 200, 'a third curve');
  assert.ok(await hasInk(page, 'chart-predictor-tau'));
  assert.ok(await page.locator('.run-bar[data-panel="predictor"] [data-action="run"]').isEnabled());
  assert.ok(requests.every((url) => url.startsWith(`${browser.origin}/`)), requests.join('\n'));
  assert.deepEqual(errors, []);
});
