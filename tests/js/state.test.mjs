// The URL state table, read and written without a browser.
import assert from 'node:assert/strict';
import test from 'node:test';

import {
  OPS,
  SETTINGS,
  defaults,
  formatHash,
  parseHash,
  searchConfig,
} from '../../www/state.js';

test('an empty hash gives the defaults and no notice', () => {
  const { values, notices } = parseHash('');

  assert.deepEqual(values, defaults());
  assert.deepEqual(notices, []);
});

test('written defaults read back unchanged and without notices', () => {
  const hash = formatHash(defaults());

  const { values, notices } = parseHash(hash);

  assert.match(hash, /^#v=1&seed=1&/);
  assert.deepEqual(values, defaults());
  assert.deepEqual(notices, []);
});

test('every setting survives a round trip through the hash', () => {
  const changed = {
    ...defaults(),
    seed: 4294967295,
    backend: 'cpu',
    ops: ['conv3x3', 'identity'],
    depth: 12,
    arch: 'identity,dw_conv5x5',
    lr: 0.00125,
    mut: 0,
    strategy: 'regularized',
  };

  const { values, notices } = parseHash(formatHash(changed));

  assert.deepEqual(values, changed);
  assert.deepEqual(notices, []);
});

test('architectures keep their commas readable in the hash', () => {
  assert.match(formatHash(defaults()), /arch=conv3x3,max_pool3x3,conv5x5,identity&/);
});

test('a value that is not a number is named and replaced by its default', () => {
  const { values, notices } = parseHash('#lr=abc&epochs=2');

  assert.equal(values.lr, 0.005);
  assert.equal(values.epochs, 2);
  assert.equal(notices.length, 1);
  assert.equal(notices[0].key, 'lr');
  assert.match(notices[0].message, /^lr=abc \(learning rate\) is not a number; using 0\.005$/);
});

test('whole numbers reject fractions and out-of-range values, keeping the rest', () => {
  const { values, notices } = parseHash('#candidates=abc&pop=0&gens=2.5&width=129&depth=3');

  assert.equal(values.candidates, SETTINGS.candidates.def);
  assert.equal(values.pop, SETTINGS.pop.def);
  assert.equal(values.gens, SETTINGS.gens.def);
  assert.equal(values.width, SETTINGS.width.def);
  assert.equal(values.depth, 3);
  assert.deepEqual(
    notices.map((notice) => notice.key),
    ['candidates', 'pop', 'gens', 'width'],
  );
  assert.match(notices[1].message, /pop=0 \(population\) is below the minimum 2; using 6/);
  assert.match(notices[3].message, /above the maximum 128/);
});

test('an architecture with an empty item is rejected naming its position', () => {
  const { values, notices } = parseHash('#arch=conv3x3,,identity');

  assert.equal(values.arch, SETTINGS.arch.def);
  assert.match(notices[0].message, /item 2 that is empty/);
});

test('an unknown operation in an architecture is named', () => {
  const { notices } = parseHash('#arch2=conv3x3,conv7x7');

  assert.match(notices[0].message, /item 2 that "conv7x7" is not an operation/);
});

test('enabled operations must name known ops and keep at least one', () => {
  assert.deepEqual(parseHash('#ops=identity,conv3x3').values.ops, ['conv3x3', 'identity']);
  assert.match(parseHash('#ops=').notices[0].message, /at least one/);
  assert.match(parseHash('#ops=conv3x3,sep9').notices[0].message, /unknown operation "sep9"/);
  assert.deepEqual(parseHash('#ops=sep9').values.ops, OPS);
});

test('unknown keys and other versions are reported, not fatal', () => {
  const { values, notices } = parseHash('#v=2&colour=red&seed=7');

  assert.equal(values.seed, 7);
  assert.deepEqual(notices.map((notice) => notice.key), ['v', 'colour']);
});

test('a search config carries the engine field names', () => {
  const config = searchConfig(defaults(), 'regularized');

  assert.deepEqual(config, {
    strategy: 'regularized',
    seed: 1,
    dataset: 'digits',
    depth: 4,
    width: 32,
    ops: [...OPS],
    epochs: 4,
    batch_size: 32,
    learning_rate: 0.005,
    candidates: 10,
    population: 6,
    generations: 4,
    mutation_prob: 0.2,
    tournament: 3,
  });
});
