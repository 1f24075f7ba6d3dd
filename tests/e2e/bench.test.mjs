// The bench page, shrunk to seconds: one timed run of one step per figure on
// the digits, a small matrix product, CPU only. It checks that figures arrive,
// not how fast they are.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch, SEARCH_TIMEOUT_MS } from './_helpers.mjs';

const QUERY = '?repeats=1&steps=1&inputs=digits&matmul=64&backends=cpu';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('the bench page measures its figures on the CPU and writes them as JSON', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${browser.origin}/bench.html${QUERY}`);

  await page.locator('#run:not([disabled])').click();
  await page.waitForFunction(
    () => ['done', 'error'].includes(document.getElementById('results').dataset.state),
    null,
    { timeout: SEARCH_TIMEOUT_MS, polling: 500 },
  );

  assert.equal(await page.locator('#results').getAttribute('data-state'), 'done',
    await page.locator('#status').textContent());
  const record = JSON.parse(await page.locator('#results').textContent());
  const [cpu] = record.backends;
  assert.equal(record.backends.length, 1);
  assert.equal(cpu.backend, 'cpu');
  assert.equal(cpu.matmul.n, 64);
  assert.ok(cpu.matmul.gflops > 0, `matmul ${cpu.matmul.gflops} GFLOP/s`);
  assert.deepEqual(cpu.training.map((figure) => [figure.input, figure.runs, figure.steps, figure.batch]),
    [['digits', 1, 1, 64], ['digits', 1, 1, 64]]);
  for (const figure of cpu.training) {
    assert.ok(figure.images_per_second > 0, `${figure.arch}: ${figure.images_per_second} images/s`);
    assert.ok(figure.share_of_matmul > 0);
  }
  assert.equal(await page.locator('#figures tbody tr').count(), 3);
  assert.equal(await page.locator('#progress').evaluate((bar) => bar.value / bar.max), 1);
  assert.deepEqual(errors, []);
});

test('a bad setting in the address is named on the page and the default used', async () => {
  const page = await browser.context.newPage();

  await page.goto(`${browser.origin}/bench.html?repeats=many`);

  const notice = page.locator('#notice');
  assert.ok(await notice.isVisible());
  assert.match(await notice.textContent(), /^repeats=many \(timed runs per figure\) is not a whole number/);
  assert.match(await page.locator('#settings').textContent(), /"repeats":5/);
});
