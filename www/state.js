// The page's configuration: one declarative table of settings that drives the
// controls' ranges, the URL hash (reading and writing) and the search config.
// No DOM here, so Node can import and test it.
//
// Reading a hash never fails. A number out of range is clamped to it, any
// other invalid value keeps its default, and each change, unknown key and
// repeated key becomes a notice the page shows. Percent-escapes are decoded
// exactly once (by URLSearchParams), so `%252C` reads as the text `%2C`.

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

/** The page's sections by element id, in page order: what `hide=` may name besides settings. */
export const SECTIONS = Object.freeze([
  'space',
  'representation',
  'random',
  'evolution',
  'darts',
  'multi-objective',
  'analysis',
  'hardware',
  'predictor',
  'summary',
]);

/** Longest piece of a link quoted in a notice; longer ones end in "…". */
const QUOTE_LENGTH = 40;

/** Types whose value is a list of names, written comma-separated. */
const LIST_TYPES = ['ops', 'arch', 'names'];

/** The settings behind the page's controls; `SETTINGS` adds the embed option to them. */
const PAGE_SETTINGS = {
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
  topn: { type: 'int', def: 5, min: 1, max: 200, label: 'top N' },
  select: {
    type: 'choice',
    def: 'accuracy',
    choices: ['accuracy', 'pareto', 'reward'],
    label: 'parent selection',
  },
  target: { type: 'float', def: 1, min: 0.001, max: 10000, label: 'latency target (ms)' },
  hw_device: {
    type: 'choice',
    def: 'measured',
    choices: ['measured', 'this device', 'mobile', 'gpu'],
    label: 'device of the latency ranking',
  },
  hw_target: { type: 'float', def: 1, min: 0.001, max: 10000, label: 'latency target of the ranking (ms)' },
  nb_device: {
    type: 'choice',
    def: 'pixel3',
    choices: ['raspi4', 'pixel3', 'eyeriss', 'fpga'],
    label: 'NAS-Bench-201 device',
  },
  nb_target: { type: 'float', def: 10, min: 0.001, max: 10000, label: 'NAS-Bench-201 latency target (ms)' },
  dataset: {
    type: 'choice',
    def: 'digits',
    choices: ['digits', 'mnist', 'fashion'],
    local: {
      upload: 'names files of your own, which a link cannot carry (choose them again under Dataset)',
    },
    label: 'dataset',
  },
  n: { type: 'int', def: 2000, min: 50, max: 100000, label: 'images used' },
  race_seeds: { type: 'int', def: 20, min: 1, max: 200, label: 'race seeds' },
  race_queries: { type: 'int', def: 300, min: 1, max: 2500, label: 'race queries per seed' },
  race_pop: { type: 'int', def: 20, min: 1, max: 500, label: 'race evolution population' },
  race_sample: { type: 'int', def: 5, min: 1, max: 100, label: 'race evolution sample' },
  p_init: { type: 'int', def: 4, min: 1, max: 200, label: 'predictor initial random candidates' },
  p_picks: { type: 'int', def: 2, min: 1, max: 50, label: 'predictor candidates trained per round' },
  p_pool: { type: 'int', def: 100, min: 2, max: 2000, label: 'predictor pool guessed per round' },
  p_kappa: { type: 'float', def: 1, min: 0, max: 10, label: 'predictor exploration κ' },
  pr_seeds: { type: 'int', def: 20, min: 1, max: 100, label: 'predictor race seeds' },
  pr_queries: { type: 'int', def: 300, min: 10, max: 1000, label: 'predictor race queries per seed' },
  pr_init: { type: 'int', def: 20, min: 1, max: 500, label: 'predictor race initial random cells' },
  pr_round: { type: 'int', def: 10, min: 1, max: 100, label: 'predictor race cells per round' },
  pr_pool: { type: 'int', def: 300, min: 10, max: 5000, label: 'predictor race pool per round' },
  pr_kappa: { type: 'float', def: 0.5, min: 0, max: 10, label: 'predictor race exploration κ' },
};

/**
 * Every setting the page keeps, keyed by its name in the URL hash.
 * `type` is one of int, float, choice, ops (a set of op names), arch (an
 * architecture's text form) or names (a set of `choices`). Numbers carry
 * inclusive ranges. A choice's `local` values can be chosen in the page but
 * not read from a link; each maps to the reason a notice gives. `hide` is the embed option (classroom mode): the
 * sections and controls a shared link hides; their settings still apply.
 */
export const SETTINGS = Object.freeze({
  ...PAGE_SETTINGS,
  hide: {
    type: 'names',
    def: [],
    choices: [...SECTIONS, ...Object.keys(PAGE_SETTINGS)],
    noun: 'a section or setting',
    label: 'hidden sections and controls',
  },
});

/**
 * Hash migrations, so that links keep working when the format changes:
 * `MIGRATIONS[n]` rewrites the entries (a Map from key to raw text) of a
 * version-n link into version n + 1, e.g. renaming a key or converting a
 * unit. A link of any older version is read by applying every step from its
 * version up to `SCHEMA_VERSION`. Version 1 is the first, so there is none
 * yet; version 2 would add `1: (entries) => ...` and bump `SCHEMA_VERSION`.
 */
