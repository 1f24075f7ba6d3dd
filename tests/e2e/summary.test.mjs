// The summary section: the NAS-Bench-201 table is fetched from the page's own
// origin only once the section comes into view, a small race (5 seeds × 50
// queries) draws its chart and reports both strategies, a change of setting
// reruns it, and the method table fills from a 2-candidate random search.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  canvasPixels,
  hasInk,
  launch,
  openPage,
  runSearch,
  SEARCH_TIMEOUT_MS,
  waitForBackend,
} from './_helpers.mjs';

const HASH = '#candidates=2&epochs=1&backend=cpu&race_seeds=5&race_queries=50';

const TABLE_PATH = '/data/nb201_cifar10.csv';

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

/** Waits for the race's status line to settle; returns its state and text. */
async function raceSettled(page) {
  await page.waitForFunction(
    () => ['done', 'error'].includes(document.getElementById('race-status').dataset.state),
    null,
    { timeout: 60_000, polling: 100 },
  );
  const status = page.locator('#race-status');
  return { state: await status.getAttribute('data-state'), text: await status.textContent() };
}

test('the table is not fetched before the summary is in view', async () => {
  const { requests, errors } = session;

  assert.ok(!requests.some((url) => url.endsWith(TABLE_PATH)), requests.join('\n'));
  assert.deepEqual(errors, []);
});

test('a race of 5 seeds × 50 queries runs on view and reports both strategies', { timeout: 120_000 }, async () => {
  const { page, errors, requests } = session;
  const empty = (await canvasPixels(page, 'chart-race')).url;

  await page.locator('#summary').scrollIntoViewIfNeeded();
  const { state, text } = await raceSettled(page);

  assert.equal(state, 'done', `${text} ${await page.locator('.run-bar[data-panel="race"] .notice').textContent()}`);
  assert.match(text, /^Done: 5 seeds × 50 queries for each strategy in \d+ ms \(table of 15,625 cells/);
  const rows = await page.$$eval('#race-table tbody tr', (trs) =>
    trs.map((tr) => ({ strategy: tr.dataset.strategy, median: Number(tr.dataset.median) })));
  assert.deepEqual(rows.map((row) => row.strategy), ['random', 'regularized']);
  for (const { strategy, median } of rows) {
    assert.ok(median >= 0 && median <= 1, `${strategy} median ${median}`);
    assert.ok(median <= 0.94373, `${strategy} median ${median} above the table's best`);
  }
  assert.match(await page.locator('#race-caption').textContent(), /^Strategy race: 5 seeds from seed 1, 50 queries each/);
  assert.match(await page.locator('#race-best').textContent(), /idx 6111, .* 94\.373%/);
  assert.ok(await hasInk(page, 'chart-race'), 'the race is drawn');
  assert.notEqual((await canvasPixels(page, 'chart-race')).url, empty, 'the chart shows the race');
  assert.equal(requests.filter((url) => url.endsWith(TABLE_PATH)).length, 1);
  assert.ok(requests.every((url) => url.startsWith(`${browser.origin}/`)), requests.join('\n'));
  assert.deepEqual(errors, []);
});

test('changing the seeds reruns the race without fetching the table again', { timeout: 120_000 }, async () => {
  const { page, errors, requests } = session;
  const before = (await canvasPixels(page, 'chart-race')).url;

  await page.evaluate(() => { delete document.getElementById('race-status').dataset.state; });
  await page.locator('#race_seeds').fill('7');
  await page.locator('#race_seeds').dispatchEvent('change');
  const { state, text } = await raceSettled(page);

  assert.equal(state, 'done', text);
  assert.match(text, /^Done: 7 seeds × 50 queries/);
  assert.match(page.url(), /race_seeds=7/);
  assert.notEqual((await canvasPixels(page, 'chart-race')).url, before, 'the chart shows the new race');
  assert.equal(requests.filter((url) => url.endsWith(TABLE_PATH)).length, 1);
  assert.deepEqual(errors, []);
});

test('the method table shows random search after a 2-candidate search', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors, requests } = session;
  assert.match(await page.locator('#methods-table tbody').textContent(), /^Nothing run yet/);

  const status = await runSearch(page, 'random');

  assert.match(status, /^Done: 2 candidates/);
  const row = page.locator('#methods-table tbody tr[data-method="random"]');
  const cells = await row.locator('td').allTextContents();
  assert.equal(cells[0], 'Random search');
  assert.match(cells[1], /^2/);
  const accuracy = Number(await row.getAttribute('data-accuracy'));
  assert.ok(accuracy > 0 && accuracy <= 1, `accuracy ${accuracy}`);
  assert.equal(Number(cells[2]), Number(accuracy.toFixed(3)));
  assert.ok(Number(cells[4]) > 0, `time spent ${cells[4]}`);
  assert.ok(Number(cells[5]) > 0, `latency ${cells[5]}`);
  assert.match(await page.locator('#methods-costs').textContent(), /^Random search: 2 networks trained/);
  assert.ok(requests.every((url) => url.startsWith(`${browser.origin}/`)), requests.join('\n'));
  assert.deepEqual(errors, []);
});
