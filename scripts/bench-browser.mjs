// The browser figures of the benchmarks, printed as a plain table (or, with
// --json, as one JSON document on stdout; progress goes to stderr):
//
//   load     the wasm's size on disk, raw and gzipped, and, as medians over
//            --loads fresh browser contexts each, the time from navigation to
//            DOMContentLoaded (the controls work) and to the first charts
//            drawn (the engine has loaded), served gzipped and uncompressed
//   figures  the bench page (bench.html): matrix-multiply ceiling and training
//            throughput on wasm CPU and, where there is a hardware adapter,
//            WebGPU (--software-webgpu: also on a software one, labelled so);
//            --memory adds wasm memory over 50 trained candidates
//   search   with --search: a 10-candidate random search and a 5x4 evolution
//            at the default budget, run from index.html (minutes)
//
// The server is on this machine, so the loads transfer at memory speed;
// --mbps N limits the page's download rate to N megabits per second (Chromium's
// network emulation), to see what gzip saves on a real connection.
// --load-only measures the loads and nothing else.
//
// Usage: node scripts/bench-browser.mjs [--loads N] [--mbps N] [--load-only]
//          [--repeats R] [--steps S] [--inputs digits,synthetic28] [--memory]
//          [--software-webgpu] [--search] [--json]
// Build the engine first (./scripts/build-wasm.sh). Figures only: nothing here
// passes or fails on speed.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { INPUTS } from '../www/bench-plan.js';
import { startServer } from './serve.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WASM = path.join(REPO_ROOT, 'www/pkg/nasplay_bg.wasm');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const LOAD_TIMEOUT_MS = 3 * 60 * 1000;
const BENCH_TIMEOUT_MS = 90 * 60 * 1000;
const SEARCH_TIMEOUT_MS = 30 * 60 * 1000;
/** The searches of `nasplay bench`, at the page's default budget. */
const SEARCH_HASH = '#seed=1&candidates=10&pop=5&gens=4&strategy=evolution&backend=cpu';

const OPTIONS = {
  loads: { type: 'int', def: 5, min: 1, max: 100 },
  mbps: { type: 'int', def: 0, min: 0, max: 100000 },
  'load-only': { type: 'flag' },
  repeats: { type: 'int', def: 5, min: 1, max: 100 },
  steps: { type: 'int', def: 10, min: 1, max: 1000 },
  inputs: { type: 'inputs', def: INPUTS.join(',') },
  memory: { type: 'flag' },
  'software-webgpu': { type: 'flag' },
  search: { type: 'flag' },
  json: { type: 'flag' },
};

class UsageError extends Error {}

/** The command line as options; a bad one throws a UsageError naming it. */
function parseArgs(argv) {
  const options = Object.fromEntries(
    Object.entries(OPTIONS).map(([name, spec]) => [name, spec.type === 'flag' ? false : spec.def]),
  );
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : null;
    const spec = OPTIONS[name];
    if (!spec) throw new UsageError(`unknown argument ${argv[i]}; known: --${Object.keys(OPTIONS).join(', --')}`);
    if (spec.type === 'flag') {
      options[name] = true;
      continue;
    }
    const value = argv[i + 1];
    i += 1;
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (spec.type === 'int') {
      const number = /^\d+$/.test(value) ? Number(value) : NaN;
      if (!(number >= spec.min && number <= spec.max)) {
        throw new UsageError(`--${name} must be a whole number from ${spec.min} to ${spec.max}, got ${value}`);
      }
      options[name] = number;
    } else {
      const unknown = value.split(',').filter((item) => !INPUTS.includes(item));
      if (unknown.length > 0) {
        throw new UsageError(`--${name} names ${unknown.join(', ')}; known: ${INPUTS.join(', ')}`);
      }
      options[name] = value;
    }
  }
  return options;
}

function progress(text) {
  process.stderr.write(`bench-browser: ${text}\n`);
}

function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** Median, lowest and highest of `values`. */
function summary(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values };
}