export const MIGRATIONS = Object.freeze({});

/** The entries of a version-`version` link, rewritten into version `target`. */
export function upgrade(entries, version, migrations = MIGRATIONS, target = SCHEMA_VERSION) {
  let upgraded = entries;
  for (let step = version; step < target; step += 1) upgraded = migrations[step](upgraded);
  return upgraded;
}

/** The default value of setting `key`, a fresh copy for lists. */
function defaultOf(key) {
  const { def } = SETTINGS[key];
  return Array.isArray(def) ? [...def] : def;
}

/** The default value of every setting. */
export function defaults() {
  const values = {};
  for (const key of Object.keys(SETTINGS)) values[key] = defaultOf(key);
  return values;
}

/**
 * Checks one raw text value of setting `key`.
 * Returns `{ value }` when it is valid, or `{ problem }`: a phrase saying
 * what is wrong, to be completed by the caller ("is not a number"). A
 * number out of range also carries `nearest`, the closest valid value.
 */
export function checkValue(key, raw) {
  const spec = SETTINGS[key];
  const text = String(raw).trim();
  switch (spec.type) {
    case 'int':
    case 'float':
      return checkNumber(spec, text);
    case 'choice':
      if (Object.hasOwn(spec.local ?? {}, text)) return { problem: spec.local[text] };
      return spec.choices.includes(text)
        ? { value: text }
        : { problem: `is not one of ${spec.choices.join(', ')}` };
    case 'ops':
      return checkSet(text, OPS, 'an operation', 'enables no operation (at least one is needed)');
    case 'names':
      return checkSet(text, spec.choices, spec.noun, null);
    case 'arch':
      return checkArch(text);
    default:
      throw new Error(`setting ${key} has unknown type ${spec.type}`);
  }
}

/** `checkValue` for a value chosen in the page, where a choice may also take its `local` values. */
export function checkPageValue(key, raw) {
  const text = String(raw).trim();
  return Object.hasOwn(SETTINGS[key].local ?? {}, text) ? { value: text } : checkValue(key, raw);
}

// Unambiguous patterns: no two quantifiers compete for the same digits, so
// a long run of digits is matched in linear time.
const INT_PATTERN = /^[+-]?\d+$/;
const FLOAT_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

function checkNumber(spec, text) {
  const pattern = spec.type === 'int' ? INT_PATTERN : FLOAT_PATTERN;
  if (!pattern.test(text)) {
    return { problem: spec.type === 'int' ? 'is not a whole number' : 'is not a number' };
  }
  const value = Number(text) + 0; // + 0 turns -0 into 0, which writes and reads back alike
  if (value < spec.min) return { problem: `is below the minimum ${spec.min}`, nearest: spec.min };
  if (value > spec.max) return { problem: `is above the maximum ${spec.max}`, nearest: spec.max };
  return { value };
}

/**
 * Splits a comma list into trimmed items, each one of `choices`. Returns
 * `{ items }` or `{ problem }` naming the first bad item by position.
 */
function readItems(text, choices, noun) {
  if (text === '') return { items: [] };
  const items = text.split(',').map((item) => item.trim());
  for (const [i, item] of items.entries()) {
    if (item === '') return { problem: `item ${i + 1} is empty` };
    if (!choices.includes(item)) {
      const known = choices.join(', ');
      return { problem: `item ${i + 1} "${quote(item)}" is not ${noun} (known: ${known})` };
    }
  }
  return { items };
}

/**
 * A set of names: kept in the order of `choices`, repeats dropped, so each
 * set has one text form. `emptyProblem` is null when the set may be empty.
 */
function checkSet(text, choices, noun, emptyProblem) {
  const read = readItems(text, choices, noun);
  if (read.problem) return read;
  if (read.items.length === 0 && emptyProblem) return { problem: emptyProblem };
  return { value: choices.filter((name) => read.items.includes(name)) };
}

function checkArch(text) {
  const read = readItems(text, OPS, 'an operation');
  if (read.problem) return read;
  if (read.items.length === 0) return { problem: 'has no layer (at least one is needed)' };
  if (read.items.length > MAX_DEPTH) {
    return { problem: `has ${read.items.length} layers, more than the maximum ${MAX_DEPTH}` };
  }
  return { value: read.items.join(',') };
}

