// A search run as a file: the versioned JSON document that exports and
// imports a run, and the CSV of its evaluations. Reading a document checks
// every field and says what is wrong. No DOM here.
import { OPS } from './state.js';
import { formatAccuracy } from './ui.js';

/** The `format` and `version` fields of a run document. */
export const RUN_FORMAT = 'nasplay-run';
export const RUN_VERSION = 1;

/** The largest run file read: far above a 1,000-candidate run (about 1 MB). */
export const MAX_RUN_BYTES = 20 * 1024 * 1024;

/** The sections whose runs are kept and exported: their names and strategies. */
export const RUN_SECTIONS = Object.freeze({
  random: { title: 'Random search (section 3)', strategies: ['random'] },
  evolution: { title: 'Evolution (section 4)', strategies: ['evolution', 'regularized'] },
  predictor: { title: 'Predictor-based search (section 9)', strategies: ['predictor'] },
});

/**
 * How a run ended; a saved run still "running" was interrupted by a reload,
 * a "lost" one by its GPU device.
 */
const OUTCOMES = ['done', 'stopped', 'error', 'interrupted', 'lost'];

/** The CSV columns, one per evaluation field, in this order. */
export const CSV_COLUMNS = Object.freeze([
  'index', 'generation', 'arch', 'status', 'reason', 'accuracy', 'final_loss', 'params',
  'flops', 'latency_ms', 'train_ms', 'backend', 'seed', 'cached', 'restored', 'zero_cost',
  'guess_round', 'guess_mean', 'guess_spread',
]);

/** The value of CSV column `column` for `evaluation`: the guess is spread over three columns. */
function csvValue(evaluation, column) {
  const guess = /^guess_(round|mean|spread)$/.exec(column);
  return guess ? evaluation.guess?.[guess[1]] : evaluation[column];
}

/** Strategies whose budget is a number of candidates, not a population × generations. */
const BY_CANDIDATES = ['random', 'predictor'];

/** Candidates a search with the engine config `config` evaluates. */
export function plannedEvaluations(config) {
  return BY_CANDIDATES.includes(config.strategy)
    ? config.candidates
    : config.population * config.generations;
}

/** The most accurate successful evaluation, or null. */
export function bestEvaluation(evaluations) {
  return evaluations
    .filter((evaluation) => evaluation.status === 'ok' && Number.isFinite(evaluation.accuracy))
    .reduce((best, e) => (best === null || e.accuracy > best.accuracy ? e : best), null);
}

/**
 * The document of `run`: `{ section, config, shape, planned, outcome,
 * message, evaluations, generations }` under the format name and version.
 */
export function runDocument(run, exportedAt = new Date()) {
  return {
    format: RUN_FORMAT,
    version: RUN_VERSION,
    section: run.section,
    exported_at: exportedAt.toISOString(),
    outcome: run.outcome,
    message: run.message ?? null,
    seed: run.config.seed,
    planned: run.planned,
    config: run.config,
    shape: run.shape,
    evaluations: run.evaluations,
    generations: run.generations,
  };
}

/**
 * One CSV field: empty for null, quoted when it holds a comma, a quote or a
 * line break (quotes doubled). Text that a spreadsheet would run as a
 * formula (starting with =, +, -, @ or a tab) is prefixed with a quote mark.
 */
