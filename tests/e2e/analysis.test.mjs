// Sections 6 and 7 on real results: after a short random search on the CPU
// backend, the Pareto charts and the analysis charts show it, the front table
// lists the front, clicking a front point shows that network, and the top N
// follows the field, clamped to what was trained. Last, evolution with Pareto
// parent selection runs and its networks join the fronts.
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

const HASH = '#candidates=3&epochs=1&pop=3&gens=2&select=pareto&backend=cpu&topn=2';

const CHARTS = ['chart-front-latency', 'chart-front-params', 'chart-op-frequency', 'chart-op-positions'];

let browser;
let session;
let emptyCharts;

before(async () => {
  browser = await launch();
  session = await openPage(browser.context, browser.origin, HASH);
  const { backend, text } = await waitForBackend(session.page);
  assert.equal(backend, 'cpu', text);
  emptyCharts = Object.fromEntries(await Promise.all(
    CHARTS.map(async (id) => [id, (await canvasPixels(session.page, id)).url]),
  ));
  const status = await runSearch(session.page, 'random');
  assert.match(status, /^Done: 3 candidates/);
});

after(async () => {
  await browser?.close();
});

/** The distinct architectures in the random search's results table. */
async function trainedArchitectures(page) {
  const archs = await page.$$eval('#random-results tbody tr[data-status="ok"] td.arch',
    (cells) => cells.map((cell) => cell.textContent));
  return new Set(archs);
}

test('both Pareto charts and both analysis charts draw the search', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors } = session;

  for (const id of CHARTS) {
    assert.ok(await hasInk(page, id), `${id} is drawn`);
    assert.notEqual((await canvasPixels(page, id)).url, emptyCharts[id], `${id} shows the search`);
  }
  assert.match(await page.locator('#front-status').textContent(), /^3 networks trained on this page/);
  assert.deepEqual(errors, []);
});

test('the front table lists at least one network, most accurate first', async () => {
  const { page, errors } = session;
  const rows = page.locator('#front-table tbody tr');

  const count = await rows.count();
  const accuracies = await page.$$eval('#front-table tbody tr td:nth-child(4)',
    (cells) => cells.map((cell) => Number(cell.textContent)));

  assert.ok(count >= 1 && count <= 3, `${count} rows`);
  assert.deepEqual(accuracies, [...accuracies].sort((a, b) => b - a));
  const archs = await trainedArchitectures(page);
  for (const arch of await page.$$eval('#front-table td.arch', (cells) => cells.map((c) => c.textContent))) {
    assert.ok(archs.has(arch), `${arch} was trained by the search`);
  }
  assert.match(await page.locator('#front-caption').textContent(), /of 3$/);
  assert.deepEqual(errors, []);
});

test('clicking a front point shows that network and draws its chain', async () => {
  const { page, errors } = session;
  const first = page.locator('#front-table tbody tr').first();
  const index = Number(await first.getAttribute('data-index'));
  const arch = await first.locator('td.arch').textContent();
  const canvas = page.locator('#chart-front-latency');

  const spot = await canvas.evaluate((element, wanted) => {
    const point = element.chart.points.find((p) => p.index === wanted);
    const ratio = element.width / element.clientWidth;
    return point && { x: point.x / ratio, y: point.y / ratio };
  }, index - 1);
  assert.ok(spot, `network #${index} is a point of the chart`);
  await canvas.click({ position: spot });

  const details = page.locator('#front-details');
  await details.waitFor({ state: 'visible' });
  assert.equal(await details.getAttribute('data-index'), String(index));
  const text = await details.textContent();
  assert.ok(text.includes(arch), text);
  assert.ok(text.includes('Validation accuracy'), text);
  assert.ok(text.includes('Latency per image'), text);
  assert.ok(text.includes('Parameters'), text);
  assert.ok(await page.locator('#chart-front-arch').isVisible());
  assert.ok(await hasInk(page, 'chart-front-arch'), 'the chain is drawn');
  assert.deepEqual(errors, []);
});

test('a click away from every point changes nothing', async () => {
  const { page, errors } = session;
  const shown = await page.locator('#front-details').getAttribute('data-index');

  await page.locator('#chart-front-latency').click({ position: { x: 3, y: 3 } });

  assert.equal(await page.locator('#front-details').getAttribute('data-index'), shown);
  assert.deepEqual(errors, []);
});

test('section 7 analyses the top N asked for, clamped to what was trained', async () => {
  const { page, errors } = session;
  const status = page.locator('#analysis-status');
  const distinct = (await trainedArchitectures(page)).size;

  assert.equal(await status.getAttribute('data-n'), String(Math.min(2, distinct)));
  assert.match(await status.textContent(), new RegExp(`^N = ${Math.min(2, distinct)}: `));
  const two = (await canvasPixels(page, 'chart-op-frequency')).url;

  await page.locator('#topn').fill('50');
  await page.locator('#topn').dispatchEvent('change');
  await page.waitForFunction(
    (n) => document.getElementById('analysis-status').dataset.n === n,
    String(distinct),
  );

  const text = await status.textContent();
  assert.match(text, new RegExp(`^N = ${distinct}: `));
  assert.match(text, new RegExp(`You asked for the top 50, but only ${distinct} have been trained`));
  assert.match(page.url(), /topn=50/);
  assert.ok(await hasInk(page, 'chart-op-positions'));
  if (distinct > 2) assert.notEqual((await canvasPixels(page, 'chart-op-frequency')).url, two);
  assert.deepEqual(errors, []);
});

test('evolution with Pareto selection runs and its networks join the fronts', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors } = session;
  assert.equal(await page.locator('#select').inputValue(), 'pareto');

  const status = await runSearch(page, 'evolution');

  assert.match(status, /^Done/);
  const trained = await page.$$eval('#evolution-results tbody tr td:last-child',
    (cells) => cells.filter((cell) => cell.textContent !== 'cached').length);
  const count = 3 + trained;
  assert.match(await page.locator('#front-status').textContent(),
    new RegExp(`^${count} networks trained on this page`));
  const points = await page.locator('#chart-front-params').evaluate((element) => element.chart.points.length);
  assert.equal(points, count);
  assert.deepEqual(errors, []);
});
