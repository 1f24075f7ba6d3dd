// The page's record of every evaluation (results.js) and the top-N ranking of
// section 7 (analysis.js), without a browser.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { rankChains } from '../../www/analysis.js';
import { Results } from '../../www/results.js';

const RECORD = {
  label: 'conv3x3,identity',
  accuracy: 0.9,
  latency_ms: 0.4,
  params: 9248,
  flops: 600000,
  status: 'ok',
};

test('records are numbered in order, tagged with their method, and listeners hear each', () => {
  const results = new Results();
  const heard = [];
  results.onChange((record) => heard.push(record.index));

  results.add('random', RECORD);
  results.add('darts', { ...RECORD, label: 'cell: sep_conv_3x3~0|skip~1' });

  assert.deepEqual(results.all().map((r) => [r.index, r.method]), [[1, 'random'], [2, 'darts']]);
  assert.deepEqual(heard, [1, 2]);
  assert.ok(Object.isFrozen(results.all()[0]));
});

test('a failed record keeps its missing measures as NaN, not zero', () => {
  const results = new Results();

  results.add('evolution', { ...RECORD, status: 'failed', accuracy: null, latency_ms: undefined });

  const [record] = results.all();
  assert.ok(Number.isNaN(record.accuracy));
  assert.ok(Number.isNaN(record.latency_ms));
  assert.equal(record.params, 9248);
});

test('a record without a method, a label or a known status is refused with the reason', () => {
  const results = new Results();

  assert.throws(() => results.add('', RECORD), /needs the method/);
  assert.throws(() => results.add('random', { ...RECORD, label: '' }), /needs a label/);
  assert.throws(() => results.add('random', { ...RECORD, status: 'done' }), /status "done"; use ok or failed/);
  assert.deepEqual(results.all(), []);
});

test('the top chains are distinct, each at its best accuracy, failures and cells left out', () => {
  const results = new Results();
  results.add('random', { ...RECORD, label: 'conv3x3,identity', accuracy: 0.7 });
  results.add('random', { ...RECORD, label: 'conv5x5,identity', accuracy: 0.8 });
  results.add('evolution', { ...RECORD, label: 'conv3x3,identity', accuracy: 0.85 });
  results.add('evolution', { ...RECORD, label: 'identity,identity', accuracy: null, status: 'failed' });
  results.add('darts', { ...RECORD, label: 'cell: sep_conv_3x3~0', accuracy: 0.99 });
  results.add('random', { ...RECORD, label: 'max_pool3x3,identity', accuracy: 0.8 });

  const { ranked, others } = rankChains(results.all());

  assert.deepEqual(ranked.map((r) => [r.label, r.accuracy]), [
    ['conv3x3,identity', 0.85],
    ['conv5x5,identity', 0.8],
    ['max_pool3x3,identity', 0.8],
  ]);
  assert.equal(others, 1);
});
