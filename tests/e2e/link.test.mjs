// Links as users share them: bad settings in a link are named on the page
// while the rest is kept, "Copy link" copies an address that opens the same
// settings (or shows it to copy by hand), and hide= hides parts of the page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch, openPage, waitForBackend } from './_helpers.mjs';

const DEFAULT_ARCH = 'conv3x3,max_pool3x3,conv5x5,identity';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** The texts of the link notices at the top of the page. */
function linkNotices(page) {
  return page.locator('#link-notice-list li').allTextContents();
}

test('an empty architecture item is named, the default used and the seed kept', async () => {
  const { page, errors } = await openPage(browser.context, browser.origin,
    '#arch=conv3x3,,identity&seed=7');
  await waitForBackend(page);

  assert.ok(await page.locator('#link-notices').isVisible());
  assert.deepEqual(await linkNotices(page), [
    `arch item 2 is empty; using the default architecture, ${DEFAULT_ARCH}`,
  ]);
  assert.match(await page.locator('#notice-arch').textContent(), /arch item 2 is empty/);
  assert.equal(await page.locator('#arch').inputValue(), DEFAULT_ARCH);
  assert.equal(await page.locator('#seed').inputValue(), '7');
  assert.match(page.url(), new RegExp(`#v=1&seed=7&.*&arch=${DEFAULT_ARCH}&`));
  assert.deepEqual(errors, []);
});

test('a link with several bad settings clamps, defaults and ignores each by name', async () => {
  const { page, errors } = await openPage(browser.context, browser.origin,
    '#lr=abc&foo=1&pop=1000000&tournament=0&arch=conv7x7%2Cidentity');
  await waitForBackend(page);

  const notices = await linkNotices(page);

  assert.deepEqual(notices.slice(0, 4), [
    'lr=abc (learning rate) is not a number; using 0.005',
    'foo=1 is not a setting of this page; ignored',
    'pop=1000000 (population) is above the maximum 50; using 50',
    'tournament=0 (tournament size) is below the minimum 1; using 1',
  ]);
  assert.match(notices[4], /^arch item 1 "conv7x7" is not an operation \(known: conv3x3, /);
  assert.equal(notices.length, 5);
  assert.equal(await page.locator('#lr').inputValue(), '0.005');
  assert.equal(await page.locator('#pop').inputValue(), '50');
  assert.equal(await page.locator('#tournament').inputValue(), '1');
  assert.equal(await page.locator('#arch').inputValue(), DEFAULT_ARCH);
  assert.match(await page.locator('#notice-pop').textContent(), /maximum 50; using 50/);
  assert.match(page.url(), /&lr=0\.005&.*&pop=50&.*&tournament=1&/);
  assert.doesNotMatch(page.url(), /foo/);
  assert.deepEqual(errors, []);
});

test('an escaped percent sign is decoded once, not into a comma', async () => {
  const { page, errors } = await openPage(browser.context, browser.origin,
    '#arch=conv3x3%252Cidentity&v=2');
  await waitForBackend(page);

  const notices = await linkNotices(page);

  assert.match(notices[0], /^v=2: this link is from a newer version of the page/);
  assert.match(notices[1], /^arch item 1 "conv3x3%2Cidentity" is not an operation/);
  assert.equal(await page.locator('#arch').inputValue(), DEFAULT_ARCH);
  assert.deepEqual(errors, []);
});

test('Copy link copies the address, which opens the same settings in a new page', async () => {
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'],
    { origin: browser.origin });
  const { page, errors } = await openPage(browser.context, browser.origin, '#hide=darts');
  await waitForBackend(page);
  await page.locator('#seed').fill('42');
  await page.locator('#epochs').fill('2');

  await page.locator('#copy-link').click();

  await page.waitForFunction(() => document.getElementById('link-status').textContent !== '');
  assert.equal(await page.locator('#link-status').textContent(), 'Link copied');
  assert.ok(await page.locator('#link-text').isHidden());
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, page.url());
  assert.deepEqual(errors, []);

  const copy = await openPage(browser.context, browser.origin, new URL(link).hash);
  await waitForBackend(copy.page);

  assert.equal(copy.page.url(), link);
  assert.equal(await copy.page.locator('#seed').inputValue(), '42');
  assert.equal(await copy.page.locator('#epochs').inputValue(), '2');
  assert.ok(await copy.page.locator('#darts').isHidden());
  assert.ok(await copy.page.locator('#link-notices').isHidden());
  assert.deepEqual(copy.errors, []);
  await browser.context.clearPermissions();
});

