// The page's configuration: one declarative table of settings that drives the
// controls' ranges, the URL hash (reading and writing) and the search config.
// No DOM here, so Node can import and test it.

/** Version of the hash format written by this page (`v=` in the hash). */
export const SCHEMA_VERSION = 1;

/** The search space's primitives, in the engine's order. */
export const OPS = Object.freeze([
  'conv3x3',
  'conv5x5',
  'dw_conv3x3',
  'dw_conv5x5',
  'max_pool3x3',
  'avg_pool3x3',
  'identity',
]);

/** The most layers an architecture may have on this page (the depth range). */
export const MAX_DEPTH = 12;

/**
 * Every setting the page keeps, keyed by its name in the URL hash.
 * `type` is one of int, float, choice, ops (a set of op names) or arch
 * (an architecture's text form). Numbers carry inclusive ranges.
 */
export const SETTINGS = Object.freeze({
  seed: { type: 'int', def: 1, min: 0, max: 4294967295, label: 'seed' },
  backend: {
    type: 'choice',
    def: 'auto',
    choices: ['auto', 'webgpu', 'cpu'],
    label: 'backend',
  },
  ops: { type: 'ops', def: OPS, label: 'enabled operations' },
  depth: { type: 'int', def: 4, min: 1, max: MAX_DEPTH, label: 'depth' },
  width: { type: 'int', def: 32, min: 4, max: 128, label: 'width' },
  arch: {
    type: 'arch',
    def: 'conv3x3,max_pool3x3,conv5x5,identity',
    label: 'architecture',
  },
  arch2: {
    type: 'arch',
    def: 'dw_conv3x3,avg_pool3x3,dw_conv5x5,conv3x3',
    label: 'second architecture',
  },
  epochs: { type: 'int', def: 4, min: 1, max: 50, label: 'epochs' },
  batch: { type: 'int', def: 32, min: 1, max: 512, label: 'batch size' },
  lr: { type: 'float', def: 0.005, min: 0.00001, max: 1, label: 'learning rate' },
  candidates: { type: 'int', def: 10, min: 1, max: 200, label: 'candidates' },
  pop: { type: 'int', def: 6, min: 2, max: 50, label: 'population' },
  gens: { type: 'int', def: 4, min: 1, max: 50, label: 'generations' },
  mut: { type: 'float', def: 0.2, min: 0, max: 1, label: 'mutation probability' },
  tournament: { type: 'int', def: 3, min: 1, max: 50, label: 'tournament size' },
  strategy: {
    type: 'choice',
    def: 'evolution',
    choices: ['evolution', 'regularized'],
    label: 'evolution strategy',
  },
  d_epochs: { type: 'int', def: 6, min: 1, max: 50, label: 'DARTS search epochs' },
  d_nodes: { type: 'int', def: 4, min: 2, max: 5, label: 'DARTS cell nodes' },
  d_width: { type: 'int', def: 8, min: 4, max: 32, label: 'DARTS width' },
  d_batch: { type: 'int', def: 64, min: 8, max: 256, label: 'DARTS batch size' },
  d_lr: { type: 'float', def: 0.005, min: 0.00001, max: 1, label: 'DARTS weight learning rate' },
  d_alr: { type: 'float', def: 0.01, min: 0.00001, max: 1, label: 'DARTS α learning rate' },
  d_idcap: {
    type: 'choice',
    def: 'off',
    choices: ['off', '0', '1', '2', '3'],
    label: 'DARTS identity cap',
  },
  d_retrain: { type: 'int', def: 4, min: 1, max: 50, label: 'DARTS retrain epochs' },
});

/** The default value of every setting. */
export function defaults() {
  const values = {};
  for (const [key, spec] of Object.entries(SETTINGS)) {
    values[key] = spec.type === 'ops' ? [...spec.def] : spec.def;
  }
  return values;
}

/**
 * Checks one raw text value of setting `key`.
 * Returns `{ value }` when it is valid, or `{ problem }`: a phrase saying
 * what is wrong, to be completed by the caller ("is not a number").
 */