/** Sizes of the built wasm and of the gzip copy served beside it. */
async function wasmSizes() {
  const raw = await stat(WASM).catch(() => null);
  if (!raw) throw new Error(`${WASM} is missing; build it with ./scripts/build-wasm.sh`);
  const gz = await stat(`${WASM}.gz`).catch(() => null);
  return {
    raw_bytes: raw.size,
    gzip_bytes: gz?.size ?? null,
    gzip_fresh: gz ? gz.mtimeMs >= raw.mtimeMs : false,
  };
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpu_model: cpus[0]?.model ?? 'unknown',
    memory_gib: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

/** A headless Chromium on a fresh profile; resolves `{ context, close }`. */
async function launch(extraFlags = []) {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'nasplay-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...FLAGS, ...extraFlags],
    viewport: { width: 1280, height: 900 },
  });
  const close = async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  };
  return { context, close };
}

/** The browser's full version, such as "148.0.7778.167". */
async function chromiumVersion(context) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const { product } = await cdp.send('Browser.getVersion');
  await page.close();
  return product.replace(/^\D*\//, '');
}

/** Prints the page's console errors and uncaught exceptions to stderr. */
function watchErrors(page) {
  const report = (text) => progress(`page error: ${text}`);
  page.on('console', (message) => {
    if (message.type() === 'error') report(message.text());
  });
  page.on('pageerror', (error) => report(error.message));
  page.on('worker', (worker) => worker.on('console', (message) => {
    if (message.type() === 'error') report(message.text());
  }));
}

/**
 * One cold load of index.html in a fresh browser (no cache, no storage):
 * milliseconds from navigation to DOMContentLoaded and to the first charts
 * drawn, and what was transferred for the wasm. With `identity`, the browser
 * asks for uncompressed bodies.
 */
async function loadOnce(origin, identity, mbps) {
  const browser = await launch();
  try {
    const page = browser.context.pages()[0] ?? await browser.context.newPage();
    if (identity) await page.setExtraHTTPHeaders({ 'Accept-Encoding': 'identity' });
    if (mbps > 0) {
      const cdp = await browser.context.newCDPSession(page);
      const bytesPerSecond = (mbps * 1e6) / 8;
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: bytesPerSecond,
        uploadThroughput: bytesPerSecond,
      });
    }
    watchErrors(page);
    await page.goto(`${origin}/`);
    await page.waitForFunction(
      () => performance.getEntriesByName('nasplay:charts-drawn').length > 0,
      null,
      { timeout: LOAD_TIMEOUT_MS, polling: 50 },
    );
    return await page.evaluate(() => {
      const [navigation] = performance.getEntriesByType('navigation');
      const [charts] = performance.getEntriesByName('nasplay:charts-drawn');
      const wasm = performance.getEntriesByType('resource')
        .find((entry) => entry.name.endsWith('/nasplay_bg.wasm'));
      return {
        dom_content_loaded_ms: navigation.domContentLoadedEventEnd,
        charts_drawn_ms: charts.startTime,
        wasm_encoded_bytes: wasm?.encodedBodySize ?? null,
        wasm_decoded_bytes: wasm?.decodedBodySize ?? null,
      };
    });
  } finally {
    await browser.close();
  }
}

/** `loads` cold loads each, gzip and uncompressed interleaved; medians. */
async function loadFigures(origin, loads, mbps) {
  const runs = { gzip: [], identity: [] };
  for (let i = 1; i <= loads; i += 1) {
    for (const encoding of ['gzip', 'identity']) {
      progress(`cold load ${i} of ${loads} (${encoding})…`);
      runs[encoding].push(await loadOnce(origin, encoding === 'identity', mbps));
    }
  }
  const figures = {};
  for (const [encoding, list] of Object.entries(runs)) {
    figures[encoding] = {
      wasm_transferred_bytes: median(list.map((run) => run.wasm_encoded_bytes)),
      dom_content_loaded_ms: summary(list.map((run) => run.dom_content_loaded_ms)),
      charts_drawn_ms: summary(list.map((run) => run.charts_drawn_ms)),
    };
  }
  return figures;
}

