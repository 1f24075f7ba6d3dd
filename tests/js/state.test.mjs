// The URL state table, read and written without a browser.
import assert from 'node:assert/strict';
import test from 'node:test';

import {
  MAX_DEPTH,
  MIGRATIONS,
  OPS,
  SCHEMA_VERSION,
  SECTIONS,
  SETTINGS,
  checkPageValue,
  defaults,
  formatHash,
  parseHash,
  searchConfig,
  upgrade,
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
    hide: ['evolution', 'seed'],
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

test('numbers out of range are clamped to it, naming the value given and used', () => {
  const { values, notices } = parseHash('#pop=0&width=129&lr=1e400&seed=99999999999999999999');

  assert.equal(values.pop, SETTINGS.pop.min);
  assert.equal(values.width, SETTINGS.width.max);
  assert.equal(values.lr, SETTINGS.lr.max);
  assert.equal(values.seed, SETTINGS.seed.max);
  assert.deepEqual(notices.map((notice) => notice.message), [
    'pop=0 (population) is below the minimum 2; using 2',
    'width=129 (width) is above the maximum 128; using 128',
    'lr=1e400 (learning rate) is above the maximum 1; using 1',
    'seed=99999999999999999999 (seed) is above the maximum 4294967295; using 4294967295',
  ]);
});

test('whole numbers reject fractions and words, keeping the rest', () => {
  const { values, notices } = parseHash('#candidates=abc&gens=2.5&seed=abc&depth=3');

  assert.equal(values.candidates, SETTINGS.candidates.def);
  assert.equal(values.gens, SETTINGS.gens.def);
  assert.equal(values.seed, SETTINGS.seed.def, 'a bad seed is named, never made random');
  assert.equal(values.depth, 3);
  assert.deepEqual(notices.map((notice) => notice.key), ['candidates', 'gens', 'seed']);
  assert.match(notices[1].message, /^gens=2\.5 \(generations\) is not a whole number; using 4$/);
});

test('an architecture with an empty item is named by position and the rest is kept', () => {
  const { values, notices } = parseHash('#arch=conv3x3,,identity&seed=7');

  assert.equal(values.arch, SETTINGS.arch.def);
  assert.equal(values.seed, 7);
  assert.equal(notices.length, 1);
  assert.equal(notices[0].message,
    'arch item 2 is empty; using the default architecture, conv3x3,max_pool3x3,conv5x5,identity');
});

test('an unknown operation in an architecture is named with the known ones', () => {
  const { values, notices } = parseHash('#arch2=conv3x3,conv7x7');

  assert.equal(values.arch2, SETTINGS.arch2.def);
  assert.match(notices[0].message, /^arch2 item 2 "conv7x7" is not an operation \(known: conv3x3,/);
});

test('an architecture needs one to MAX_DEPTH layers', () => {
  const long = Array(MAX_DEPTH + 1).fill('identity').join(',');

  assert.match(parseHash('#arch=').notices[0].message, /^arch has no layer/);
  assert.match(parseHash(`#arch=${long}`).notices[0].message, /has 13 layers, more than .* 12/);
});

test('enabled operations must name known ops and keep at least one', () => {
  assert.deepEqual(parseHash('#ops=identity,conv3x3,identity').values.ops, ['conv3x3', 'identity']);
  assert.match(parseHash('#ops=').notices[0].message, /at least one/);
  assert.match(parseHash('#ops=conv3x3,sep9').notices[0].message, /^ops item 2 "sep9" is not an/);
  assert.deepEqual(parseHash('#ops=sep9').values.ops, OPS);
});

test('the bad link of issue 5 keeps what it can and names the rest', () => {
  const hash = '#lr=abc&foo=1&pop=1000000&tournament=0&arch=conv7x7%2Cidentity';

  const { values, notices } = parseHash(hash);

  assert.equal(values.lr, SETTINGS.lr.def);
  assert.equal(values.pop, SETTINGS.pop.max);
  assert.equal(values.tournament, 1);
  assert.equal(values.arch, SETTINGS.arch.def);
  assert.deepEqual(notices.map((notice) => notice.key), ['lr', 'foo', 'pop', 'tournament', 'arch']);
  assert.equal(notices[0].message, 'lr=abc (learning rate) is not a number; using 0.005');
  assert.equal(notices[1].message, 'foo=1 is not a setting of this page; ignored');
  assert.equal(notices[2].message, 'pop=1000000 (population) is above the maximum 50; using 50');
  assert.equal(notices[3].message,
    'tournament=0 (tournament size) is below the minimum 1; using 1');
  assert.match(notices[4].message, /^arch item 1 "conv7x7" is not an operation \(known: /);
  assert.match(notices[4].message, /; using the default architecture, conv3x3,max_pool3x3/);
});

test('percent-escapes are decoded once, so %252C stays the text %2C', () => {
  const once = parseHash('#arch=conv3x3%2Cidentity');
  const twice = parseHash('#arch=conv3x3%252Cidentity');

  assert.equal(once.values.arch, 'conv3x3,identity');
  assert.deepEqual(once.notices, []);
  assert.equal(twice.values.arch, SETTINGS.arch.def);
  assert.match(twice.notices[0].message, /^arch item 1 "conv3x3%2Cidentity" is not an operation/);
});

test('a repeated key reads its last value and says so', () => {
  const { values, notices } = parseHash('#seed=3&seed=4&seed=5');

  assert.equal(values.seed, 5);
  assert.deepEqual(notices, [
    { key: 'seed', message: 'seed is given 3 times; reading the last, 5' },
  ]);
});

test('unknown keys are ignored by name, even those of Object.prototype', () => {
  const { values, notices } = parseHash('#colour=red&constructor=1&__proto__=x&toString=2&seed=7');

  assert.equal(values.seed, 7);
  assert.equal(Object.getPrototypeOf(values), Object.prototype);
  assert.deepEqual(
    notices.map((notice) => notice.key),
    ['colour', 'constructor', '__proto__', 'toString'],
  );
  assert.equal(notices[0].message, 'colour=red is not a setting of this page; ignored');
});

test('long values are quoted short in a notice', () => {
  const { notices } = parseHash(`#lr=${'x'.repeat(5000)}`);

  assert.equal(notices[0].message,
    `lr=${'x'.repeat(40)}… (learning rate) is not a number; using 0.005`);
});

test('a link without v or with v=1 reads silently', () => {
  assert.deepEqual(parseHash('#seed=7').notices, []);
  assert.deepEqual(parseHash('#v=1&seed=7').notices, []);
  assert.equal(parseHash('#v=1&seed=7').values.seed, 7);
});

test('a newer or malformed version reads with a notice', () => {
  const newer = parseHash('#v=2&colour=red&seed=7');
  const malformed = parseHash('#v=one&seed=8');

  assert.equal(newer.values.seed, 7);
  assert.deepEqual(newer.notices.map((notice) => notice.key), ['v', 'colour']);
  assert.match(newer.notices[0].message, /^v=2: this link is from a newer version of the page/);
  assert.equal(malformed.values.seed, 8);
  assert.match(malformed.notices[0].message, /^v=one is not a link version/);
});

test('every older version has a migration to the next', () => {
  for (let version = 1; version < SCHEMA_VERSION; version += 1) {
    assert.equal(typeof MIGRATIONS[version], 'function', `migration from v${version}`);
  }
});

test('upgrade applies each migration from the link version to the target in turn', () => {
  const migrations = {
    1: (entries) => new Map([...entries].map(([key, raw]) => [key === 'rate' ? 'lr' : key, raw])),
    2: (entries) => new Map([...entries, ['seen', '3']]),
  };
  const entries = new Map([['rate', '0.1'], ['seed', '7']]);

  const fromOne = [...upgrade(entries, 1, migrations, 3)];
  const fromTwo = [...upgrade(entries, 2, migrations, 3)];

  assert.deepEqual(fromOne, [['lr', '0.1'], ['seed', '7'], ['seen', '3']]);
  assert.deepEqual(fromTwo, [['rate', '0.1'], ['seed', '7'], ['seen', '3']]);
  assert.equal(upgrade(entries, SCHEMA_VERSION), entries, 'a current link is read as it is');
});

test('hide names sections and settings, in page order, and nothing else', () => {
  const settings = Object.keys(SETTINGS).filter((key) => key !== 'hide');

  assert.deepEqual(SETTINGS.hide.choices, [...SECTIONS, ...settings]);
  assert.deepEqual(parseHash('#hide=').values.hide, []);
  assert.deepEqual(
    parseHash('#hide=seed,evolution,random,seed').values.hide,
    ['random', 'evolution', 'seed'],
  );

  const { values, notices } = parseHash('#hide=random,main');

  assert.deepEqual(values.hide, []);
  assert.match(notices[0].message, /^hide item 2 "main" is not a section or setting \(known: /);
  assert.match(notices[0].message, /; using the default hidden sections and controls, none$/);
});

test('a search config carries the engine field names', () => {
  const config = searchConfig(defaults(), 'regularized');

  assert.deepEqual(config, {
    strategy: 'regularized',
    seed: 1,
    dataset: 'digits',
    limit: 2000,
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
    selection: 'accuracy',
    latency_target_ms: 1,
  });
  const reward = searchConfig({ ...defaults(), select: 'reward', target: 0.25 }, 'evolution');
  assert.deepEqual([reward.selection, reward.latency_target_ms], ['reward', 0.25]);
});

test('parent selection goes to evolution, never to random search', () => {
  const values = { ...defaults(), select: 'pareto' };

  assert.equal(searchConfig(values, 'evolution').selection, 'pareto');
  assert.equal(searchConfig(values, 'regularized').selection, 'pareto');
  assert.equal(searchConfig(values, 'random').selection, 'accuracy');
});

test('a link naming your own files keeps the default dataset and says why', () => {
  const { values, notices } = parseHash('#dataset=upload&n=500&seed=3');

  assert.equal(values.dataset, SETTINGS.dataset.def);
  assert.equal(values.n, 500);
  assert.equal(values.seed, 3);
  assert.deepEqual(notices, [{
    key: 'dataset',
    message: 'dataset=upload (dataset) names files of your own, which a link cannot carry ' +
      '(choose them again under Dataset); using digits',
  }]);
});

test('the page may choose your own files, and the search config names them', () => {
  assert.deepEqual(checkPageValue('dataset', 'upload'), { value: 'upload' });
  assert.deepEqual(checkPageValue('dataset', 'mnist'), { value: 'mnist' });
  assert.match(checkPageValue('dataset', 'cifar').problem, /is not one of digits, mnist, fashion/);

  const config = searchConfig({ ...defaults(), dataset: 'upload', n: 300 }, 'random');

  assert.equal(config.dataset, 'upload');
  assert.equal(config.limit, 300);
});
