// Saved runs, resume, export and import in one browser profile, on the CPU:
// a finished run survives a reload, an interrupted one resumes and ends as an
// uninterrupted one would, every export downloads what it says, an exported
// run imports back, and bad files and a browser without IndexedDB get a
// clear notice.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import {
  hasInk,
  launch,
  openPage,
  runSearch,
  SEARCH_TIMEOUT_MS,
  waitForBackend,
} from './_helpers.mjs';

const TWO = '#candidates=2&epochs=1&backend=cpu';
const THREE = '#candidates=3&epochs=1&backend=cpu';
const RANDOM_ROWS = '#random-results tbody tr';

let browser;
let session;
/** `{ index: { arch, accuracy } }` of the 2-candidate run, to compare the resumed one with. */
let firstRun;
/** Where the run's JSON export was downloaded. */
let exportedRun;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** The rows of the random search table by evaluation index. */
function rowsByIndex(page) {
  return page.$$eval(RANDOM_ROWS, (rows) => Object.fromEntries(rows.map((row) => [
    row.dataset.index,
    {
      arch: row.querySelector('td.arch').textContent,
      accuracy: Number(row.dataset.accuracy),
      restored: row.dataset.restored === 'true',
      trainTime: row.cells[row.cells.length - 1].textContent,
    },
  ])));
}

/** Waits for the saved-runs line to say that `count` candidates are saved. */
function waitForSaved(page, count, planned) {
  return page.waitForFunction(
    (text) => document.getElementById('saved-status').textContent.includes(text),
    `${count} of ${planned} candidates saved`,
    { timeout: SEARCH_TIMEOUT_MS, polling: 200 },
  );
}

/** Clicks `locator` and resolves to the download it starts: `{ name, text, bytes, path }`. */
async function downloadFrom(page, locator) {
  const [download] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  const path = await download.path();
  const bytes = await readFile(path);
  return { name: download.suggestedFilename(), text: bytes.toString('utf8'), bytes, path };
}

test('a finished run is still there after a reload', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  session = await openPage(browser.context, browser.origin, TWO);
  const { page, errors } = session;
  await waitForBackend(page);
  assert.match(await page.locator('#saved-status').textContent(), /saved in this browser/);

  assert.match(await runSearch(page, 'random'), /^Done: 2 candidates/);
  await waitForSaved(page, 2, 2);
  firstRun = await rowsByIndex(page);
  await page.reload();
  await waitForBackend(page);
  await page.waitForFunction((rows) => document.querySelectorAll(rows).length === 2, RANDOM_ROWS);

  const status = await page.locator('.run-bar[data-panel="random"] .run-status').textContent();
  assert.match(status, /^Restored from this browser: done, 2 candidates; best accuracy/);
  const restored = await rowsByIndex(page);
  for (const index of ['1', '2']) {
    assert.equal(restored[index].arch, firstRun[index].arch);
    assert.equal(restored[index].accuracy, firstRun[index].accuracy);
  }
  assert.ok(await hasInk(page, 'chart-random-best'));
  assert.ok(await page.locator('.resume-prompt[data-panel="random"]').isHidden());
  assert.deepEqual(errors, []);
});

test('a search interrupted by a reload resumes and ends as it would have', { timeout: SEARCH_TIMEOUT_MS }, async () => {
  session = await openPage(browser.context, browser.origin, THREE);
  const { page, errors } = session;
  await waitForBackend(page);
  await page.locator('.run-bar[data-panel="random"] [data-action="run"]').click();
  await waitForSaved(page, 1, 3);

  await page.reload();
  const prompt = page.locator('.resume-prompt[data-panel="random"]');
  await prompt.waitFor({ state: 'visible' });
  assert.match(await prompt.textContent(), /Resume the search from candidate 2 of 3\?/);
  assert.equal(await page.locator(RANDOM_ROWS).count(), 1);
  const resume = prompt.locator('[data-action="resume"]');
  await page.waitForFunction(
    () => !document.querySelector('.resume-prompt[data-panel="random"] [data-action="resume"]').disabled,
    null,
    { timeout: 120_000 },
  );
  await resume.click();
  await page.waitForFunction(
    () => /^(Done|Stopped)/.test(document.querySelector('.run-bar[data-panel="random"] .run-status').textContent),
    null,
    { timeout: SEARCH_TIMEOUT_MS, polling: 500 },
  );

  assert.match(await page.locator('.run-bar[data-panel="random"] .run-status').textContent(), /^Done: 3 candidates/);
  assert.ok(await prompt.isHidden());
  const rows = await rowsByIndex(page);
  assert.deepEqual(Object.keys(rows).sort(), ['1', '2', '3']);
  assert.deepEqual([rows[1].restored, rows[2].restored, rows[3].restored], [true, false, false]);
  assert.match(rows[1].trainTime, /restored$/);
  // The same seed samples the same first two candidates as the 2-candidate run,
  // so candidate 2, trained after the resume, must match it exactly.
  for (const index of ['1', '2']) {
    assert.equal(rows[index].arch, firstRun[index].arch);
    assert.equal(rows[index].accuracy, firstRun[index].accuracy);
  }
  assert.deepEqual(errors, []);
});

