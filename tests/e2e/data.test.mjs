// Datasets in the page: your own IDX files, made here (gzipped and raw, by
// the picker and by drag and drop), files that are no data named as such
// without breaking the page, a link that names your own files, and short
// searches on an uploaded set and on a sample of the bundled MNIST.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';

import {
  launch,
  openPage,
  runSearch,
  SEARCH_TIMEOUT_MS,
  waitForBackend,
} from './_helpers.mjs';

const HASH = '#backend=cpu&candidates=1&epochs=1&depth=1&width=8';

/** An IDX file: the big-endian magic and dimensions, then the bytes. */
function idx(magic, dims, bytes) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((size, i) => header.writeUInt32BE(size, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(bytes)]);
}

/** `count` grayscale 6x6 images (image i filled with 20·i mod 256) and labels 0, 1, 2, 0, … */
function pair(count) {
  const pixels = Array.from({ length: count * 36 }, (_, p) => (Math.floor(p / 36) * 20) % 256);
  const labels = Array.from({ length: count }, (_, i) => i % 3);
  return { images: idx(0x803, [count, 6, 6], pixels), labels: idx(0x801, [count], labels) };
}

const file = (name, buffer) => ({ name, mimeType: 'application/octet-stream', buffer });

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

/** Waits until the dataset line shows a loaded dataset whose text matches `pattern`. */
async function waitForSummary(page, pattern) {
  await page.waitForFunction(
    (source) => {
      const line = document.getElementById('dataset-summary');
      return line.dataset.state === 'loaded' && new RegExp(source).test(line.textContent);
    },
    pattern.source,
    { timeout: 60_000 },
  );
  return page.locator('#dataset-summary').textContent();
}

/** Waits until the dataset notice shows; returns its text. */
async function waitForNotice(page) {
  const notice = page.locator('#dataset-notice');
  await notice.waitFor({ state: 'visible', timeout: 60_000 });
  return notice.textContent();
}

test('your own IDX pair, gzipped or raw, in either order, is summarised and searched', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors, requests } = session;
  await page.selectOption('#dataset', 'upload');
  assert.ok(await page.locator('#dataset-drop').isVisible(), 'the drop zone shows');
  const twelve = pair(12);

  await page.locator('#dataset-files').setInputFiles([
    file('t10k-labels-idx1-ubyte', twelve.labels),
    file('t10k-images-idx3-ubyte.gz', gzipSync(twelve.images)),
  ]);
  const summary = await waitForSummary(page, /12 grayscale/);

  assert.equal(summary, 'Your own files (t10k-labels-idx1-ubyte, t10k-images-idx3-ubyte.gz): ' +
    '12 grayscale images of 6×6, 3 classes (0: 4, 1: 4, 2: 4); searches use them all.');
  assert.match(page.url(), /dataset=upload/);

  const nine = pair(9);
  await page.locator('#dataset-files').setInputFiles([
    file('images.idx3', nine.images),
    file('labels.idx1', nine.labels),
  ]);
  assert.match(await waitForSummary(page, /9 grayscale/), /9 grayscale images of 6×6, 3 classes \(0: 3, 1: 3, 2: 3\)/);
  assert.ok(await page.locator('#dataset-notice').isHidden());

  const status = await runSearch(page, 'random');

  assert.match(status, /^Done: 1 candidate/);
  assert.equal(await page.locator('#random-results tbody tr').count(), 1);
  assert.ok(requests.every((url) => url.startsWith(`${browser.origin}/`)), requests.join('\n'));
  assert.deepEqual(errors, []);
});

test('files dropped on the zone are read like chosen ones', async () => {
  const { page, errors } = session;
  const { images, labels } = pair(15);

  await page.evaluate(([imageBytes, labelBytes]) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(imageBytes)], 'dropped-images.gz'));
    transfer.items.add(new File([new Uint8Array(labelBytes)], 'dropped-labels'));
    const drop = new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true });
    document.getElementById('dataset-drop').dispatchEvent(drop);
  }, [[...gzipSync(images)], [...labels]]);

  assert.match(await waitForSummary(page, /15 grayscale/), /\(dropped-images\.gz, dropped-labels\): 15 grayscale/);
  assert.deepEqual(errors, []);
});

