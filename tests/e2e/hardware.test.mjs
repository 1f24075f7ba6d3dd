// Section 8 on real numbers: the illustrative tables are labelled, the ops
// are timed on this device, and the networks a short search trained are
// compared across devices and ranked under a latency target.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  canvasPixels, hasInk, launch, openPage, runSearch, SEARCH_TIMEOUT_MS, waitForBackend,
} from './_helpers.mjs';

let browser;
let session;

before(async () => {
  browser = await launch();
  session = await openPage(browser.context, browser.origin, '#backend=cpu&candidates=2&epochs=1&width=8');
  const { backend, text } = await waitForBackend(session.page);
  assert.equal(backend, 'cpu', text);
});

after(async () => {
  await browser?.close();
});

const cellsOf = (page, selector) => page.locator(selector).evaluateAll(
  (rows) => rows.map((row) => [...row.cells].map((cell) => cell.textContent)),
);

test('the op table shows the tutorial tables as illustrative and times every op here', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors } = session;
  const before = await cellsOf(page, '#latency-table tbody tr');
  assert.deepEqual(before[0], ['conv3x3', '2.00', '0.50', 'not measured yet']);
  assert.equal(before.length, 8, 'seven ops and the rest of the network');
  const header = await page.locator('#latency-table thead').textContent();
  assert.match(header, /mobile \(illustrative\).*gpu \(illustrative\).*this device \(measured\)/);

  await page.locator('#measure-ops').click();
  await page.waitForFunction(() => /^Measured on/.test(document.getElementById('measure-status').textContent),
    null, { timeout: SEARCH_TIMEOUT_MS, polling: 200 });
  assert.match(await page.locator('#measure-status').textContent(), /^Measured on cpu at width 8 on 8×8 inputs/);
  for (const row of await cellsOf(page, '#latency-table tbody tr')) {
    const measured = row[3].replace(/^< /, '');
    assert.ok(Number(measured) > 0, `${row[0]} measured ${row[3]}`);
  }
  assert.deepEqual(errors, []);
});

test('trained networks are compared across devices and ranked under a target', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors, requests } = session;
  const empty = (await canvasPixels(page, 'chart-latency-bars')).url;
  assert.match(await runSearch(page, 'random'), /^Done: 2 candidates/);
  assert.ok(await hasInk(page, 'chart-latency-bars'));
  assert.notEqual((await canvasPixels(page, 'chart-latency-bars')).url, empty);

  await page.locator('#latency-device').selectOption('mobile');
  await page.locator('#latency-target').fill('100');
  await page.locator('#latency-target').dispatchEvent('change');
  const rows = await cellsOf(page, '#latency-rank tbody tr');
  assert.equal(rows.length, 2, JSON.stringify(rows));
  for (const [number, arch, accuracy, latency, within, reward] of rows) {
    assert.match(number, /^#\d+$/);
    assert.match(arch, /^[a-z_0-9]+(,[a-z_0-9]+)*$/);
    assert.ok(Number(latency) > 0 && Number(latency) < 100, latency);
    assert.equal(within, 'yes');
    assert.equal(reward, Number(accuracy).toFixed(3), 'within the target the reward is the accuracy');
  }
  assert.match(page.url(), /hw_device=mobile&hw_target=100/);
  assert.ok(requests.every((url) => url.startsWith(`${browser.origin}/`)), requests.join('\n'));
  assert.deepEqual(errors, []);
});

test('NAS-Bench-201 cells show four devices and the best cell within a budget', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors } = session;
  await page.locator('#nb-devices').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelectorAll('#nb-devices tbody tr').length === 5,
    null, { timeout: 60_000, polling: 200 });
  const rows = await cellsOf(page, '#nb-devices tbody tr');
  assert.match(rows[0][0], /^#\d+ \|/);
  assert.equal(rows[0][1], '0.944', 'the table\'s best cell comes first');
  for (const row of rows) for (const ms of row.slice(2)) assert.ok(Number(ms) > 0, ms);
  const within = await page.locator('#nb-within').textContent();
  assert.match(within, /^Within 10 ms on the Pixel 3 phone, measured: [\d,]+ cells; the most accurate is #\d+ /);
  await page.locator('#nb-target').fill('0.001');
  await page.locator('#nb-target').dispatchEvent('change');
  assert.match(await page.locator('#nb-within').textContent(), /^No cell runs within 0.001 ms on the Pixel 3 phone, measured; raise the budget\.$/);
  assert.deepEqual(errors, []);
});
