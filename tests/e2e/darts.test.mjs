// A short, real DARTS run in headless Chromium on the CPU backend: α is drawn
// after every epoch, the cell is derived and drawn, the retrained cell is
// compared with the other searches, and the result reaches the Pareto view;
// a run interrupted by a reload resumes from its last epoch's checkpoint.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  canvasPixels, hasInk, launch, openPage, savedDarts, SEARCH_TIMEOUT_MS, untimed, waitForBackend,
  waitForSaved,
} from './_helpers.mjs';

const HASH = '#backend=cpu&d_epochs=2&d_nodes=3&d_width=8&d_retrain=2&d_batch=64&seed=3';
const CHARTS = ['chart-darts-heatmap', 'chart-darts-lines', 'chart-darts-curves', 'chart-darts-cell'];

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

function statusOf(page) {
  return page.locator('.run-bar[data-panel="darts"] .run-status').textContent();
}

test('a DARTS run draws α, derives a cell and retrains it', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors, requests } = session;
  const empty = await Promise.all(CHARTS.map(async (id) => (await canvasPixels(page, id)).url));

  await page.locator('.run-bar[data-panel="darts"] [data-action="run"]').click();
  assert.ok(await page.locator('.run-bar[data-panel="random"] [data-action="run"]').isDisabled(),
    'nothing else runs while DARTS does');
  await page.waitForFunction(
    () => /^(Done|Stopped)/.test(
      document.querySelector('.run-bar[data-panel="darts"] .run-status').textContent),
    null,
    { timeout: SEARCH_TIMEOUT_MS, polling: 500 },
  );
  const status = await statusOf(page);
  assert.match(status,
    /^Done: 2 search epochs in [\d.]+ s; the derived cell retrained to accuracy 0\.\d{3}; engine memory peaked at \d+ MiB\.$/);

  for (const [i, id] of CHARTS.entries()) {
    assert.ok(await hasInk(page, id), `${id} is drawn`);
    assert.notEqual((await canvasPixels(page, id)).url, empty[i], `${id} shows the run`);
  }
  const genotype = await page.locator('#darts-genotype').textContent();
  assert.match(genotype, /^Derived cell: n1 = \w+\(n0\) \| n2 = \w+\(n\d\) \+ \w+\(n\d\)$/);

  const rows = page.locator('#darts-compare tbody tr');
  assert.equal(await rows.count(), 1);
  assert.equal(await rows.first().locator('td').first().textContent(), 'DARTS (retrained cell)');
  const accuracy = Number(await rows.first().locator('td').nth(2).textContent());
  assert.ok(accuracy > 0.1, `retrained accuracy ${accuracy} is above chance`);
  assert.equal(await page.locator('progress[aria-label="DARTS progress"]').evaluate((bar) => bar.value), 1);
  assert.ok(await page.locator('.run-bar[data-panel="random"] [data-action="run"]').isEnabled());
  assert.ok(requests.every((url) => url.startsWith(`${browser.origin}/`)), requests.join('\n'));
  assert.deepEqual(errors, []);
});

test('a reload shows the finished DARTS run again from this browser', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors } = session;
  const genotype = await page.locator('#darts-genotype').textContent();
  await page.reload();
  await waitForBackend(page);
  await page.waitForFunction(
    () => /^Restored/.test(document.querySelector('.run-bar[data-panel="darts"] .run-status').textContent),
    null,
    { timeout: 30_000, polling: 200 },
  );
  assert.equal(await statusOf(page), 'Restored from this browser: the last DARTS run (2 search epochs, done).');
  assert.equal(await page.locator('#darts-genotype').textContent(), genotype);
  for (const id of CHARTS) assert.ok(await hasInk(page, id), `${id} is drawn again`);
  const first = page.locator('#darts-compare tbody tr').first().locator('td');
  assert.equal(await first.first().textContent(), 'DARTS (retrained cell)');
  assert.deepEqual(errors, []);
});

test('a DARTS run interrupted by a reload resumes and ends as the uninterrupted one', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors } = session;
  const finished = await waitForSaved(page, (run) => run.outcome === 'done');
  const genotype = await page.locator('#darts-genotype').textContent();

  await page.locator('.run-bar[data-panel="darts"] [data-action="run"]').click();
  await waitForSaved(page, (run) => run.id !== finished.id && run.checkpointBytes > 0);
  await page.reload();
  await waitForBackend(page);
  // Usually within epoch 2; on a fast machine it may come after it.
  const interrupted = await savedDarts(page);
  const prompt = page.locator('.resume-prompt[data-panel="darts"]');
  await prompt.waitFor({ state: 'visible', timeout: 30_000 });
  const resume = prompt.locator('[data-action="resume"]');
  if (interrupted.epochs.length === 1) {
    assert.match(await prompt.locator('p').textContent(), /^Resume the DARTS run from search epoch 2 of 2\?/);
    assert.equal(await resume.textContent(), 'Resume from epoch 2');
  } else {
    assert.match(await prompt.locator('p').textContent(),
      /^The reload came after the last search epoch \(2 of 2\)\. Resume\?/);
    assert.equal(await resume.textContent(), 'Resume');
  }
  await resume.click();
  assert.ok(await prompt.isHidden(), 'the prompt goes once the run resumes');
  await page.waitForFunction(
    () => /^(Done|Stopped)/.test(
      document.querySelector('.run-bar[data-panel="darts"] .run-status').textContent),
    null,
    { timeout: SEARCH_TIMEOUT_MS, polling: 500 },
  );
  assert.match(await statusOf(page), /^Done: 2 search epochs in [\d.]+ s; the derived cell retrained/);
  for (const id of CHARTS) assert.ok(await hasInk(page, id), `${id} is drawn`);
  assert.equal(await page.locator('#darts-genotype').textContent(), genotype);

  const resumed = await waitForSaved(page, (run) => run.outcome === 'done');
  assert.equal(resumed.id, interrupted.id, 'the resumed run goes on as the saved one');
  assert.deepEqual(untimed(resumed.epochs), untimed(finished.epochs));
  assert.deepEqual(errors, []);
});