test('a new worker, after a change of backend, is given the files again', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors } = session;

  await page.selectOption('#backend', 'auto');
  const { backend, text } = await waitForBackend(page);
  const status = await runSearch(page, 'random');

  assert.equal(backend, 'cpu', text);
  assert.match(status, /^Done: 1 candidate/, 'the search found the 15 dropped images');
  assert.deepEqual(errors, []);
});

test('a web page renamed .gz and a cut IDX file are named, and the page goes on working', async () => {
  const { page, errors } = session;
  const before = await page.locator('#dataset-summary').textContent();
  const html = Buffer.from('<!DOCTYPE html>\n<html><head><title>Sign in</title></head></html>\n');

  await page.locator('#dataset-files').setInputFiles([file('train-images-idx3-ubyte.gz', html)]);
  const pageNotice = await waitForNotice(page);

  assert.match(pageNotice, /train-images-idx3-ubyte\.gz: this looks like an HTML page, not an IDX file/);
  assert.equal(await page.locator('#dataset-summary').textContent(), before, 'the last good files stay');

  const { images, labels } = pair(12);
  await page.locator('#dataset-files').setInputFiles([
    file('cut-images', images.subarray(0, images.length - 40)),
    file('labels', labels),
  ]);
  await page.waitForFunction(
    () => /cut short/.test(document.getElementById('dataset-notice').textContent),
    null,
    { timeout: 60_000 },
  );
  const cutNotice = await page.locator('#dataset-notice').textContent();

  assert.match(cutNotice, /cut-images: its header promises 12 images of 6x6, /);
  assert.match(cutNotice, /448 bytes with the 16-byte header, but the file holds 408 bytes \(room for 10 whole images\)/);
  assert.equal(await page.locator('#dataset-summary').textContent(), before);

  await page.selectOption('#dataset', 'digits');
  assert.match(await waitForSummary(page, /^Digits/), /^Digits 8×8: 1,797 grayscale images of 8×8, 10 classes \(0: 178, 1: 182/);
  assert.ok(await page.locator('#dataset-notice').isHidden(), 'a new choice clears the notice');
  assert.ok(await page.locator('#dataset-drop').isHidden());
  assert.ok(await page.locator('.run-bar[data-panel="random"] [data-action="run"]').isEnabled());
  assert.deepEqual(errors, []);
});

test('a link that names your own files opens on the digits and says why', async () => {
  const { page, errors } = await openPage(browser.context, browser.origin, '#dataset=upload&seed=4');

  await page.locator('#link-notices').waitFor({ state: 'visible' });

  assert.match(await page.locator('#link-notice-list').textContent(),
    /dataset=upload \(dataset\) names files of your own, which a link cannot carry/);
  assert.equal(await page.locator('#dataset').inputValue(), 'digits');
  assert.equal(await page.locator('#seed').inputValue(), '4');
  assert.deepEqual(errors, []);
});

test('a one-candidate search on a sample of MNIST completes', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const hash = '#dataset=mnist&n=200&candidates=1&epochs=1&depth=1&width=8&backend=cpu';
  const { page, errors, requests } = await openPage(browser.context, browser.origin, hash);
  await waitForBackend(page);

  const summary = await waitForSummary(page, /^MNIST/);
  const status = await runSearch(page, 'random');

  assert.match(summary, /^MNIST test set: 10,000 grayscale images of 28×28, 10 classes \(0: 980, 1: 1,135, /);
  assert.match(summary, /searches use 200 of them/);
  assert.match(await page.locator('#budget-dataset').textContent(), /200 grayscale images of 28×28/);
  assert.match(status, /^Done: 1 candidate/);
  assert.ok(requests.includes(`${browser.origin}/data/mnist-t10k-images-idx3-ubyte.gz`), requests.join('\n'));
  assert.ok(requests.every((url) => url.startsWith(`${browser.origin}/`)), requests.join('\n'));
  assert.deepEqual(errors, []);
});
