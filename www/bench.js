// The bench page: measures the engine's figures (the matrix-multiply
// ceiling, training throughput, wasm memory) on the CPU and, where the
// browser offers an adapter, on WebGPU, in one worker per backend. Figures
// appear in the table as they are measured; at the end the whole run is
// written as JSON into #results, whose data-state then reads done.
import { describe, figuresFor, readSettings, TRAINING } from './bench-plan.js';
import { loadEngine } from './engine.js';
import { messageOf } from './ui.js';

const LABELS = { cpu: 'wasm CPU (flex)', webgpu: 'WebGPU' };

/** A readable name of a WebGPU adapter, from whatever the browser tells. */
function adapterName(adapter) {
  const info = adapter.info ?? {};
  const parts = [info.vendor, info.architecture, info.description].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : 'unnamed adapter';
}

/**
 * Whether WebGPU is measured: `{ label, adapter, software }`, or
 * `{ skipped }` with the reason. A software adapter (SwiftShader) is
 * measured only when the settings ask for it, and labelled so.
 */
async function webgpuTarget(settings) {
  if (!navigator.gpu) return { skipped: 'this browser does not offer WebGPU' };
  let adapter = null;
  try {
    adapter = await navigator.gpu.requestAdapter();
  } catch (error) {
    return { skipped: `no WebGPU adapter (${messageOf(error)})` };
  }
  if (!adapter) return { skipped: 'the browser found no WebGPU adapter' };
  const name = adapterName(adapter);
  const software = adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  if (software && !settings.software) {
    return { skipped: `only a software adapter (${name}); add software=1 to measure it` };
  }
  const label = software ? `WebGPU (software: ${name})` : `WebGPU (${name})`;
  return { label, adapter: name, software };
}