export function csvField(value) {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header row and one row per evaluation, lines ended by CRLF (RFC 4180). */
export function runCsv(evaluations) {
  const rows = [CSV_COLUMNS.join(',')];
  for (const evaluation of evaluations) {
    rows.push(CSV_COLUMNS.map((column) => csvField(csvValue(evaluation, column))).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}

/**
 * A one-line account of a run that is shown rather than run here: `origin`
 * says where it comes from ("Restored from this browser"), `noun` names what
 * it trains.
 */
export function runSummary(run, noun, origin) {
  const count = run.evaluations.length;
  const of = `${count} of ${run.planned} ${noun}s`;
  const how = {
    done: `done, ${count} ${noun}${count === 1 ? '' : 's'}`,
    stopped: `stopped after ${of}`,
    error: `stopped by an error after ${of}${run.message ? ` (${run.message})` : ''}`,
    interrupted: `interrupted after ${of} (the page was closed or reloaded)`,
    lost: `interrupted after ${of}: ${run.message ?? 'the GPU device was lost'}`,
  }[run.outcome];
  const best = bestEvaluation(run.evaluations);
  const bestText = best ? `; best accuracy ${formatAccuracy(best.accuracy)} (${best.arch})` : '';
  return `${origin}: ${how}${bestText}.`;
}

/** A name made only of letters, digits, dashes and underscores. */
export function safeFileName(name) {
  return name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'nasplay';
}

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const isCount = (value) => Number.isSafeInteger(value) && value >= 0;
const isOrdinal = (value) => isCount(value) && value >= 1;
const isNumberOrNull = (value) => value === null || Number.isFinite(value);
const isBoolean = (value) => typeof value === 'boolean';
const isText = (value) => typeof value === 'string';
const isTextOrNull = (value) => value === null || isText(value);
const isGuess = (value) => isObject(value) && isOrdinal(value.round) &&
  Number.isFinite(value.mean) && Number.isFinite(value.spread);
const described = (value) => (value === undefined ? 'nothing' : JSON.stringify(value));
const choices = (values) => values.map((value) => `"${value}"`).join(' or ');

/** Throws when `check(value)` fails: "`what` must be `expected`, got …". */
function must(value, check, what, expected) {
  if (!check(value)) throw new Error(`${what} must be ${expected}, got ${described(value)}`);
  return value;
}

/** A chain architecture's text form, every item a known op; throws naming a bad item. */
function checkArch(text, what) {
  must(text, (value) => isText(value) && value.length <= 2000, what,
    'an architecture text such as "conv3x3,identity"');
  text.split(',').forEach((item, position) => {
    if (!OPS.includes(item)) {
      throw new Error(`${what} "${text}": item ${position + 1} "${item}" is not an op`);
    }
  });
  return text;
}

/**
 * The fields of a record as `[check, what it must be, value when absent]`;
 * a field without the third entry is required.
 */
const EVALUATION_FIELDS = Object.freeze({
  index: [isOrdinal, 'a whole number from 1'],
  reason: [isTextOrNull, 'text or null', null],
  final_loss: [isNumberOrNull, 'a number or null', null],
  params: [isCount, 'a whole number'],
  flops: [isCount, 'a whole number'],
  train_ms: [isNumberOrNull, 'a number or null', null],
  latency_ms: [isNumberOrNull, 'a number or null', null],
  backend: [isText, 'text', ''],
  seed: [(seed) => Number.isFinite(seed) && seed >= 0, 'a number', 0],
  cached: [isBoolean, 'true or false', false],
  restored: [isBoolean, 'true or false', false],
  generation: [(g) => g === null || isOrdinal(g), 'a whole number from 1, or null', null],
  zero_cost: [isNumberOrNull, 'a number or null', null],
  guess: [(g) => g === null || isGuess(g), 'null or {round, mean, spread} with numbers', null],
});

const GENERATION_FIELDS = Object.freeze({
  generation: [isOrdinal, 'a whole number from 1'],
  best: [isNumberOrNull, 'a number or null'],
  mean: [isNumberOrNull, 'a number or null'],
  diversity: [isNumberOrNull, 'a number or null'],
  failed: [isCount, 'a whole number', 0],
  crossover_skips: [isCount, 'a whole number', 0],
});

/** The fields of `record` that `fields` lists, checked; `what` names the record. */
function checkFields(record, fields, what) {
  must(record, isObject, what, 'an object');
  const clean = {};
  for (const [key, [check, expected, absent]] of Object.entries(fields)) {
    const value = record[key] ?? absent;
    clean[key] = must(value, check, `${what}: ${key}`, expected);
  }
  return clean;
}

/** A clean copy of evaluation number `n` (1-based) of a document. */
function checkEvaluation(evaluation, n) {
  const what = `evaluation ${n}`;
  const clean = checkFields(evaluation, EVALUATION_FIELDS, what);
  const arch = checkArch(evaluation.arch, `${what}: arch`);
  const status = must(evaluation.status, (s) => s === 'ok' || s === 'failed', `${what}: status`,
    choices(['ok', 'failed']));
  // A failed candidate's accuracy is NaN in the engine, null in JSON.
  const accuracy = status === 'ok'
    ? must(evaluation.accuracy, (a) => Number.isFinite(a) && a >= 0 && a <= 1,
      `${what}: accuracy`, 'a number from 0 to 1')
    : must(evaluation.accuracy ?? null, isNumberOrNull, `${what}: accuracy`, 'a number or null');
  return { ...clean, arch, status, accuracy };
}

/** The config of a `section` run, checked where the page relies on it. */
function checkConfig(config, section) {
  must(config, isObject, 'config', 'an object of search settings');
  const { strategies } = RUN_SECTIONS[section];
  must(config.strategy, (s) => strategies.includes(s), 'config.strategy', choices(strategies));
  must(config.seed, isCount, 'config.seed', 'a whole number');
  const sizes = {
    random: ['candidates'],
    predictor: ['candidates', 'initial_candidates', 'picks_per_round', 'pool_size'],
  }[config.strategy] ?? ['population', 'generations'];
  for (const key of sizes) {
    must(config[key], isOrdinal, `config.${key}`, 'a whole number from 1');
  }
  return config;
}

/** The shape of the networks of a run, checked and copied. */
function checkShape(shape) {
  must(shape, isObject, 'shape', 'an object {in_channels, classes, width, input_size}');
  const clean = {};
  for (const key of ['in_channels', 'classes', 'width', 'input_size']) {
    clean[key] = must(shape[key], isOrdinal, `shape.${key}`, 'a whole number from 1');
  }
  return clean;
}

/** What to do about a file that is no run at all. */
const CHOOSE = 'choose a file saved with the Run: JSON button';

/** The fields a run document must have, beside format and version. */
const REQUIRED = ['section', 'outcome', 'planned', 'config', 'shape', 'evaluations', 'generations'];

/**
 * Reads the text of the file `fileName` as a run document. Returns the run
 * `{ section, config, shape, planned, outcome, message, evaluations,
 * generations }`, every evaluation a clean copy; throws an Error whose
 * message names the file and says what is wrong: not JSON, another kind of
 * file, another version, a missing field or a bad value (and where).
 */
export function readRunDocument(text, fileName) {
  const name = `“${fileName}”`;
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name} is not a JSON file (${error.message}); ${CHOOSE}`);
  }
  if (!isObject(doc) || doc.format === undefined) {
    throw new Error(`${name} is JSON but not a nasplay run: it has no "format": "${RUN_FORMAT}"`);
  }
  if (doc.format === 'nasplay-architecture') {
    throw new Error(`${name} is an exported architecture, not a run; ${CHOOSE}`);
  }
  if (doc.format !== RUN_FORMAT) {
    throw new Error(`${name} is not a nasplay run: its format is ${described(doc.format)}, ` +
      `expected "${RUN_FORMAT}"`);
  }
  if (doc.version !== RUN_VERSION) {
    throw new Error(`${name} is a run file of version ${described(doc.version)}; ` +
      `this page reads version ${RUN_VERSION}`);
  }
  const missing = REQUIRED.filter((key) => !(key in doc));
  if (missing.length > 0) {
    throw new Error(`${name} is not a complete run: it lacks ${missing.join(', ')}`);
  }
  try {
    const section = must(doc.section, (s) => Object.hasOwn(RUN_SECTIONS, s), 'section',
      choices(Object.keys(RUN_SECTIONS)));
    const evaluations = must(doc.evaluations, Array.isArray, 'evaluations', 'a list');
    const generations = must(doc.generations, Array.isArray, 'generations', 'a list');
    return {
      section,
      config: checkConfig(doc.config, section),
      shape: checkShape(doc.shape),
      planned: must(doc.planned, (p) => isCount(p) && p >= evaluations.length, 'planned',
        `a whole number of at least ${evaluations.length} (the evaluations)`),
      outcome: must(doc.outcome, (o) => OUTCOMES.includes(o), 'outcome', choices(OUTCOMES)),
      message: must(doc.message ?? null, isTextOrNull, 'message', 'text or null'),
      evaluations: evaluations.map((record, i) => checkEvaluation(record, i + 1)),
      generations: generations.map((record, i) =>
        checkFields(record, GENERATION_FIELDS, `generation record ${i + 1}`)),
    };
  } catch (error) {
    throw new Error(`${name} is not a valid run: ${error.message}`);
  }
}