/**
 * Changes the saved DARTS run in the page's IndexedDB. `how`: 'damage' flips
 * one byte in the middle of its checkpoint and marks it as a run a lost GPU
 * interrupted; 'forget-epochs' empties the epochs its record lists, leaving
 * its checkpoint; 'store' puts `record` in as a DARTS run.
 */
function changeSavedDarts(page, how, record = null) {
  return page.evaluate((change) => new Promise((resolve, reject) => {
    const open = indexedDB.open('nasplay');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const transaction = db.transaction('runs', 'readwrite');
      const store = transaction.objectStore('runs');
      transaction.oncomplete = () => { db.close(); resolve(); };
      transaction.onerror = () => reject(transaction.error);
      if (change.how === 'store') {
        store.put(change.record);
        return;
      }
      const request = store.getAll();
      request.onsuccess = () => {
        const run = request.result.find((r) => r.section === 'darts');
        if (change.how === 'damage') {
          const bytes = run.darts.checkpoint;
          bytes[bytes.length >> 1] ^= 0x40;
          Object.assign(run, { outcome: 'lost', message: 'the GPU device was lost (a test)' });
        } else {
          run.darts.epochs = [];
          run.darts.tables = run.darts.tables.slice(0, 1);
        }
        store.put(run);
      };
    };
  }), { how, record });
}

test('a damaged saved checkpoint is refused with the reason, offered again, and kept until dropped', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors } = session;
  const before = await savedDarts(page);
  await page.locator('.run-bar[data-panel="darts"] [data-action="run"]').click();
  await waitForSaved(page, (run) => run.id !== before.id && run.checkpointBytes > 0);
  // A reload first, so that nothing writes the run while its bytes are changed.
  await page.reload();
  await waitForBackend(page);
  await changeSavedDarts(page, 'damage');
  await page.reload();
  await waitForBackend(page);
  const interrupted = await savedDarts(page);
  const prompt = page.locator('.resume-prompt[data-panel="darts"]');
  await prompt.waitFor({ state: 'visible', timeout: 30_000 });
  assert.match(await statusOf(page),
    /^Interrupted after \d search epochs?: the GPU device was lost \(a test\)\.$/);
  await prompt.locator('[data-action="resume"]').click();
  const notice = page.locator('.run-bar[data-panel="darts"] .notice');
  await notice.waitFor({ state: 'visible', timeout: 30_000 });
  assert.match(await notice.textContent(),
    /cannot resume: it is damaged \(its checksum does not match its contents\); run DARTS again/);
  const done = interrupted.epochs.length;
  assert.equal(await statusOf(page), `The DARTS run could not resume after search epoch ${done}.`);
  for (const id of CHARTS.slice(0, 2)) assert.ok(await hasInk(page, id), `${id} still shows the saved epochs`);
  assert.ok(await prompt.isVisible(), 'the resume is offered again');
  await new Promise((resolve) => { setTimeout(resolve, 500); });
  const kept = await savedDarts(page);
  assert.deepEqual(kept, interrupted, 'the saved run is left as it was, its reason too');
  assert.ok(await page.locator('.run-bar[data-panel="darts"] [data-action="run"]').isEnabled(),
    'a new run can start');

  await prompt.locator('[data-action="keep"]').click();
  assert.ok(await prompt.isHidden());
  const dropped = await waitForSaved(page, (run) => run.outcome === 'interrupted');
  assert.equal(dropped.checkpointBytes, 0, 'a run kept as is drops its state');
  assert.deepEqual(untimed(dropped.epochs), untimed(interrupted.epochs), 'and keeps its epochs');
  assert.deepEqual(errors, []);
});

