// On a screen with two device pixels per CSS pixel every chart canvas holds
// twice as many pixels in each direction as its box, so lines and text are
// drawn at the screen's resolution instead of being scaled up blurred.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { hasInk, launch, openPage, waitForBackend } from './_helpers.mjs';

let browser;

before(async () => {
  browser = await launch({ scale: 2 });
});

after(async () => {
  await browser?.close();
});

test('charts are drawn at twice their CSS size on a devicePixelRatio 2 screen', async () => {
  const { page, errors } = await openPage(browser.context, browser.origin);
  await waitForBackend(page);

  // A canvas in a closed part of the page (the details of a picked network) has no size yet.
  const sizes = await page.$$eval('canvas', (canvases) => canvases
    .filter((canvas) => canvas.checkVisibility())
    .map((canvas) => ({
      id: canvas.id,
      ratio: window.devicePixelRatio,
      width: canvas.width,
      height: canvas.height,
      cssWidth: canvas.clientWidth,
      cssHeight: canvas.clientHeight,
    })));

  assert.ok(sizes.length >= 5, `${sizes.length} canvases`);
  for (const size of sizes) {
    assert.equal(size.ratio, 2);
    assert.ok(size.cssWidth > 0, `${size.id} is laid out`);
    assert.equal(size.width, Math.round(size.cssWidth * 2), `${size.id} width`);
    assert.equal(size.height, Math.round(size.cssHeight * 2), `${size.id} height`);
  }
  assert.ok(await hasInk(page, 'chart-ops'));
  assert.ok(await hasInk(page, 'chart-arch'));
  assert.deepEqual(errors, []);
});
