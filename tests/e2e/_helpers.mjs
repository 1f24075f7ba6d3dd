// Shared set-up of the browser tests: a server on a free port, headless
// Debian Chromium through playwright-core, and page observations (console
// errors, requests, canvas pixels).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { startServer } from '../../scripts/serve.mjs';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Long enough for a short search on a slow two-core machine. */
export const SEARCH_TIMEOUT_MS = 5 * 60 * 1000;

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts the server and a fresh browser profile. `extraArgs` are added to
 * Chromium's flags; `scale` is the device pixel ratio of the screen.
 * Resolves to `{ origin, context, close }`.
 */
export async function launch({ extraArgs = [], scale = 1 } = {}) {
  const { server, origin } = await startServer({ port: 0 });
  const profile = await mkdtemp(path.join(tmpdir(), 'nasplay-e2e-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...BASE_ARGS, ...extraArgs],
      viewport: { width: 1280, height: 900 },
      deviceScaleFactor: scale,
    });
  } catch (error) {
    server.close();
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  const close = async () => {
    await context.close();
    await new Promise((resolve) => server.close(resolve));
    await rm(profile, { recursive: true, force: true });
  };
  return { origin, context, close };
}

/**
 * Opens the page with `hash` in a new tab (closing the others) and records what a test checks afterwards:
 * `errors` (console errors and uncaught exceptions, page and workers) and
 * `requests` (every URL the page or its workers asked for).
 */
export async function openPage(context, origin, hash = '') {
  const page = await context.newPage();
  for (const other of context.pages()) if (other !== page) await other.close();
  const errors = [];
  const requests = [];
  const recordConsole = (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  };
  page.on('console', recordConsole);
  page.on('pageerror', (error) => errors.push(`exception: ${error.message}`));
  page.on('worker', (worker) => worker.on('console', recordConsole));
  page.on('request', (request) => requests.push(request.url()));

  await page.goto(`${origin}/${hash}`);
  return { page, errors, requests };
}

/** Waits until the backend line has settled; returns its backend and text. */
export async function waitForBackend(page) {
  const line = page.locator('#backend-status');
  await page.waitForFunction(
    () => ['cpu', 'webgpu', 'none'].includes(document.getElementById('backend-status').dataset.backend),
    null,
    { timeout: 120_000 },
  );
  return { backend: await line.getAttribute('data-backend'), text: await line.textContent() };
}

/**
 * Describes the pixels of canvas `id`, read from a copy: its size, how many
 * pixels differ from the top-left one, and a data URL to compare renders.
 */
export function canvasPixels(page, id) {
  return page.evaluate((canvasId) => {
    const source = document.getElementById(canvasId);
    const copy = document.createElement('canvas');
    copy.width = source.width;
    copy.height = source.height;
    const context = copy.getContext('2d');
    context.drawImage(source, 0, 0);
    const { data } = context.getImageData(0, 0, copy.width, copy.height);
    let differing = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] !== data[0] || data[i + 1] !== data[1] ||
          data[i + 2] !== data[2] || data[i + 3] !== data[3]) {
        differing += 1;
      }
    }
    return {
      width: copy.width,
      height: copy.height,
      differing,
      opaque: data[3] !== 0,
      url: source.toDataURL(),
    };
  }, id);
}

/** Whether canvas `id` shows something: more than a speck of pixels stand out. */
export async function hasInk(page, id) {
  const { differing } = await canvasPixels(page, id);
  return differing > 100;
}

/**
 * Clicks the Run button of section `panel` (random or evolution) and waits
 * for the run to end. Returns the final status text.
 */
export async function runSearch(page, panel) {
  const bar = page.locator(`.run-bar[data-panel="${panel}"]`);
  await bar.locator('[data-action="run"]').click();
  await page.waitForFunction(
    (name) => /^(Done|Stopped)/.test(
      document.querySelector(`.run-bar[data-panel="${name}"] .run-status`).textContent,
    ),
    panel,
    { timeout: SEARCH_TIMEOUT_MS, polling: 500 },
  );
  return bar.locator('.run-status').textContent();
}

/** The accuracies in the results table of section `panel`, as numbers. */
export function tableAccuracies(page, panel) {
  return page.$$eval(`#${panel}-results tbody tr`, (rows) =>
    rows.map((row) => Number(row.dataset.accuracy)));
}

/**
 * The DARTS run saved in the page's IndexedDB: `{ id, outcome, message,
 * epochs, derived, checkpointBytes }` or null.
 */
export function savedDarts(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('nasplay');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const request = db.transaction('runs').objectStore('runs').getAll();
      request.onerror = () => reject(request.error);
      request.onsuccess = () => {
        db.close();
        const run = request.result.find((r) => r.section === 'darts');
        resolve(run ? {
          id: run.id,
          outcome: run.outcome,
          message: run.message ?? null,
          epochs: run.darts.epochs,
          derived: Boolean(run.darts.derivation),
          checkpointBytes: run.darts.checkpoint?.byteLength ?? 0,
        } : null);
      };
    };
  }));
}

/** Polls the saved DARTS run until `ready(run)` holds. */
export async function waitForSaved(page, ready, timeout = SEARCH_TIMEOUT_MS) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const run = await savedDarts(page);
    if (run && ready(run)) return run;
    if (Date.now() > deadline) throw new Error(`the saved DARTS run never got ready: ${JSON.stringify(run)}`);
    await new Promise((resolve) => { setTimeout(resolve, 100); });
  }
}

/** Epoch records without their wall times, which no two runs share. */
export function untimed(epochs) {
  return epochs.map(({ elapsed_ms: _, ...record }) => record);
}