/** Runs bench.html with `query` and resolves the JSON document it writes. */
async function benchPage(context, origin, query) {
  const page = await context.newPage();
  watchErrors(page);
  await page.goto(`${origin}/bench.html?${query}`);
  await page.locator('#run:not([disabled])').click();
  const deadline = Date.now() + BENCH_TIMEOUT_MS;
  let last = '';
  for (;;) {
    const [state, status] = await page.evaluate(() => [
      document.getElementById('results').dataset.state,
      document.getElementById('status').textContent,
    ]);
    if (status !== last) progress(status);
    last = status;
    if (state === 'done') break;
    if (state === 'error') throw new Error(`the bench page stopped: ${status}`);
    if (Date.now() > deadline) throw new Error(`the bench page took over ${BENCH_TIMEOUT_MS / 60000} min`);
    await page.waitForTimeout(1000);
  }
  const record = JSON.parse(await page.locator('#results').textContent());
  await page.close();
  return record;
}

/**
 * Runs section `panel`'s search on the open index.html to its end and reads
 * the page's own status line: "Done: 10 candidates in 215.3 s; best …".
 */
async function timeSearch(page, panel) {
  const bar = page.locator(`.run-bar[data-panel="${panel}"]`);
  await bar.locator('[data-action="run"]:not([disabled])').click();
  await page.waitForFunction(
    (name) => /^(Done|Stopped)/.test(
      document.querySelector(`.run-bar[data-panel="${name}"] .run-status`).textContent,
    ),
    panel,
    { timeout: SEARCH_TIMEOUT_MS, polling: 1000 },
  );
  const status = await bar.locator('.run-status').textContent();
  const match = /^Done: (\d+) \S+ in ([\d.]+) s(?:; best accuracy ([\d.]+))?/.exec(status);
  if (!match) throw new Error(`the ${panel} search did not finish: ${status}`);
  const cached = await page.$$eval(`#${panel}-results tbody tr td:last-child`,
    (cells) => cells.filter((cell) => cell.textContent === 'cached').length);
  const evaluations = Number(match[1]);
  return {
    seconds: Number(match[2]),
    evaluations,
    trained: evaluations - cached,
    best_accuracy: match[3] ? Number(match[3]) : null,
    status,
  };
}

async function searchFigures(context, origin) {
  const page = await context.newPage();
  watchErrors(page);
  await page.goto(`${origin}/${SEARCH_HASH}`);
  progress('random search, 10 candidates (minutes)…');
  const random = await timeSearch(page, 'random');
  progress(`random search: ${random.status}`);
  progress('evolution, population 5 x 4 generations (minutes)…');
  const evolution = await timeSearch(page, 'evolution');
  progress(`evolution: ${evolution.status}`);
  await page.close();
  return [
    { search: 'random, 10 candidates', runs: 1, hash: SEARCH_HASH, ...random },
    { search: 'evolution, population 5 x 4 generations', runs: 1, hash: SEARCH_HASH, ...evolution },
  ];
}

function mb(bytes) {
  return Number.isFinite(bytes) ? `${(bytes / 1e6).toFixed(2)} MB` : '–';
}

function mib(bytes) {
  return Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : '–';
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}