test('the run, a chart and the best architecture download as JSON, CSV, PNG and .py', { timeout: 120_000 }, async (t) => {
  const { page, errors } = session;
  const bar = page.locator('.export-bar[data-panel="random"]');

  const json = await downloadFrom(page, bar.locator('[data-export="run-json"]'));
  const csv = await downloadFrom(page, bar.locator('[data-export="run-csv"]'));
  const png = await downloadFrom(page, page.locator('button[data-png="chart-random-best"]'));
  const python = await downloadFrom(page, bar.locator('[data-export="arch-py"]'));
  const architecture = await downloadFrom(page, bar.locator('[data-export="arch-json"]'));

  assert.equal(json.name, 'nasplay-random-seed1.json');
  const doc = JSON.parse(json.text);
  assert.equal(doc.format, 'nasplay-run');
  assert.equal(doc.version, 1);
  assert.equal(doc.outcome, 'done');
  assert.equal(doc.evaluations.length, 3);
  assert.deepEqual(doc.shape, { in_channels: 1, classes: 10, width: 32, input_size: 8 });
  exportedRun = json.path;

  assert.equal(csv.name, 'nasplay-random-seed1.csv');
  const lines = csv.text.trimEnd().split('\r\n');
  assert.match(lines[0], /^index,generation,arch,status,reason,accuracy,/);
  assert.equal(lines.length, 4, 'a header and three rows');
  assert.ok(lines.slice(1).every((line) => /^\d+,,"[a-z0-9_,]+",(ok|failed),/.test(line)), csv.text);

  assert.equal(png.name, 'nasplay-random-best.png');
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  const best = doc.evaluations.filter((e) => e.status === 'ok').sort((a, b) => b.accuracy - a.accuracy)[0];
  assert.equal(python.name, 'nasplay_random_best_seed1.py');
  assert.match(python.text, /^class NasplayNet\(nn\.Module\):$/m);
  assert.match(python.text, new RegExp(`^EXPECTED_PARAMETERS = ${best.params}$`, 'm'));
  assert.ok(python.text.includes(`found by nasplay: ${best.arch}.`));
  const arch = JSON.parse(architecture.text);
  assert.equal(arch.format, 'nasplay-architecture');
  assert.equal(arch.arch, best.arch);
  assert.equal(arch.params, best.params);
  assert.equal(arch.trained.accuracy, best.accuracy);

  const torch = spawnSync('python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (torch.status === 0) {
    const check = spawnSync('python3', [python.path], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, new RegExp(`NasplayNet: ${best.params} parameters, as nasplay counts`));
  } else {
    t.diagnostic('PyTorch is not installed: the .py file was checked as text, not run');
  }
  assert.deepEqual(errors, []);
});

test('a clicked row is the architecture exported', async () => {
  const { page, errors } = session;
  const bar = page.locator('.export-bar[data-panel="random"]');
  const row = page.locator(`${RANDOM_ROWS}[data-index="2"]`);
  const arch = await row.locator('td.arch').textContent();

  await row.click();
  const python = await downloadFrom(page, bar.locator('[data-export="arch-py"]'));

  assert.match(await bar.locator('.export-choice').textContent(), /^candidate 2, .* \(chosen\)$/);
  assert.equal(python.name, 'nasplay_random_candidate2_seed1.py');
  assert.ok(python.text.includes(`found by nasplay: ${arch}.`));
  assert.equal(await row.getAttribute('aria-current'), 'true');
  assert.deepEqual(errors, []);
});

