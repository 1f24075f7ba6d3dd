// Real searches on the CPU backend: random search, then evolution, each
// trained for one epoch, drawn live, and kept inside the page's origin.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  canvasPixels,
  hasInk,
  launch,
  openPage,
  runSearch,
  SEARCH_TIMEOUT_MS,
  tableAccuracies,
  waitForBackend,
} from './_helpers.mjs';

const HASH = '#candidates=3&epochs=1&pop=3&gens=2&backend=cpu';

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

test('random search trains three candidates and ranks them', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors, requests } = session;
  const emptyChart = (await canvasPixels(page, 'chart-random-best')).url;

  const status = await runSearch(page, 'random');
  const accuracies = await tableAccuracies(page, 'random');

  assert.match(status, /^Done: 3 candidates/);
  assert.equal(accuracies.length, 3);
  for (const accuracy of accuracies) assert.ok(accuracy > 0 && accuracy <= 1, `accuracy ${accuracy}`);
  assert.deepEqual(accuracies, [...accuracies].sort((a, b) => b - a), 'ranked best first');
  assert.equal(await page.locator('#random-results tbody tr:first-child td:first-child').textContent(), '1');
  assert.ok(await hasInk(page, 'chart-random-best'));
  assert.notEqual((await canvasPixels(page, 'chart-random-best')).url, emptyChart, 'the chart shows the run');
  assert.equal(await page.locator('progress[aria-label="Random search progress"]').evaluate((bar) => bar.value), 1);
  assert.ok(requests.every((url) => url.startsWith(`${browser.origin}/`)), requests.join('\n'));
  assert.deepEqual(errors, []);
});

test('evolution runs two generations of three and draws its three charts', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors, requests } = session;
  const charts = ['chart-evo-progress', 'chart-evo-diversity', 'chart-evo-histogram'];
  const empty = await Promise.all(charts.map(async (id) => (await canvasPixels(page, id)).url));

  await page.locator('.run-bar[data-panel="evolution"] [data-action="run"]').click();
  assert.ok(await page.locator('.run-bar[data-panel="random"] [data-action="run"]').isDisabled(),
    'only one search runs at a time');
  await page.waitForFunction(
    () => /^(Done|Stopped)/.test(document.querySelector('.run-bar[data-panel="evolution"] .run-status').textContent),
    null,
    { timeout: SEARCH_TIMEOUT_MS, polling: 500 },
  );
  const status = await page.locator('.run-bar[data-panel="evolution"] .run-status').textContent();
  const accuracies = await tableAccuracies(page, 'evolution');

  assert.match(status, /^Done/);
  assert.ok(accuracies.length >= 3, `${accuracies.length} rows`);
  for (const accuracy of accuracies) assert.ok(accuracy > 0 && accuracy <= 1, `accuracy ${accuracy}`);
  for (const [i, id] of charts.entries()) {
    assert.ok(await hasInk(page, id), `${id} is drawn`);
    assert.notEqual((await canvasPixels(page, id)).url, empty[i], `${id} shows the run`);
  }
  assert.ok(await page.locator('.run-bar[data-panel="random"] [data-action="run"]').isEnabled());
  assert.ok(requests.every((url) => url.startsWith(`${browser.origin}/`)), requests.join('\n'));
  assert.deepEqual(errors, []);
});

test('a running search stops on request and keeps what it finished', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors } = session;
  const bar = page.locator('.run-bar[data-panel="random"]');

  await bar.locator('[data-action="run"]').click();
  await bar.locator('[data-action="stop"]').click();
  await page.waitForFunction(
    () => /^(Done|Stopped)/.test(document.querySelector('.run-bar[data-panel="random"] .run-status').textContent),
    null,
    { timeout: SEARCH_TIMEOUT_MS },
  );

  assert.match(await bar.locator('.run-status').textContent(), /^Stopped after/);
  assert.ok(await bar.locator('[data-action="run"]').isEnabled());
  assert.ok(await bar.locator('[data-action="stop"]').isDisabled());
  assert.deepEqual(errors, []);
});