export function checkValue(key, raw) {
  const spec = SETTINGS[key];
  const text = String(raw).trim();
  switch (spec.type) {
    case 'int':
    case 'float':
      return checkNumber(spec, text);
    case 'choice':
      return spec.choices.includes(text)
        ? { value: text }
        : { problem: `is not one of ${spec.choices.join(', ')}` };
    case 'ops':
      return checkOps(text);
    case 'arch':
      return checkArch(text);
    default:
      throw new Error(`setting ${key} has unknown type ${spec.type}`);
  }
}

function checkNumber(spec, text) {
  const pattern = spec.type === 'int' ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  if (text === '' || !pattern.test(text)) {
    return { problem: spec.type === 'int' ? 'is not a whole number' : 'is not a number' };
  }
  const value = Number(text);
  if (value < spec.min) return { problem: `is below the minimum ${spec.min}` };
  if (value > spec.max) return { problem: `is above the maximum ${spec.max}` };
  return { value };
}

function checkOps(text) {
  const names = text === '' ? [] : text.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !OPS.includes(name));
  if (unknown.length > 0) return { problem: `names unknown operation "${unknown[0]}"` };
  if (names.length === 0) return { problem: 'enables no operation (at least one is needed)' };
  return { value: OPS.filter((op) => names.includes(op)) };
}

function checkArch(text) {
  const items = text.split(',');
  for (const [i, item] of items.entries()) {
    const name = item.trim();
    if (!OPS.includes(name)) {
      const what = name === '' ? 'is empty' : `"${name}" is not an operation`;
      return { problem: `has item ${i + 1} that ${what}` };
    }
  }
  if (items.length > MAX_DEPTH) {
    return { problem: `has ${items.length} layers, more than the maximum ${MAX_DEPTH}` };
  }
  return { value: items.map((item) => item.trim()).join(',') };
}

/** The text form of a value as written in the hash and shown in inputs. */
export function formatValue(key, value) {
  return SETTINGS[key].type === 'ops' ? value.join(',') : String(value);
}

/**
 * Reads a URL hash (with or without its leading `#`). Never fails: each
 * invalid or unknown entry becomes a notice and invalid values keep their
 * defaults. Returns `{ values, notices }`, notices as `{ key, message }`.
 */
export function parseHash(hash) {
  const values = defaults();
  const notices = [];
  const params = new URLSearchParams(hash.replace(/^#/, ''));

  for (const [key, raw] of params) {
    if (key === 'v') {
      if (raw !== String(SCHEMA_VERSION)) {
        notices.push({
          key,
          message: `v=${raw}: this page reads links of version ${SCHEMA_VERSION}; ` +
            'settings it does not know were ignored',
        });
      }
      continue;
    }
    const spec = SETTINGS[key];
    if (!spec) {
      notices.push({ key, message: `${key}=${raw} is not a setting of this page; ignored` });
      continue;
    }
    const checked = checkValue(key, raw);
    if ('value' in checked) {
      values[key] = checked.value;
    } else {
      values[key] = SETTINGS[key].type === 'ops' ? [...spec.def] : spec.def;
      notices.push({
        key,
        message: `${key}=${raw} (${spec.label}) ${checked.problem}; ` +
          `using ${formatValue(key, spec.def)}`,
      });
    }
  }
  return { values, notices };
}

/** Writes every setting into a hash, `#v=1&seed=...`, keeping commas readable. */
export function formatHash(values) {
  const parts = [`v=${SCHEMA_VERSION}`];
  for (const key of Object.keys(SETTINGS)) {
    const text = encodeURIComponent(formatValue(key, values[key])).replace(/%2C/g, ',');
    parts.push(`${key}=${text}`);
  }
  return `#${parts.join('&')}`;
}

/**
 * The engine's search configuration for a run of `strategy`
 * ("random", "evolution" or "regularized") from the page's settings.
 */
export function searchConfig(values, strategy) {
  return {
    strategy,
    seed: values.seed,
    dataset: 'digits',
    depth: values.depth,
    width: values.width,
    ops: [...values.ops],
    epochs: values.epochs,
    batch_size: values.batch,
    learning_rate: values.lr,
    candidates: values.candidates,
    population: values.pop,
    generations: values.gens,
    mutation_prob: values.mut,
    tournament: values.tournament,
  };
}