test('Clear saved runs forgets them: a reload starts empty', async () => {
  const { page, errors } = session;

  await page.locator('#clear-saved').click();
  await page.waitForFunction(() => /cleared/.test(document.getElementById('saved-status').textContent));
  await page.reload();
  await waitForBackend(page);

  assert.equal(await page.locator(RANDOM_ROWS).count(), 0);
  assert.equal(await page.locator('.run-bar[data-panel="random"] .run-status').textContent(), 'Not started.');
  assert.ok(await page.locator('.resume-prompt[data-panel="random"]').isHidden());
  assert.deepEqual(errors, []);
});

test('an exported run imports back into its table and charts', async () => {
  const { page, errors } = session;
  const input = page.locator('.export-bar[data-panel="random"] input[data-import]');

  await input.setInputFiles(exportedRun);
  await page.waitForFunction((rows) => document.querySelectorAll(rows).length === 3, RANDOM_ROWS);

  const status = await page.locator('.run-bar[data-panel="random"] .run-status').textContent();
  assert.match(status, /^Imported from “.*”: done, 3 candidates; best accuracy/);
  const doc = JSON.parse(await readFile(exportedRun, 'utf8'));
  const rows = await rowsByIndex(page);
  for (const evaluation of doc.evaluations) {
    assert.equal(rows[evaluation.index].arch, evaluation.arch);
  }
  assert.ok(await hasInk(page, 'chart-random-best'));
  assert.ok(await page.locator('.export-bar[data-panel="random"] .notice').isHidden());

  // Trained elsewhere: the summary's count of what this page trained stays,
  // however often the file is imported.
  const methods = await page.locator('#methods-table').textContent();
  await input.setInputFiles([]);
  await input.setInputFiles(exportedRun);
  await page.waitForFunction((rows) => document.querySelectorAll(rows).length === 3, RANDOM_ROWS);
  assert.equal(await page.locator('#methods-table').textContent(), methods);
  assert.deepEqual(errors, []);
});

test('a bad file is refused with a notice that says why, and the table stays', async () => {
  const { page, errors } = session;
  const bar = page.locator('.export-bar[data-panel="random"]');
  const notice = bar.locator('.notice');
  const importing = async (name, text) => {
    await bar.locator('input[data-import]').setInputFiles({
      name,
      mimeType: 'application/json',
      buffer: Buffer.from(text),
    });
    await notice.waitFor({ state: 'visible' });
    return notice.textContent();
  };
  const doc = JSON.parse(await readFile(exportedRun, 'utf8'));

  assert.match(await importing('notes.txt', 'not json at all'), /^“notes\.txt” is not a JSON file/);
  assert.match(await importing('v2.json', JSON.stringify({ ...doc, version: 2 })),
    /is a run file of version 2; this page reads version 1/);
  const { evaluations, ...incomplete } = doc;
  assert.match(await importing('part.json', JSON.stringify(incomplete)), /it lacks evaluations/);
  const evolution = {
    ...doc,
    section: 'evolution',
    config: { ...doc.config, strategy: 'evolution', population: 3, generations: 1 },
  };
  assert.match(await importing('evo.json', JSON.stringify(evolution)),
    /holds a run of Evolution \(section 4\): import it there/);

  assert.equal(await page.locator(RANDOM_ROWS).count(), evaluations.length);
  assert.equal(await notice.getAttribute('role'), 'alert');
  assert.deepEqual(errors, []);
});

test('without IndexedDB a notice says runs are not saved, and the page works', async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', { value: undefined });
  });

  await page.goto(`${browser.origin}/${TWO}`);
  await waitForBackend(page);
  const notice = page.locator('.saved-runs + .notice');
  await notice.waitFor({ state: 'visible' });

  assert.match(await notice.textContent(), /Runs are not saved: this browser offers no IndexedDB/);
  assert.ok(await page.locator('#clear-saved').isDisabled());
  assert.ok(await page.locator('.run-bar[data-panel="random"] [data-action="run"]').isEnabled());
  assert.ok(await page.locator('.export-bar[data-panel="random"] [data-action="import"]').isEnabled());
  assert.deepEqual(errors, []);
  await page.close();
});
