// Properties of the URL state over many random inputs: every valid state
// survives a round trip, and no hash, however garbled, breaks parseHash.
// A fixed seed makes each run test the same inputs; a failure prints the
// input to paste into a unit test.
import assert from 'node:assert/strict';
import test from 'node:test';

import {
  MAX_DEPTH,
  OPS,
  SETTINGS,
  checkValue,
  defaults,
  formatHash,
  formatValue,
  parseHash,
} from '../../www/state.js';

/** mulberry32: a small seeded PRNG with floats in [0, 1). */
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (random, list) => list[Math.floor(random() * list.length)];
const between = (random, low, high) => low + Math.floor(random() * (high - low + 1));

/** A random subset of `choices`, kept in their order. */
function subset(random, choices) {
  return choices.filter(() => random() < 0.5);
}

/** A random float in the range of `spec`: an edge, a round value or any. */
function randomFloat(random, spec) {
  const { min, max } = spec;
  const kind = random();
  if (kind < 0.1) return min;
  if (kind < 0.2) return max;
  if (kind < 0.3) return Math.min(Math.max(pick(random, [1e-5, 1e-4, 0.001, 0.1, 0.5]), min), max);
  if (kind < 0.6 || min === 0) return min + random() * (max - min);
  return min * (max / min) ** random(); // log-uniform: small rates as often as large ones
}

/** A random valid value of setting `key`. */
function randomValue(random, key) {
  const spec = SETTINGS[key];
  switch (spec.type) {
    case 'int':
      if (random() < 0.2) return pick(random, [spec.min, spec.max]);
      return between(random, spec.min, spec.max);
    case 'float':
      return randomFloat(random, spec);
    case 'choice':
      return pick(random, spec.choices);
    case 'ops': {
      const ops = subset(random, OPS);
      return ops.length > 0 ? ops : [pick(random, OPS)];
    }
    case 'names':
      return subset(random, spec.choices);
    case 'arch': {
      const depth = between(random, 1, MAX_DEPTH);
      return Array.from({ length: depth }, () => pick(random, OPS)).join(',');
    }
    default:
      throw new Error(`no generator for type ${spec.type}`);
  }
}

function randomState(random) {
  const values = {};
  for (const key of Object.keys(SETTINGS)) values[key] = randomValue(random, key);
  return values;
}

function assertRoundTrip(state) {
  const hash = formatHash(state);
  const { values, notices } = parseHash(hash);
  assert.deepEqual(notices, [], hash);
  assert.deepEqual(values, state, hash);
}

test('decode(encode(s)) is s for random valid states', () => {
  const random = prng(5);
  for (let i = 0; i < 2000; i += 1) assertRoundTrip(randomState(random));
});

test('decode(encode(s)) is s for every choice and every range edge', () => {
  const random = prng(6);
  for (const [key, spec] of Object.entries(SETTINGS)) {
    const ranged = spec.type === 'int' || spec.type === 'float';
    const edges = spec.choices ?? (ranged ? [spec.min, spec.max] : []);
    for (const edge of edges) {
      const value = spec.type === 'names' ? [edge] : edge;
      assertRoundTrip({ ...randomState(random), [key]: value });
    }
  }
  assertRoundTrip({ ...randomState(random), lr: 1e-5, mut: 0, d_alr: 0.00012345678901234 });
});

const HEX = '0123456789abcdefABCDEFxz%';
const KEYS = [
  ...Object.keys(SETTINGS), 'v', 'foo', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty',
];
const VALUES = [
  '', '0', '-0', '1', '-1', '1e-5', '1e400', '-1e400', '9'.repeat(400), '0x10', 'NaN', 'Infinity',
  '1.5', '.5', '5.', '+3', ' 7 ', 'abc', ',', ',,', 'conv3x3,,identity', 'conv7x7%2Cidentity',
  'conv3x3%252Cidentity', 'identity,'.repeat(20), 'seed,evolution', 'x'.repeat(3000), '😀', '\uD800',
  '%', '%2', '%zz', '%E2%82', '%F0%9F%98%80', '%00', '+', '=', '#', '&',
];

/** A random character: mostly ASCII, some control, non-ASCII and lone surrogates. */
function randomChar(random) {
  const kind = random();
  if (kind < 0.6) return String.fromCharCode(between(random, 0x20, 0x7e));
  if (kind < 0.7) return String.fromCharCode(between(random, 0, 0x1f));
  if (kind < 0.8) return pick(random, '%&=#,+');
  if (kind < 0.9) return String.fromCharCode(between(random, 0xa0, 0xffff));
  return String.fromCodePoint(between(random, 0x10000, 0x10ffff));
}

function randomText(random, length) {
  let text = '';
  for (let i = 0; i < length; i += 1) {
    text += random() < 0.15 ? `%${pick(random, HEX)}${pick(random, HEX)}` : randomChar(random);
  }
  return text;
}

/** One piece of a hash: a known or garbled key, then a known or garbled value. */
function randomPiece(random) {
  const key = random() < 0.7 ? pick(random, KEYS) : randomText(random, between(random, 0, 8));
  if (random() < 0.05) return key;
  const value = random() < 0.6 ? pick(random, VALUES) : randomText(random, between(random, 0, 20));
  return `${key}=${value}`;
}

function randomHash(random) {
  if (random() < 0.2) return randomText(random, between(random, 0, 60));
  const pieces = Array.from({ length: between(random, 0, 8) }, () => randomPiece(random));
  return `${random() < 0.8 ? '#' : ''}${pieces.join(random() < 0.9 ? '&' : '&&')}`;
}

const DEFAULT_TEXTS = Object.fromEntries(
  Object.entries(defaults()).map(([key, value]) => [key, formatValue(key, value)]),
);

/**
 * What is wrong with a parse result, or null: every value must be valid and
 * in its one text form, every notice a pair of strings. Plain checks rather
 * than deepEqual, and none for defaults, keep 10⁵ runs fast.
 */
function insanity({ values, notices }) {
  const keys = Object.keys(values);
  if (keys.join() !== Object.keys(SETTINGS).join()) return `keys ${keys.join()}`;
  for (const [key, value] of Object.entries(values)) {
    const text = formatValue(key, value);
    if (text === DEFAULT_TEXTS[key] && typeof value === typeof SETTINGS[key].def) continue;
    const checked = checkValue(key, text);
    if (!('value' in checked) || formatValue(key, checked.value) !== text) return `${key}=${text}`;
    if (typeof value !== typeof SETTINGS[key].def) return `${key} is a ${typeof value}`;
  }
  for (const { key, message } of notices) {
    if (typeof key !== 'string' || typeof message !== 'string') return `notice ${key}: ${message}`;
    if (message.length === 0 || message.length > 2000) return `notice of length ${message.length}`;
  }
  return null;
}

test('100,000 random and garbled hashes never throw and always give valid values', () => {
  const random = prng(7);
  for (let i = 0; i < 100_000; i += 1) {
    const hash = randomHash(random);
    const problem = insanity(parseHash(hash));
    if (problem) assert.fail(`${problem} from ${JSON.stringify(hash)}`);
  }
});
