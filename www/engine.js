// Loading the wasm engine, and the bridge to the training worker.
//
// The module is downloaded and compiled once here; the main thread
// instantiates it for charts and the search space, and the worker receives
// the compiled module for training.

const WASM_URL = new URL('./pkg/nasplay_bg.wasm', import.meta.url);
const GLUE_URL = new URL('./pkg/nasplay.js', import.meta.url);
const BUILD_HINT = 'build it with ./scripts/build-wasm.sh (./scripts/serve.sh does this)';

async function compileModule() {
  const response = await fetch(WASM_URL);
  if (!response.ok) {
    throw new Error(`the engine file answered ${response.status}; ${BUILD_HINT}`);
  }
  const type = response.headers.get('Content-Type') ?? '';
  if (type.startsWith('application/wasm')) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

/**
 * Downloads and compiles the engine and starts it on the main thread.
 * Resolves to `{ engine, module }`: the engine's exports and the compiled
 * `WebAssembly.Module` to hand to workers.
 */
export async function loadEngine() {
  const [glue, module] = await Promise.all([
    import(GLUE_URL.href).catch((error) => {
      throw new Error(`the engine's JavaScript could not be loaded (${error.message}); ${BUILD_HINT}`);
    }),
    compileModule(),
  ]);
  await glue.default({ module_or_path: module });
  return { engine: glue, module };
}

/**
 * The training worker. One search at a time; the worker is replaced when the
 * backend changes (WebGPU can be set up once per worker) or after a crash.
 */
export class Trainer {
  /**
   * `onBackend(info)` reports the worker's state: `{ state: "starting" }`,
   * `{ state: "ready", backend, detail, reason }` or
   * `{ state: "failed", reason }` when no backend could start.
   * `onDataset(answer)` gets the answer to each `loadDataset` request.
   */
  constructor(module, onBackend, onDataset) {
    this.module = module;
    this.onBackend = onBackend;
    this.onDataset = onDataset;
    this.worker = null;
    this.preference = 'auto';
    this.ready = false;
    this.handlers = null;
    this.dataset = null;
  }

  /**
   * Replaces the worker by one started with `preference` (auto, webgpu or
   * cpu); `reason`, if given, is what the backend line says about the choice.
   */
  start(preference, reason = null) {
    this.worker?.terminate();
    // A new worker has its own engine, without the NAS-Bench-201 table.
    this.tableSent = false;
    this.measuring?.reject(new Error('the training worker was restarted; measure again'));
    this.measuring = null;
    this.preference = preference;
    this.ready = false;
    this.onBackend({ state: 'starting' });
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.worker = worker;
    // A replaced worker's last messages (sent before it was terminated) are not this worker's.
    worker.addEventListener('message', (event) => {
      if (worker === this.worker) this.receive(event.data);
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (worker === this.worker) this.crashed(`the training worker stopped: ${event.message || 'unknown error'}`);
    });
    this.worker.postMessage({ type: 'init', module: this.module, preference, reason });
  }

  /** Whether a search is running. */
  get busy() {
    return this.handlers !== null;
  }

  /**
   * Starts a search with the engine config `config`. `handlers.step(step)`
   * gets each step's report; `handlers.end(outcome, message)` is called once
   * with outcome "done", "stopped" or "error". With `history`, the
   * evaluations an interrupted run of the same config saved, it resumes that
   * run; `handlers.started(shape)` gets the shape of the networks it builds.
   * `lost`, the reason the candidate after that history could not finish (a
   * lost GPU device), makes the engine record that candidate as failed with
   * it instead of training it again.
   */
  run(config, handlers, history = null, lost = null) {
    this.send({ type: 'run', config, history, lost }, handlers);
  }

  /**
   * Starts a DARTS run with the engine's DARTS config; handlers as for `run`.
   * With `checkpoint` (a step report's, of a run with this config) it
   * continues that run at the search epoch after it; the page keeps its copy.
   */
  runDarts(config, handlers, checkpoint = null) {
    this.send({ type: 'run-darts', config, checkpoint }, handlers);
  }

  /**
   * Starts the three-way NAS-Bench-201 race `request` (see the worker's
   * "run-race") on the CSV text `table`, which is sent once per worker;
   * handlers as for `run`, each step's report carrying the race so far.
   */
  runRace(request, table, handlers) {
    const message = { type: 'run-race', request, table: this.tableSent ? null : table };
    this.send(message, handlers);
    this.tableSent = true;
  }

  send(message, handlers) {
    if (!this.ready || this.busy) throw new Error('the training backend is not ready');
    this.handlers = handlers;
    this.worker.postMessage(message);
  }

  /**
   * Hands a dataset's files to the engine in the worker: `request` is
   * `{ id, name, files: [{ name, bytes }] }`. The answer reaches `onDataset`
   * as `{ id, summary }` or `{ id, message }`. The latest request is sent
   * again to every new worker (after a backend change or a crash), so the
   * engine always holds the page's dataset.
   */
  loadDataset(request) {
    this.dataset = request;
    if (this.ready) this.worker.postMessage({ type: 'dataset', ...request });
  }

  /**
   * Times every op of `spec` (`{ ops, in_channels, width, input_size,
   * classes }`) on the worker's backend. Resolves `{ table, timings }`;
   * rejects with the engine's message, or when the worker is replaced first.
   */
  measureOps(spec) {
    if (!this.ready) return Promise.reject(new Error('the training backend is not ready'));
    this.measureId = (this.measureId ?? 0) + 1;
    const id = this.measureId;
    return new Promise((resolve, reject) => {
      this.measuring = { id, resolve, reject };
      this.worker.postMessage({ type: 'measure-ops', id, spec });
    });
  }

  /** Settles the pending measurement `id` with the worker's answer. */
  measured({ id, result, message }) {
    const pending = this.measuring;
    if (pending?.id !== id) return;
    this.measuring = null;
    if (result) pending.resolve(result);
    else pending.reject(new Error(message));
  }

  /** Asks the running search to stop after its current step. */
  stop() {
    if (this.busy) this.worker.postMessage({ type: 'stop' });
  }

  receive(message) {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (this.dataset) this.worker.postMessage({ type: 'dataset', ...this.dataset });
        this.onBackend({ state: 'ready', ...message });
        break;
      case 'dataset':
        this.onDataset({ id: message.id, summary: message.summary });
        break;
      case 'dataset-error':
        this.onDataset({ id: message.id, message: message.message });
        if (message.fatal) {
          // The files broke the engine: a new worker must not be given them again.
          this.dataset = null;
          this.crashed(message.message);
        }
        break;
      case 'init-error':
        this.onBackend({ state: 'failed', reason: message.message });
        break;
      case 'started':
        this.handlers?.started(message.shape);
        break;
      case 'resumed':
        this.handlers?.resumed?.(message.summary);
        break;
      case 'step':
        this.handlers?.step(message);
        break;
      case 'measured':
        this.measured(message);
        break;
      case 'done':
      case 'stopped':
        this.finish(message.type);
        break;
      case 'error':
        this.finish('error', message.message);
        if (message.fatal) this.crashed(message.message);
        break;
      case 'device-lost':
        this.deviceLost(message);
        break;
      default:
        break;
    }
  }

  finish(outcome, message = '') {
    const handlers = this.handlers;
    this.handlers = null;
    handlers?.end(outcome, message);
  }

  /**
   * The GPU device is gone, and with it this worker's engine, which may hang
   * on its next read: the worker is replaced at once by one on the CPU. A
   * running search ends with outcome "lost"; whether it goes on, on the CPU,
   * is the page's question to ask (see `RunKeeper`).
   */
  deviceLost({ reason, message }) {
    const said = [reason, message.replace(/\.$/, '')].filter(Boolean).join(': ');
    const text = `the GPU device was lost (${said})`;
    this.measuring?.reject(new Error(`${text}; measure again on the CPU`));
    this.measuring = null;
    this.finish('lost', text);
    this.start('cpu', `${text}: using CPU`);
  }

  /**
   * The worker is unusable: end any search, then start a fresh worker if
   * this one had been working, or give up if it never started.
   */
  crashed(message) {
    const wasReady = this.ready;
    this.finish('error', message);
    if (wasReady) {
      this.start(this.preference);
      return;
    }
    this.worker.terminate();
    this.ready = false;
    this.onBackend({ state: 'failed', reason: message });
  }
}
