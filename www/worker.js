// The training worker: starts the engine from the compiled module it is sent,
// picks the backend, and runs one search at a time as a step loop, reporting
// after every step and honouring stop requests between steps.
//
// In:  { type: "init", module, preference, reason }  preference: auto | webgpu | cpu;
//                                             reason: why, if not the user's choice
//      { type: "run", config, history, lost } the engine's search config; a history
//                                             (saved evaluations) resumes a run; lost:
//                                             why the candidate after it failed
//      { type: "run-darts", config, checkpoint }  the engine's DARTS config; a checkpoint
//                                             (Uint8Array from a step) resumes that run
//      { type: "run-race", request, table }   the three-way NAS-Bench-201 race; table:
//                                             the CSV text, the first time only
//      { type: "dataset", id, name, files }   files: [{ name, bytes }], parsed by the
//                                             engine and kept for the runs that name it
//      { type: "measure-ops", id, spec }      time every op: { ops, in_channels, width, input_size, classes }
//      { type: "stop" }
// Out: { type: "ready", backend, detail, reason } | { type: "init-error", message }
//      { type: "dataset", id, summary } | { type: "dataset-error", id, message, fatal }
//      { type: "started", shape }             of a "run": its networks' shape
//      { type: "resumed", summary }           of a resumed DARTS run: the engine's summary
//                                             (its epochs are the checkpoint's)
//      { type: "step", ...the step's report, memory_bytes, checkpoint, checkpoint_error }
//                                             then; checkpoint: a DARTS run's state after the
//                                             epoch the step closed (transferred), else null;
//                                             checkpoint_error: why it could not be read
//      { type: "done" } | { type: "stopped" } | { type: "error", message, fatal }
//      { type: "measured", id, result } | { type: "measured", id, message }
//      { type: "device-lost", reason, message }  the GPU device the engine trained on
//                                             is gone; this worker cannot train any more

let engine = null;
/** The engine's linear memory, whose size each step reports. */
let memory = null;
let running = false;
let stopRequested = false;
/** Whether the engine trains on WebGPU: only then does a lost device matter. */
let onGpu = false;
/** Resolves once the GPU device is lost. */
let deviceLoss = new Promise(() => {});

/**
 * Lets the worker see the GPU device that wgpu asks the browser for, so
 * that losing it (a driver reset, a crashed GPU process, the browser taking
 * the GPU back) reaches the page as a "device-lost" message. Without it the
 * engine would hang on, or trap at, its next read from the GPU.
 */
function watchGpuDevices() {
  let lost;
  deviceLoss = new Promise((resolve) => {
    lost = resolve;
  });
  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function watchedRequestDevice(...args) {
    const device = await requestDevice.apply(this, args);
    device.lost.then((info) => {
      lost();
      if (onGpu) post({ type: 'device-lost', reason: info.reason ?? 'unknown', message: info.message ?? '' });
    });
    return device;
  };
}

/**
 * Whether the GPU device is lost within `ms`. The engine's error on a read
 * from a lost device can come before the browser's loss notice; the error
 * is then the loss, which the page answers differently (see engine.js).
 */
function lostWithin(ms) {
  if (!onGpu) return Promise.resolve(false);
  const timeout = new Promise((resolve) => {
    setTimeout(() => resolve(false), ms);
  });
  return Promise.race([deviceLoss.then(() => true), timeout]);
}

/** How long an error on the GPU waits for the loss notice that may explain it. */
const LOSS_GRACE_MS = 1000;

function post(message, transfer = []) {
  self.postMessage(message, transfer);
}

function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

/** A readable name of a WebGPU adapter, from whatever the browser tells. */
function adapterName(adapter) {
  const info = adapter.info ?? {};
  const parts = [info.vendor, info.architecture, info.description].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : 'unnamed adapter';
}

/**
 * Decides which backend to try first. Returns `{ backend, reason }`; the
 * reason is shown to the user.
 */
async function chooseBackend(preference, reason) {
  if (preference === 'cpu') {
    return { backend: 'cpu', reason: reason ?? 'CPU chosen in the Backend menu' };
  }
  const forced = preference === 'webgpu';
  const but = forced ? 'WebGPU was chosen, but ' : '';
  if (!navigator.gpu) {
    const reason = forced
      ? 'WebGPU was chosen, but this browser does not offer it: using CPU'
      : 'WebGPU unavailable in this browser: using CPU';
    return { backend: 'cpu', reason };
  }
  let adapter = null;
  try {
    adapter = await navigator.gpu.requestAdapter();
  } catch (error) {
    return { backend: 'cpu', reason: `${but}no WebGPU adapter (${messageOf(error)}): using CPU` };
  }
  if (!adapter) {
    return { backend: 'cpu', reason: `${but}the browser found no WebGPU adapter: using CPU` };
  }
  const name = adapterName(adapter);
  if (forced) {
    return { backend: 'webgpu', reason: `WebGPU chosen in the Backend menu (${name})` };
  }
  const fallback = adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  if (fallback) {
    return {
      backend: 'cpu',
      reason: `only a software WebGPU adapter (${name}): using CPU; choose WebGPU to force it`,
    };
  }
  return { backend: 'webgpu', reason: `WebGPU adapter found (${name})` };
}