test('when the clipboard is refused the link is shown selected to copy by hand', async () => {
  const { page, errors } = await openPage(browser.context, browser.origin, '#seed=9');
  await waitForBackend(page);
  await page.evaluate(() => {
    const denied = new DOMException('Write permission denied.', 'NotAllowedError');
    const refuse = () => Promise.reject(denied);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: refuse } });
  });

  await page.locator('#copy-link').click();

  const field = page.locator('#link-text');
  await field.waitFor({ state: 'visible' });
  assert.equal(await field.inputValue(), page.url());
  assert.equal(await field.getAttribute('readonly'), '');
  assert.deepEqual(await field.evaluate((input) => [
    document.activeElement === input,
    input.selectionStart,
    input.selectionEnd === input.value.length,
  ]), [true, 0, true]);
  assert.match(await page.locator('#link-status').textContent(), /did not allow copying.*Ctrl\+C/);
  assert.deepEqual(errors, []);
});

test('hide= hides the named sections, their contents entries and controls', async () => {
  const { page, errors } = await openPage(browser.context, browser.origin,
    '#hide=seed,evolution,ops&seed=5');
  await waitForBackend(page);

  assert.ok(await page.locator('#evolution').isHidden());
  assert.ok(await page.locator('.toc a[href="#evolution"]').isHidden());
  assert.ok(await page.locator('#seed').isHidden());
  assert.ok(await page.locator('[data-control="ops"]').isHidden());
  assert.ok(await page.locator('#random').isVisible());
  assert.ok(await page.locator('#backend').isVisible());
  assert.ok(await page.locator('#link-notices').isHidden());
  assert.match(page.url(), /#v=1&seed=5&.*&hide=evolution,seed,ops$/, 'in page order, in the link');
  assert.deepEqual(errors, []);
});

test('hide= with an unknown name is named and hides nothing', async () => {
  const { page, errors } = await openPage(browser.context, browser.origin, '#hide=random,main');
  await waitForBackend(page);

  assert.match((await linkNotices(page))[0], /^hide item 2 "main" is not a section or setting/);
  assert.ok(await page.locator('#random').isVisible());
  assert.deepEqual(errors, []);
});

test('the predictor settings are read from a link, clamped by name, and hidden with their section', async () => {
  const { page, errors } = await openPage(browser.context, browser.origin,
    '#p_picks=500&p_kappa=0.25&pr_seeds=0&pr_round=7&hide=predictor');
  await waitForBackend(page);

  assert.deepEqual(await linkNotices(page), [
    'p_picks=500 (predictor candidates trained per round) is above the maximum 50; using 50',
    'pr_seeds=0 (predictor race seeds) is below the minimum 1; using 1',
  ]);
  assert.equal(await page.locator('#p-picks').inputValue(), '50');
  assert.equal(await page.locator('#p-kappa').inputValue(), '0.25');
  assert.equal(await page.locator('#pr-round').inputValue(), '7');
  assert.ok(await page.locator('#predictor').isHidden());
  assert.ok(await page.locator('.toc a[href="#predictor"]').isHidden());
  assert.match(page.url(), /&p_picks=50&p_pool=100&p_kappa=0\.25&pr_seeds=1&.*&pr_round=7&.*&hide=predictor$/);
  assert.deepEqual(errors, []);
});
