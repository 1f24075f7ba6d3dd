// WebGPU smoke test: with Chromium's unsafe-WebGPU flag the browser offers a
// (software) adapter: the automatic choice must pass over it, and forcing
// WebGPU must train a candidate on it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  launch,
  openPage,
  runSearch,
  SEARCH_TIMEOUT_MS,
  tableAccuracies,
  waitForBackend,
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
