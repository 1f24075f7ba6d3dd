// The summary's method table (summary.js) from the page's records, and the
// race settings (state.js), without a browser.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Results } from '../../www/results.js';
import { defaults, formatHash, parseHash, raceRequest } from '../../www/state.js';
import { methodRows } from '../../www/summary.js';

const RECORD = {
  label: 'conv3x3,identity',
  accuracy: 0.9,
  latency_ms: 0.4,
  params: 9248,
  flops: 600000,
  status: 'ok',
  train_ms: 1000,
};

test('each method gets one row with its count, failures, best network and summed time', () => {
  const results = new Results();
  results.add('random', { ...RECORD, accuracy: 0.7, latency_ms: 0.3 });
  results.add('random', { ...RECORD, label: 'conv5x5,identity', accuracy: 0.8, latency_ms: 0.9 });
  results.add('random', { ...RECORD, status: 'failed', accuracy: null, train_ms: 250 });

  const [row] = methodRows(results.all());

  assert.equal(row.method, 'random');
  assert.equal(row.evaluations, 3);
  assert.equal(row.failed, 1);
  assert.equal(row.best.label, 'conv5x5,identity');
  assert.equal(row.best.latency_ms, 0.9, 'the latency is that of the best network');
  assert.equal(row.trainMs, 2250);
  assert.equal(row.timed, 3);
});

test('known methods come in a fixed order and others after them', () => {
  const results = new Results();
  for (const method of ['darts', 'nb201', 'regularized', 'random', 'evolution']) {
    results.add(method, RECORD);
  }

  const order = methodRows(results.all()).map((row) => row.method);

  assert.deepEqual(order, ['random', 'evolution', 'regularized', 'darts', 'nb201']);
});

test('a method whose records carry no time has no time, not zero', () => {
  const results = new Results();
  const { train_ms: _, ...untimed } = RECORD;
  results.add('darts', untimed);

  const [row] = methodRows(results.all());

  assert.ok(Number.isNaN(row.trainMs));
  assert.equal(row.timed, 0);
});

test('a method with only failures has no best network', () => {
  const results = new Results();
  results.add('evolution', { ...RECORD, status: 'failed', accuracy: null });

  const [row] = methodRows(results.all());

  assert.equal(row.best, null);
  assert.equal(row.failed, 1);
});

test('the race settings travel in the link and become the engine request', () => {
  const values = { ...defaults(), seed: 7, race_seeds: 5, race_queries: 50, race_pop: 10, race_sample: 3 };

  const read = parseHash(formatHash(values));

  assert.deepEqual(read.notices, []);
  assert.deepEqual(raceRequest(read.values), { seeds: 5, queries: 50, population: 10, sample: 3, seed: 7 });
  assert.deepEqual(raceRequest(defaults()), { seeds: 20, queries: 300, population: 20, sample: 5, seed: 1 });
});

test('race settings out of range are clamped with a notice', () => {
  const { values, notices } = parseHash('#race_seeds=5000&race_queries=0');

  assert.equal(values.race_seeds, 200);
  assert.equal(values.race_queries, 1);
  assert.equal(notices.length, 2);
});
