// WebGPU smoke test: with Chromium's unsafe-WebGPU flag the browser offers a
// (software) adapter: the automatic choice must pass over it, forcing WebGPU
// must train a candidate on it, and a DARTS run on it must save checkpoints
// (read back from the GPU) that a reload resumes from.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  launch,
  openPage,
  runSearch,
  savedDarts,
  SEARCH_TIMEOUT_MS,
  tableAccuracies,
  untimed,
  waitForBackend,
  waitForSaved,
} from './_helpers.mjs';

let browser;

before(async () => {
  browser = await launch({ extraArgs: ['--enable-unsafe-webgpu'] });
});

after(async () => {
  await browser?.close();
});

test('the automatic choice passes over a software-only adapter and says so', async () => {
  const { page, errors } = await openPage(browser.context, browser.origin, '#backend=auto');

  const { backend, text } = await waitForBackend(page);

  assert.equal(backend, 'cpu', text);
  assert.match(text, /^Backend: CPU\b.*only a software WebGPU adapter/);
  assert.deepEqual(errors, []);
});

test('a candidate trains on WebGPU when it is forced', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors } = await openPage(browser.context, browser.origin,
    '#backend=webgpu&candidates=1&epochs=1');

  const hasGpu = await page.evaluate(() => Boolean(navigator.gpu));
  assert.ok(hasGpu, 'navigator.gpu is missing even with --enable-unsafe-webgpu');
  const { backend, text } = await waitForBackend(page);
  assert.equal(backend, 'webgpu', text);
  assert.match(text, /^Backend: WebGPU\b/);

  const status = await runSearch(page, 'random');
  const accuracies = await tableAccuracies(page, 'random');

  assert.match(status, /^Done: 1 candidate\b/);
  assert.equal(accuracies.length, 1);
  assert.ok(accuracies[0] > 0 && accuracies[0] <= 1, `accuracy ${accuracies[0]}`);
  assert.deepEqual(errors, []);
});

test('a DARTS run on WebGPU saves its checkpoint and resumes from it after a reload', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors } = await openPage(browser.context, browser.origin,
    '#backend=webgpu&d_epochs=2&d_nodes=2&d_width=8&d_retrain=2&d_batch=128&seed=5');
  const { backend, text } = await waitForBackend(page);
  assert.equal(backend, 'webgpu', text);

  await page.locator('.run-bar[data-panel="darts"] [data-action="run"]').click();
  const interrupted = await waitForSaved(page, (run) => run.epochs.length >= 1 && run.checkpointBytes > 0);
  await page.reload();
  await waitForBackend(page);
  const saved = await savedDarts(page);
  assert.equal(saved.outcome, 'running');
  const prompt = page.locator('.resume-prompt[data-panel="darts"]');
  await prompt.waitFor({ state: 'visible', timeout: 30_000 });
  await prompt.locator('[data-action="resume"]').click();
  await page.waitForFunction(
    () => /^(Done|Stopped)/.test(
      document.querySelector('.run-bar[data-panel="darts"] .run-status').textContent),
    null,
    { timeout: SEARCH_TIMEOUT_MS, polling: 500 },
  );
  const status = await page.locator('.run-bar[data-panel="darts"] .run-status').textContent();
  const notice = await page.locator('.run-bar[data-panel="darts"] .notice').textContent();
  assert.match(status, /^Done: 2 search epochs in [\d.]+ s; the derived cell retrained/, notice);
  const resumed = await waitForSaved(page, (run) => run.outcome === 'done');
  assert.equal(resumed.id, interrupted.id, 'the resumed run goes on as the saved one');
  // Resumed after the saved epochs, not from the start, which would repeat epochs.
  assert.deepEqual(resumed.epochs.map((record) => record.epoch), [1, 2]);
  assert.deepEqual(untimed(resumed.epochs.slice(0, saved.epochs.length)), untimed(saved.epochs));
  assert.deepEqual(errors, []);
});