/** The text form of a value as written in the hash and shown in inputs. */
export function formatValue(key, value) {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** A piece of a link as quoted in a notice: cut short, never mid-character. */
function quote(text) {
  if (text.length <= QUOTE_LENGTH) return text;
  return `${text.slice(0, QUOTE_LENGTH).replace(/[\uD800-\uDBFF]$/, '')}…`;
}

/** A value as named in a notice; an empty list reads "none". */
function shown(key, value) {
  return formatValue(key, value) || 'none';
}

/**
 * Reads setting `key` from its raw text: `{ value }`, plus `message` when
 * the value used is not the one given (clamped, or the default).
 */
function readSetting(key, raw) {
  const spec = SETTINGS[key];
  const checked = checkValue(key, raw);
  if ('value' in checked) return { value: checked.value };

  const value = 'nearest' in checked ? checked.nearest : defaultOf(key);
  const message = LIST_TYPES.includes(spec.type)
    ? `${key} ${checked.problem}; using the default ${spec.label}, ${shown(key, value)}`
    : `${key}=${quote(raw)} (${spec.label}) ${checked.problem}; using ${shown(key, value)}`;
  return { value, message };
}

/**
 * The hash's entries as a Map from key to raw text, decoded once. A key
 * given more than once keeps its last value, with a notice.
 */
function readEntries(hash, notices) {
  const entries = new Map();
  const counts = new Map();
  for (const [key, raw] of new URLSearchParams(hash.replace(/^#/, ''))) {
    entries.set(key, raw);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [key, count] of counts) {
    if (count > 1) {
      const message = `${quote(key) || '(no name)'} is given ${count} times; ` +
        `reading the last, ${quote(entries.get(key))}`;
      notices.push({ key, message });
    }
  }
  return entries;
}

/**
 * The schema version of a link from its `v` text. A link without `v` is
 * read as version 1, the first; a newer or malformed one is read as this
 * page's version, with a notice.
 */
function readVersion(raw, notices) {
  if (raw === undefined) return 1;
  const version = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (version >= 1 && version <= SCHEMA_VERSION) return version;
  const message = version > SCHEMA_VERSION
    ? `v=${quote(raw)}: this link is from a newer version of the page, which reads ` +
      `version ${SCHEMA_VERSION}; settings it does not know were ignored`
    : `v=${quote(raw)} is not a link version (this page writes ${SCHEMA_VERSION}); ` +
      `read as version ${SCHEMA_VERSION}`;
  notices.push({ key: 'v', message });
  return SCHEMA_VERSION;
}

function unknownMessage(key, raw) {
  return key === ''
    ? `an entry with no name (=${quote(raw)}) was ignored`
    : `${quote(key)}=${quote(raw)} is not a setting of this page; ignored`;
}

/**
 * Reads a URL hash (with or without its leading `#`). Never fails: each
 * invalid, repeated or unknown entry becomes a notice, and every value is
 * valid. Returns `{ values, notices }`, notices as `{ key, message }`.
 */
export function parseHash(hash) {
  const notices = [];
  const entries = readEntries(String(hash), notices);
  const version = readVersion(entries.get('v'), notices);
  entries.delete('v');

  const values = defaults();
  for (const [key, raw] of upgrade(entries, version)) {
    if (!Object.hasOwn(SETTINGS, key)) {
      notices.push({ key, message: unknownMessage(key, raw) });
      continue;
    }
    const read = readSetting(key, raw);
    values[key] = read.value;
    if (read.message) notices.push({ key, message: read.message });
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
 * ("random", "evolution", "regularized" or "predictor") from the page's
 * settings. The predictor's budget is `candidates`, as random search's, and
 * its initial random candidates are at most that many.
 */
export function searchConfig(values, strategy) {
  const config = chainConfig(values, strategy);
  if (strategy !== 'predictor') return config;
  return {
    ...config,
    initial_candidates: Math.min(values.p_init, values.candidates),
    picks_per_round: values.p_picks,
    pool_size: values.p_pool,
    kappa: values.p_kappa,
  };
}

/** The settings every chain search shares. */
function chainConfig(values, strategy) {
  return {
    strategy,
    seed: values.seed,
    dataset: values.dataset,
    limit: values.n,
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
    // Only evolution picks parents; the engine refuses another selection for the others.
    selection: ['evolution', 'regularized'].includes(strategy) ? values.select : 'accuracy',
    latency_target_ms: values.target,
  };
}

/** The engine's DARTS configuration from the page's settings. */
export function dartsConfig(values) {
  return {
    seed: values.seed,
    dataset: values.dataset,
    limit: values.n,
    ops: [...values.ops],
    nodes: values.d_nodes,
    width: values.d_width,
    epochs: values.d_epochs,
    batch_size: values.d_batch,
    weight_lr: values.d_lr,
    alpha_lr: values.d_alr,
    identity_cap: values.d_idcap === 'off' ? null : Number(values.d_idcap),
    retrain_epochs: values.d_retrain,
  };
}

/** The engine's NAS-Bench-201 race request (see `nb201_race`) from the page's settings. */
export function raceRequest(values) {
  return {
    seeds: values.race_seeds,
    queries: values.race_queries,
    population: values.race_pop,
    sample: values.race_sample,
    seed: values.seed,
  };
}

/**
 * The engine's three-way NAS-Bench-201 race request (see the worker's
 * `Nb201Race`) from the page's settings: evolution's population and sample
 * are the summary race's, and the predictor's pool holds at least the cells
 * it looks up per round.
 */
export function predictorRaceRequest(values) {
  return {
    seeds: values.pr_seeds,
    queries: values.pr_queries,
    population: values.race_pop,
    sample: values.race_sample,
    seed: values.seed,
    predictor: {
      initial: Math.min(values.pr_init, values.pr_queries),
      per_round: values.pr_round,
      pool: Math.max(values.pr_pool, values.pr_round),
      kappa: values.pr_kappa,
    },
  };
}
