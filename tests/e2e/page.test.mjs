// The page loads cleanly, draws before any search, picks the CPU backend
// when the browser offers no WebGPU, and reports bad input where it happens.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { hasInk, launch, openPage, waitForBackend } from './_helpers.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('page loads the engine, draws the search space and trains on the CPU', async () => {
  const { page, errors, requests } = await openPage(browser.context, browser.origin);

  const { backend, text } = await waitForBackend(page);
  await page.waitForSelector('#ops-table tbody tr');

  assert.equal(backend, 'cpu', text);
  assert.match(text, /^Backend: CPU\b/);
  assert.match(text, /WebGPU/, 'the line says why WebGPU is not used');
  assert.equal(await page.locator('#ops-table tbody tr').count(), 7);
  assert.ok(await hasInk(page, 'chart-ops'), 'the ops scatter is drawn');
  assert.ok(await hasInk(page, 'chart-arch'), 'the architecture graph is drawn');
  assert.ok(await hasInk(page, 'chart-random-best'), 'an empty chart says so, never blank');
  assert.match(page.url(), /#v=1&seed=1&/, 'the settings are written into the hash');
  assert.ok(await page.locator('.run-bar[data-panel="random"] [data-action="run"]').isEnabled());
  assert.ok(requests.every((url) => url.startsWith(`${browser.origin}/`)), requests.join('\n'));
  assert.deepEqual(errors, []);
});

test('bad values in the link are named, replaced or clamped, and the page works', async () => {
  const { page, errors } = await openPage(browser.context, browser.origin, '#candidates=abc&pop=0');

  await waitForBackend(page);
  const notices = page.locator('#link-notices');

  assert.ok(await notices.isVisible());
  assert.match(await notices.textContent(), /candidates=abc .*not a whole number; using 10/);
  assert.match(await notices.textContent(), /pop=0 .*population.*minimum 2; using 2/);
  assert.equal(await page.locator('#candidates').inputValue(), '10');
  assert.equal(await page.locator('#pop').inputValue(), '2');
  assert.match(await page.locator('#notice-candidates').textContent(), /candidates/);
  assert.match(page.url(), /candidates=10&/);
  assert.deepEqual(errors, []);
});

test('a malformed architecture names the item, and fixing it clears the message', async () => {
  const { page, errors } = await openPage(browser.context, browser.origin);
  await waitForBackend(page);
  const arch = page.locator('#arch');
  const notice = page.locator('#notice-arch');

  await arch.fill('conv3x3,,identity');

  assert.ok(await notice.isVisible());
  assert.equal(await notice.getAttribute('role'), 'alert');
  assert.match(await notice.textContent(), /\b2\b/, 'the message names item 2');
  assert.equal(await arch.getAttribute('aria-invalid'), 'true');
  assert.match(page.url(), /arch=conv3x3,max_pool3x3,conv5x5,identity&/, 'the hash keeps the last valid one');

  await arch.fill('conv3x3,identity');

  assert.ok(await notice.isHidden());
  assert.match(page.url(), /arch=conv3x3,identity&/);
  assert.match(await page.locator('#arch-cost').textContent(), /parameters/);
  assert.deepEqual(errors, []);
});

test('a number out of range is refused beside its field', async () => {
  const { page, errors } = await openPage(browser.context, browser.origin);
  await waitForBackend(page);

  await page.locator('#epochs').fill('0');
  await page.locator('#epochs').press('Enter');

  assert.match(await page.locator('#notice-epochs').textContent(), /Epochs must be a whole number from 1 to 50/);
  assert.match(page.url(), /epochs=4&/);
  assert.deepEqual(errors, []);
});

test('mutation, crossover and random draws are reproducible from the seed', async () => {
  const clickAll = async () => {
    const { page, errors } = await openPage(browser.context, browser.origin, '#seed=7');
    await waitForBackend(page);
    const results = [];
    for (const id of ['mutate', 'crossover', 'random-arch']) {
      await page.locator(`#${id}`).click();
      results.push(await page.locator('#arch').inputValue());
    }
    results.push(await page.locator('#arch-log').textContent());
    assert.deepEqual(errors, []);
    return results;
  };

  const first = await clickAll();
  const second = await clickAll();

  assert.deepEqual(second, first);
  assert.match(first.at(-1), /seed 7 \+ 3/);
});

test('switching every operation off keeps the last one on', async () => {
  const { page, errors } = await openPage(browser.context, browser.origin, '#ops=identity');
  await waitForBackend(page);

  await page.locator('input[data-op="identity"]').click();

  assert.ok(await page.locator('input[data-op="identity"]').isChecked());
  assert.match(await page.locator('[data-control="ops"] + .notice').textContent(), /at least one/);
  assert.deepEqual(errors, []);
});
