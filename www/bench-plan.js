// The bench page's settings, read from its query string, and the figures they
// ask the engine for. The models, batch and optimizer are those of
// `nasplay bench`, so the browser's figures compare with the native ones.
// No DOM here, so Node can import and test it.

/** The tutorial's example architecture and a compute-heavy one. */
export const ARCHS = Object.freeze([
  'conv3x3,max_pool3x3,conv5x5,identity',
  'conv5x5,conv5x5,conv5x5,conv5x5',
]);

/** The engine's names of the benchmark inputs. */
export const INPUTS = Object.freeze(['digits', 'synthetic28']);

export const BACKENDS = Object.freeze(['cpu', 'webgpu']);

/** Fixed, as in `nasplay bench`. */
export const TRAINING = Object.freeze({ batch: 64, width: 32, learning_rate: 0.005, warmup_steps: 2 });

/**
 * The memory run, as `nasplay bench --memory`: 50 small candidates, one epoch
 * each, cycling through 5 architectures so that growth after the fifth is
 * memory kept, not a bigger model.
 */
export const MEMORY = Object.freeze({
  candidates: 50,
  checkpoints: [5, 50],
  depth: 2,
  width: 16,
  distinct: 5,
  budget: { epochs: 1, batch_size: 32, learning_rate: 0.005 },
});

/** The settings a query string may change, with defaults and ranges. */
export const SETTINGS = Object.freeze({
  repeats: { type: 'int', def: 5, min: 1, max: 100, label: 'timed runs per figure' },
  steps: { type: 'int', def: 10, min: 1, max: 1000, label: 'training steps per run' },
  seed: { type: 'int', def: 1, min: 0, max: 4294967295, label: 'seed' },
  matmul: { type: 'int', def: 2000, min: 16, max: 4096, label: 'matrix size' },
  inputs: { type: 'list', def: INPUTS, choices: INPUTS, label: 'inputs' },
  backends: { type: 'list', def: BACKENDS, choices: BACKENDS, label: 'backends' },
  memory: { type: 'flag', def: false, label: 'memory run' },
  software: { type: 'flag', def: false, label: 'software WebGPU' },
});

/** `text` read as setting `spec`: `{ value }` or `{ problem }`. */
function readValue(spec, text) {
  switch (spec.type) {
    case 'int': {
      const number = /^\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(number)) return { problem: 'is not a whole number' };
      if (number < spec.min || number > spec.max) {
        return { problem: `is outside ${spec.min}–${spec.max}` };
      }
      return { value: number };
    }
    case 'list': {
      const items = text.split(',').map((item) => item.trim());
      const unknown = items.filter((item) => !spec.choices.includes(item));
      if (unknown.length > 0) {
        return { problem: `names ${unknown.join(', ')}; known: ${spec.choices.join(', ')}` };
      }
      return { value: spec.choices.filter((choice) => items.includes(choice)) };
    }
    default: // flag
      if (text === '1' || text === '0') return { value: text === '1' };
      return { problem: 'must be 1 or 0' };
  }
}

/**
 * Reads `query` (a URLSearchParams). Returns `{ settings, notices }`: every
 * setting, from the query where valid and its default otherwise, and one
 * sentence for each value that was not used.
 */
export function readSettings(query) {
  const settings = {};
  const notices = [];
  for (const [key, spec] of Object.entries(SETTINGS)) {
    settings[key] = spec.def;
    if (!query.has(key)) continue;
    const { value, problem } = readValue(spec, query.get(key));
    if (problem) {
      notices.push(`${key}=${query.get(key)} (${spec.label}) ${problem}; using the default.`);
    } else {
      settings[key] = value;
    }
  }
  for (const key of new Set(query.keys())) {
    if (!(key in SETTINGS)) notices.push(`${key} is not a setting of this page; ignored.`);
  }
  return { settings, notices };
}

/**
 * The figures to measure on one backend, in order: on the CPU, when asked
 * for, the memory run (first, in the fresh worker: wasm memory never shrinks,
 * so after the other figures it would only show their high-water mark), then
 * the matrix-multiply ceiling and training throughput for every input and
 * architecture. Each is `{ kind, spec }`, `spec` being what the engine's
 * `bench_<kind>` takes.
 */
export function figuresFor(settings, backend) {
  const { repeats: runs, steps, seed } = settings;
  const figures = [];
  if (settings.memory && backend === 'cpu') {
    figures.push({ kind: 'memory', spec: { ...MEMORY, seed } });
  }
  figures.push({ kind: 'matmul', spec: { n: settings.matmul, runs, seed } });
  for (const input of settings.inputs) {
    for (const arch of ARCHS) {
      figures.push({ kind: 'training', spec: { input, arch, ...TRAINING, steps, runs, seed } });
    }
  }
  return figures;
}

/** A short description of a figure, for progress lines. */
export function describe({ kind, spec }) {
  switch (kind) {
    case 'matmul':
      return `${spec.n}×${spec.n} matrix product, ${spec.runs} runs`;
    case 'training':
      return `training ${spec.arch} on ${spec.input}, ${spec.runs} runs of ${spec.steps} steps`;
    default:
      return `memory over ${spec.candidates} trained candidates`;
  }
}