test('a resumed DARTS run goes on from the epochs its checkpoint holds, whatever its record lists', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors } = session;
  const before = await savedDarts(page);
  await page.locator('.run-bar[data-panel="darts"] [data-action="run"]').click();
  await waitForSaved(page, (run) => run.id !== before.id && run.checkpointBytes > 0);
  await page.reload();
  await waitForBackend(page);
  await changeSavedDarts(page, 'forget-epochs');
  await page.reload();
  await waitForBackend(page);
  const prompt = page.locator('.resume-prompt[data-panel="darts"]');
  await prompt.waitFor({ state: 'visible', timeout: 30_000 });
  await prompt.locator('[data-action="resume"]').click();
  const resumed = await waitForSaved(page, (run) => run.outcome === 'done', SEARCH_TIMEOUT_MS);
  assert.deepEqual(resumed.epochs.map((record) => record.epoch), [1, 2]);
  assert.match(await statusOf(page), /^Done: 2 search epochs in/);
  assert.deepEqual(errors, []);
});

test('Clear saved runs waits for a DARTS run to end and takes its resume away', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors } = session;
  const clear = page.locator('#clear-saved');
  const before = await savedDarts(page);
  await page.locator('.run-bar[data-panel="darts"] [data-action="run"]').click();
  assert.ok(await clear.isDisabled(), 'nothing is cleared under a running DARTS run');
  await waitForSaved(page, (run) => run.id !== before?.id && run.checkpointBytes > 0);
  await page.reload();
  await waitForBackend(page);
  const prompt = page.locator('.resume-prompt[data-panel="darts"]');
  await prompt.waitFor({ state: 'visible', timeout: 30_000 });
  assert.ok(await clear.isEnabled());
  await clear.click();
  await page.waitForFunction(() => /^Saved runs cleared/.test(document.getElementById('saved-status').textContent));
  assert.ok(await prompt.isHidden(), 'a cleared run is not offered any more');
  assert.match(await statusOf(page), /^The saved DARTS run was cleared: the epochs shown cannot be resumed/);
  assert.equal(await savedDarts(page), null);
  await page.reload();
  await waitForBackend(page);
  assert.equal(await statusOf(page), 'Not started.');
  assert.ok(await prompt.isHidden());
  assert.deepEqual(errors, []);
});

test('a saved DARTS record the page cannot read is named, not thrown', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors } = session;
  const notice = page.locator('.run-bar[data-panel="darts"] .notice');
  for (const broken of [
    { config: { width: 'x' }, darts: { epochs: [{}], tables: [] } },
    { darts: { epochs: [] } },
    { config: { ops: ['conv3x3'], nodes: 3, epochs: 2 }, darts: { tables: 7 } },
    // Building a cell of a billion nodes would take the tab down.
    { config: { ops: ['conv3x3'], nodes: 1e9, epochs: 2 }, darts: { epochs: [], tables: [] } },
  ]) {
    await changeSavedDarts(page, 'store', { id: 'darts-broken', section: 'darts', outcome: 'running', ...broken });
    await page.reload();
    await waitForBackend(page);
    await notice.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await notice.textContent(),
      /^The saved DARTS run could not be shown \(.+\); run DARTS again, or clear the saved runs\.$/);
    assert.equal(await statusOf(page), 'Not started.');
    assert.ok(await page.locator('.resume-prompt[data-panel="darts"]').isHidden());
    assert.ok(await page.locator('.run-bar[data-panel="darts"] [data-action="run"]').isEnabled());
  }
  await page.locator('#clear-saved').click();
  await page.waitForFunction(() => /^Saved runs cleared/.test(document.getElementById('saved-status').textContent));
  assert.deepEqual(errors, []);
});

test('Stop ends a DARTS run between steps and keeps the epochs so far', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  const { page, errors } = session;
  await page.locator('.run-bar[data-panel="darts"] [data-action="run"]').click();
  await page.waitForFunction(
    () => /search epoch/.test(
      document.querySelector('.run-bar[data-panel="darts"] .run-status').textContent),
    null,
    { timeout: SEARCH_TIMEOUT_MS, polling: 100 },
  );
  await page.locator('.run-bar[data-panel="darts"] [data-action="stop"]').click();
  await page.waitForFunction(
    () => /^Stopped/.test(
      document.querySelector('.run-bar[data-panel="darts"] .run-status').textContent),
    null,
    { timeout: SEARCH_TIMEOUT_MS, polling: 200 },
  );
  assert.match(await statusOf(page), /^Stopped after \d search epochs? \([\d.]+ s\)\.$/);
  assert.ok(await page.locator('.run-bar[data-panel="darts"] [data-action="run"]').isEnabled());
  assert.deepEqual(errors, []);
});

test('a bad DARTS setting in the link is named and replaced', async () => {
  const page = (await openPage(browser.context, browser.origin, '#d_nodes=9&d_alr=abc')).page;
  const notices = await page.locator('#link-notice-list li').allTextContents();
  assert.ok(notices.some((text) => text.startsWith('d_nodes=9 (DARTS cell nodes) is above the maximum 5')), notices.join('\n'));
  assert.ok(notices.some((text) => text.startsWith('d_alr=abc (DARTS α learning rate) is not a number')), notices.join('\n'));
  assert.equal(await page.locator('#d-nodes').inputValue(), '5');
});