function fixed(value, digits) {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

function printText(result) {
  const lines = [];
  const { wasm, load, bench, search } = result;
  const loadAverage = (list) => list.map((l) => l.toFixed(2)).join(' ');
  lines.push(`Chromium ${result.chromium}; ${result.machine.cpus} CPUs (${result.machine.cpu_model}); ` +
    `load average ${loadAverage(result.machine.load_average_before)} before, ` +
    `${loadAverage(result.machine.load_average_after)} after`);
  lines.push('');
  lines.push(`wasm: ${mb(wasm.raw_bytes)} raw, ${mb(wasm.gzip_bytes)} gzip -9` +
    (wasm.gzip_fresh ? '' : ' (the .gz is missing or older than the wasm: not served)'));
  lines.push('');
  const rate = result.options.mbps > 0 ? `, download limited to ${result.options.mbps} Mbit/s` : '';
  lines.push(`cold loads of index.html (median of ${result.options.loads}; lowest–highest${rate})`);
  lines.push('encoding   wasm sent   DOMContentLoaded          first charts drawn');
  for (const [encoding, figure] of Object.entries(load)) {
    const dcl = figure.dom_content_loaded_ms;
    const charts = figure.charts_drawn_ms;
    lines.push(`${encoding.padEnd(10)} ${mb(figure.wasm_transferred_bytes).padEnd(11)} ` +
      `${`${seconds(dcl.median)} (${seconds(dcl.min)}–${seconds(dcl.max)})`.padEnd(25)} ` +
      `${seconds(charts.median)} (${seconds(charts.min)}–${seconds(charts.max)})`);
  }
  if (bench) printBench(lines, bench);
  if (search) {
    lines.push('');
    lines.push('search cost in index.html (one run each, CPU backend)');
    for (const run of search) {
      lines.push(`  ${run.search}: ${run.seconds} s, ${run.evaluations} evaluated, ` +
        `${run.trained} trained, best ${run.best_accuracy}`);
    }
  }
  console.log(lines.join('\n'));
}

function printBench(lines, bench) {
  lines.push('');
  lines.push(`bench page (median of ${bench.settings.repeats} runs of ${bench.settings.steps} steps, ` +
    `batch ${bench.batch}, width ${bench.width}, seed ${bench.settings.seed})`);
  for (const entry of bench.backends) {
    if (entry.skipped) {
      lines.push(`${entry.backend}: skipped: ${entry.skipped}`);
      continue;
    }
    lines.push(`${entry.label}${entry.error ? `: stopped by an error: ${entry.error}` : ''}`);
    if (entry.matmul) {
      lines.push(`  ${entry.matmul.n}x${entry.matmul.n} matmul: ${fixed(entry.matmul.gflops, 1)} GFLOP/s`);
    }
    for (const figure of entry.training) {
      lines.push(`  ${figure.arch.padEnd(38)} ${figure.input.padEnd(12)} ` +
        `${fixed(figure.images_per_second, 0).padStart(6)} images/s ` +
        `(${fixed(Math.min(...figure.runs_images_per_second), 0)}–` +
        `${fixed(Math.max(...figure.runs_images_per_second), 0)})  ` +
        `${fixed(figure.achieved_gflops, 1).padStart(5)} GFLOP/s  ` +
        `${fixed(100 * figure.share_of_matmul, 1).padStart(5)}% of matmul`);
    }
    if (entry.memory) {
      const after = entry.memory.after.map((r) => `${mib(r.bytes)} after candidate ${r.after_candidate}`);
      lines.push(`  wasm memory: ${mib(entry.memory.before_bytes)} before; ${after.join('; ')}`);
    }
  }
}

async function main(options) {
  const result = { options, machine: { ...machine(), load_average_before: os.loadavg() } };
  result.wasm = await wasmSizes();
  if (!result.wasm.gzip_fresh) {
    progress('warning: the .gz beside the wasm is missing or older than it, so it is not served: ' +
      'both kinds of load get the raw wasm; run ./scripts/build-wasm.sh');
  }
  const { server, origin } = await startServer({ port: 0 });
  try {
    result.load = await loadFigures(origin, options.loads, options.mbps);
    const browser = await launch(['--enable-unsafe-webgpu']);
    try {
      result.chromium = await chromiumVersion(browser.context);
      if (!options['load-only']) {
        const query = new URLSearchParams({
          repeats: String(options.repeats),
          steps: String(options.steps),
          inputs: options.inputs,
          memory: options.memory ? '1' : '0',
          software: options['software-webgpu'] ? '1' : '0',
        });
        progress(`bench.html?${query} (minutes)…`);
        result.bench = await benchPage(browser.context, origin, query);
      }
      if (options.search) result.search = await searchFigures(browser.context, origin);
    } finally {
      await browser.close();
    }
  } finally {
    server.close();
  }
  result.machine.load_average_after = os.loadavg();
  return result;
}

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`bench-browser: ${error.message}`);
  process.exit(2);
}
main(options).then(
  (result) => {
    if (options.json) console.log(JSON.stringify(result, null, 2));
    else printText(result);
  },
  (error) => {
    console.error(`bench-browser: ${error.message}`);
    process.exit(1);
  },
);
