// A GPU device lost mid-search: Chromium's GPU process is crashed through the
// DevTools protocol while a candidate trains on (software) WebGPU. The page
// must record that candidate as failed with the reason, keep the finished
// ones, switch to the CPU, and go on only when asked. A DARTS run goes on, on
// the CPU, from the checkpoint of its last search epoch.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  launch, openPage, SEARCH_TIMEOUT_MS, untimed, waitForBackend, waitForSaved,
} from './_helpers.mjs';

let browser;

before(async () => {
  browser = await launch({ extraArgs: ['--enable-unsafe-webgpu'] });
});

after(async () => {
  await browser?.close();
});

/** wgpu itself logs the loss as an error; that one is expected here. */
const WGPU_LOST = /the wgpu device was lost/;

test('a lost GPU device fails its candidate, keeps the rest and continues on the CPU when asked', {
  timeout: SEARCH_TIMEOUT_MS,
}, async () => {
  const { page, errors } = await openPage(browser.context, browser.origin,
    '#backend=webgpu&candidates=3&epochs=1&seed=4');
  const { backend, text } = await waitForBackend(page);
  assert.equal(backend, 'webgpu', text);

  const bar = page.locator('.run-bar[data-panel="random"]');
  const rows = page.locator('#random-results tbody tr');
  await bar.locator('[data-action="run"]').click();
  await rows.first().waitFor({ timeout: SEARCH_TIMEOUT_MS });
  const first = await rows.first().getAttribute('data-index');
  assert.equal(first, '1');

  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Browser.crashGpuProcess');

  const status = bar.locator('.run-status');
  await page.waitForFunction(
    () => /^Interrupted/.test(document.querySelector('.run-bar[data-panel="random"] .run-status').textContent),
    null, { timeout: 60_000 });
  // Candidate 2 was training when the GPU went, unless it finished first.
  const kept = await rows.count();
  assert.ok(kept === 1 || kept === 2, `${kept} candidates kept`);
  const plural = kept === 1 ? '' : 's';
  assert.match(await status.textContent(),
    new RegExp(`^Interrupted after ${kept} candidate${plural}: the GPU device was lost`));

  const line = await waitForBackend(page);
  assert.equal(line.backend, 'cpu', line.text);
  assert.match(line.text, /the GPU device was lost.*: using CPU/);

  const prompt = page.locator('.resume-prompt[data-panel="random"]');
  await prompt.waitFor({ state: 'visible' });
  assert.match(await prompt.locator('p').textContent(),
    new RegExp(`^Candidate ${kept + 1} of 3 could not finish: the GPU device was lost.*Continue on the CPU\\?`));

  await prompt.locator('[data-action="resume"]').click();
  await page.waitForFunction(
    () => /^Done/.test(document.querySelector('.run-bar[data-panel="random"] .run-status').textContent),
    null, { timeout: SEARCH_TIMEOUT_MS, polling: 500 });

  const table = await page.$$eval('#random-results tbody tr', (trs) => trs.map((tr) => ({
    index: tr.dataset.index, status: tr.dataset.status, text: tr.textContent,
  })));
  const byIndex = Object.fromEntries(table.map((row) => [row.index, row]));
  assert.deepEqual(Object.keys(byIndex).sort(), ['1', '2', '3']);
  const lostIndex = String(kept + 1);
  for (const [index, row] of Object.entries(byIndex)) {
    if (index === lostIndex) {
      assert.equal(row.status, 'failed');
      assert.match(row.text, /Failed: the GPU device was lost/);
    } else {
      assert.equal(row.status, 'ok', `candidate ${index}: ${row.text}`);
    }
  }
  assert.equal(await prompt.isHidden(), true);
  assert.deepEqual(errors.filter((error) => !WGPU_LOST.test(error)), []);
});

test('a DARTS run that loses the GPU goes on from its last epoch on the CPU when asked', {
  timeout: SEARCH_TIMEOUT_MS,
}, async () => {
  const { page, errors } = await openPage(browser.context, browser.origin,
    '#backend=webgpu&d_epochs=3&d_nodes=2&d_width=8&d_retrain=2&d_batch=128&seed=5');
  const { backend, text } = await waitForBackend(page);
  assert.equal(backend, 'webgpu', text);

  const bar = page.locator('.run-bar[data-panel="darts"]');
  await bar.locator('[data-action="run"]').click();
  await waitForSaved(page, (run) => run.outcome === 'running' && run.checkpointBytes > 0);
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Browser.crashGpuProcess');

  await page.waitForFunction(
    () => /^Interrupted/.test(document.querySelector('.run-bar[data-panel="darts"] .run-status').textContent),
    null, { timeout: 60_000 });
  const status = await bar.locator('.run-status').textContent();
  const done = Number(/^Interrupted after (\d) search epochs?: the GPU device was lost/.exec(status)?.[1]);
  assert.ok(done >= 1 && done <= 3, status);
  const lost = await waitForSaved(page, (run) => run.outcome === 'lost');
  assert.equal(lost.epochs.length, done);
  assert.ok(lost.checkpointBytes > 0, 'the checkpoint is kept with the lost run');

  const line = await waitForBackend(page);
  assert.equal(line.backend, 'cpu', line.text);
  const prompt = page.locator('.resume-prompt[data-panel="darts"]');
  await prompt.waitFor({ state: 'visible' });
  const expected = done < 3
    ? new RegExp(`^Search epoch ${done + 1} of 3 could not finish: the GPU device was lost.*Continue on the CPU from the supernet, α and optimizer state saved after epoch ${done}\\?`)
    : /^The retraining could not finish: the GPU device was lost.*Continue on the CPU\?/;
  assert.match(await prompt.locator('p').textContent(), expected);

  await prompt.locator('[data-action="resume"]').click();
  await page.waitForFunction(
    () => /^(Done|Stopped)/.test(document.querySelector('.run-bar[data-panel="darts"] .run-status').textContent),
    null, { timeout: SEARCH_TIMEOUT_MS, polling: 500 });
  assert.match(await bar.locator('.run-status').textContent(),
    /^Done: 3 search epochs in [\d.]+ s; the derived cell retrained/);
  const resumed = await waitForSaved(page, (run) => run.outcome === 'done');
  assert.equal(resumed.id, lost.id);
  // Resumed at epoch done + 1, not from the start, which would repeat epochs.
  assert.deepEqual(resumed.epochs.map((record) => record.epoch), [1, 2, 3]);
  assert.deepEqual(untimed(resumed.epochs.slice(0, done)), untimed(lost.epochs));
  assert.equal(await prompt.isHidden(), true);
  assert.deepEqual(errors.filter((error) => !WGPU_LOST.test(error)), []);
});