/** `123.4` with `digits` decimals and thousands separators. */
function format(value, digits = 0) {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function span(values, digits = 0) {
  return `${format(Math.min(...values), digits)}–${format(Math.max(...values), digits)}`;
}

function mib(bytes) {
  return `${format(bytes / 2 ** 20, 1)} MiB`;
}

/** The table cells of one measured figure; `ceiling` is the backend's matmul GFLOP/s. */
function rowOf(kind, result, ceiling) {
  switch (kind) {
    case 'matmul':
      return [`${result.n}×${result.n} matrix product`, `${format(result.gflops, 1)} GFLOP/s`,
        span(result.runs_gflops, 1), format(result.gflops, 1), ''];
    case 'training':
      return [`${result.arch} on ${result.input_label}`,
        `${format(result.images_per_second)} images/s`, span(result.runs_images_per_second),
        format(result.achieved_gflops, 1), `${format((100 * result.achieved_gflops) / ceiling, 1)}%`];
    default: {
      const after = result.after.map((r) => `${mib(r.bytes)} after ${r.after_candidate}`);
      return [`wasm memory, ${result.candidates} candidates`,
        `${mib(result.before_bytes)} before; ${after.join('; ')}`, '', '', ''];
    }
  }
}

/** The page's visible parts: status line, progress bar, table and JSON. */
class View {
  constructor() {
    this.status = document.getElementById('status');
    this.progress = document.getElementById('progress');
    this.rows = document.querySelector('#figures tbody');
    this.results = document.getElementById('results');
    this.notice = document.getElementById('notice');
  }

  say(text) {
    this.status.textContent = text;
  }

  warn(lines) {
    this.notice.textContent = lines.join(' ');
    this.notice.hidden = lines.length === 0;
  }

  addRow(cells) {
    const row = document.createElement('tr');
    for (const text of cells) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    this.rows.append(row);
  }
}

/**
 * Measures `figures` in a fresh worker on `backend`. `onFigure(index,
 * result)` gets each result, `onCandidate(index, number)` the memory run's
 * progress. Resolves the engine's backend detail; rejects with the worker's
 * message.
 */
function measureOn(module, backend, figures, { onFigure, onCandidate }) {
  const worker = new Worker(new URL('./bench-worker.js', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    let detail = null;
    worker.addEventListener('message', ({ data }) => {
      if (data.type === 'ready') detail = data.detail;
      if (data.type === 'candidate') onCandidate(data.index, data.number);
      if (data.type === 'figure') onFigure(data.index, data.result);
      if (data.type === 'done') resolve(detail);
      if (data.type === 'error') reject(new Error(data.message));
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      reject(new Error(`the bench worker stopped: ${event.message || 'unknown error'}`));
    });
    worker.postMessage({ type: 'bench', module, backend, figures });
  }).finally(() => worker.terminate());
}

/** Measures every figure the settings ask for; resolves the JSON document. */
async function runAll(settings, view) {
  const started = performance.now();
  const record = {
    page: 'bench.html',
    user_agent: navigator.userAgent,
    started_at: new Date().toISOString(),
    statistic: 'median',
    settings,
    ...TRAINING,
    backends: [],
  };
  view.rows.replaceChildren();
  view.progress.value = 0;
  view.say('Loading the engine…');
  const { module } = await loadEngine();

  const targets = [];
  for (const backend of settings.backends) {
    const target = backend === 'webgpu' ? await webgpuTarget(settings) : { label: LABELS.cpu };
    if (target.skipped) {
      record.backends.push({ backend, skipped: target.skipped });
      view.addRow([LABELS[backend], `skipped: ${target.skipped}`, '', '', '', '']);
    } else {
      targets.push({ backend, ...target, figures: figuresFor(settings, backend) });
    }
  }
  const total = targets.reduce((sum, target) => sum + target.figures.length, 0);
  view.progress.max = Math.max(total, 1);
  let done = 0;

  for (const { backend, label, adapter, software, figures } of targets) {
    const entry = { backend, label, adapter, software, matmul: null, training: [], memory: null };
    record.backends.push(entry);
    let measured = 0;
    const announce = (index, extra = '') => view.say(
      `Measuring ${done + 1} of ${total} on ${label}: ${describe(figures[index])}${extra}…`);
    const onFigure = (index, result) => {
      const { kind } = figures[index];
      if (kind === 'training') {
        result.share_of_matmul = result.achieved_gflops / entry.matmul.gflops;
        entry.training.push(result);
      } else {
        entry[kind] = result;
      }
      view.addRow([label, ...rowOf(kind, result, entry.matmul?.gflops)]);
      done += 1;
      measured += 1;
      view.progress.value = done;
      if (index + 1 < figures.length) announce(index + 1);
    };
    const onCandidate = (index, number) => announce(index, ` (candidate ${number})`);
    announce(0);
    try {
      entry.detail = await measureOn(module, backend, figures, { onFigure, onCandidate });
    } catch (error) {
      entry.error = messageOf(error);
      view.addRow([label, `stopped by an error: ${entry.error}`, '', '', '', '']);
      done += figures.length - measured;
      view.progress.value = done;
    }
  }
  record.seconds = (performance.now() - started) / 1000;
  return record;
}

function main() {
  const view = new View();
  const { settings, notices } = readSettings(new URLSearchParams(location.search));
  view.warn(notices);
  document.getElementById('settings').textContent = JSON.stringify(settings);
  const button = document.getElementById('run');
  button.disabled = false;
  button.addEventListener('click', async () => {
    button.disabled = true;
    view.results.dataset.state = 'running';
    try {
      const result = await runAll(settings, view);
      view.results.textContent = JSON.stringify(result, null, 2);
      view.results.dataset.state = 'done';
      view.say(`Done in ${format(result.seconds, 1)} s.`);
    } catch (error) {
      view.results.dataset.state = 'error';
      view.say(`Stopped by an error: ${messageOf(error)}`);
    }
    button.disabled = false;
  });
}

main();