async function start({ module, preference, reason: given }) {
  try {
    engine = await import('./pkg/nasplay.js');
    ({ memory } = await engine.default({ module_or_path: module }));
  } catch (error) {
    post({ type: 'init-error', message: `The engine could not start: ${messageOf(error)}` });
    return;
  }

  let { backend, reason } = await chooseBackend(preference, given);
  if (backend === 'webgpu') {
    watchGpuDevices();
    try {
      const info = JSON.parse(await engine.init_backend('webgpu'));
      onGpu = true;
      post({ type: 'ready', ...info, reason });
      return;
    } catch (error) {
      reason = `WebGPU could not start (${messageOf(error)}): using CPU`;
    }
  }
  try {
    const info = JSON.parse(await engine.init_backend('cpu'));
    post({ type: 'ready', ...info, reason });
  } catch (error) {
    post({ type: 'init-error', message: `No training backend could start: ${messageOf(error)}` });
  }
}

/** Parses a dataset's files in the engine, which keeps it; answers with its summary or the problem. */
function loadDataset({ id, name, files }) {
  try {
    const names = files.map((file) => file.name);
    const bytes = files.map((file) => new Uint8Array(file.bytes));
    const summary = JSON.parse(engine.load_dataset(name, names, bytes));
    post({ type: 'dataset', id, summary });
  } catch (error) {
    const fatal = error instanceof WebAssembly.RuntimeError;
    post({ type: 'dataset-error', id, message: messageOf(error), fatal });
  }
}

function yieldToEvents() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * The chain search of a "run" message, resumed from its history if it has
 * one; tells the page the shape of the networks it builds.
 */
function newSearch({ config, history, lost }) {
  const saved = history ? JSON.stringify(history) : null;
  const search = new engine.SearchRun(JSON.stringify(config), saved, lost ?? null);
  post({ type: 'started', shape: JSON.parse(search.shape()) });
  return search;
}

/** The race of a "run-race" message, on the table it carries or was sent before. */
function newRace({ request, table }) {
  return new engine.Nb201Race(JSON.stringify(request), table ?? undefined);
}

/**
 * What a DARTS run offers after a step that closed a search epoch:
 * `{ checkpoint, checkpoint_error }`, both null for other steps. A failed
 * read is reported with the step rather than ending the run, unless the GPU
 * device is gone (then the run ends as lost).
 */
async function checkpointAfter(search, step) {
  const none = { checkpoint: null, checkpoint_error: null };
  if (!step.epoch || step.error || typeof search.checkpoint !== 'function') return none;
  try {
    return { ...none, checkpoint: (await search.checkpoint()) ?? null };
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError || (await lostWithin(LOSS_GRACE_MS))) throw error;
    return { ...none, checkpoint_error: messageOf(error) };
  }
}

/**
 * A DARTS run; one resumed from a checkpoint first reports the epochs the
 * checkpoint holds, which are the ones it goes on from.
 */
function newDarts({ config, checkpoint }) {
  const darts = new engine.DartsRun(JSON.stringify(config), checkpoint ?? undefined);
  if (checkpoint) post({ type: 'resumed', summary: JSON.parse(darts.summary()) });
  return darts;
}

/** Steps the run that `createRun()` makes until it ends, reporting each step. */
async function run(createRun) {
  if (running) {
    post({ type: 'error', message: 'A search is already running; stop it first.' });
    return;
  }
  running = true;
  stopRequested = false;
  let search = null;
  try {
    search = createRun();
    for (;;) {
      const step = JSON.parse(await search.step());
      const saved = await checkpointAfter(search, step);
      const report = { type: 'step', ...step, memory_bytes: memory.buffer.byteLength, ...saved };
      post(report, saved.checkpoint ? [saved.checkpoint.buffer] : []);
      if (step.error) {
        if (!(await lostWithin(LOSS_GRACE_MS))) post({ type: 'error', message: step.error, fatal: false });
        break;
      }
      if (step.done) {
        post({ type: 'done' });
        break;
      }
      await yieldToEvents();
      if (stopRequested) {
        post({ type: 'stopped' });
        break;
      }
    }
  } catch (error) {
    if (await lostWithin(LOSS_GRACE_MS)) return;
    // A trap (a panic inside the engine) leaves the wasm instance unusable.
    const fatal = error instanceof WebAssembly.RuntimeError;
    post({ type: 'error', message: messageOf(error), fatal });
  } finally {
    try {
      search?.free();
    } catch {
      // Freeing after a trap fails too; the worker is replaced then.
    }
    running = false;
  }
}

/** Times every op on this backend; refused while a search runs (it would skew the times). */
async function measureOps({ id, spec }) {
  if (running) {
    post({ type: 'measured', id, message: 'A search is running; measure the ops after it ends.' });
    return;
  }
  running = true;
  try {
    post({ type: 'measured', id, result: JSON.parse(await engine.measure_op_latency(JSON.stringify(spec))) });
  } catch (error) {
    post({ type: 'measured', id, message: messageOf(error) });
  } finally {
    running = false;
  }
}

self.addEventListener('message', (event) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      start(message);
      break;
    case 'run':
      run(() => newSearch(message));
      break;
    case 'run-darts':
      run(() => newDarts(message));
      break;
    case 'run-race':
      run(() => newRace(message));
      break;
    case 'dataset':
      loadDataset(message);
      break;
    case 'measure-ops':
      measureOps(message);
      break;
    case 'stop':
      stopRequested = true;
      break;
    default:
      post({ type: 'error', message: `unknown message ${message.type}`, fatal: false });
  }
});
