// The bench page's settings and the figures they ask for (bench-plan.js),
// without a browser.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ARCHS, describe, figuresFor, readSettings, SETTINGS } from '../../www/bench-plan.js';

const defaults = Object.fromEntries(Object.entries(SETTINGS).map(([key, spec]) => [key, spec.def]));

test('an empty query keeps every default and has nothing to say', () => {
  const { settings, notices } = readSettings(new URLSearchParams(''));

  assert.deepEqual(settings, defaults);
  assert.deepEqual(notices, []);
});

test('valid values are used and lists keep the canonical order', () => {
  const query = new URLSearchParams('repeats=3&steps=20&inputs=synthetic28,digits&backends=cpu&memory=1');

  const { settings, notices } = readSettings(query);

  assert.equal(settings.repeats, 3);
  assert.equal(settings.steps, 20);
  assert.deepEqual(settings.inputs, ['digits', 'synthetic28']);
  assert.deepEqual(settings.backends, ['cpu']);
  assert.equal(settings.memory, true);
  assert.deepEqual(notices, []);
});

test('each bad value is named, replaced by its default, and the rest is kept', () => {
  const query = new URLSearchParams('repeats=0&steps=ten&inputs=digits,cifar&memory=yes&seed=7&colour=red');

  const { settings, notices } = readSettings(query);

  assert.deepEqual(
    { repeats: settings.repeats, steps: settings.steps, inputs: settings.inputs, memory: settings.memory },
    { repeats: 5, steps: 10, inputs: defaults.inputs, memory: false },
  );
  assert.equal(settings.seed, 7);
  assert.deepEqual(notices, [
    'repeats=0 (timed runs per figure) is outside 1–100; using the default.',
    'steps=ten (training steps per run) is not a whole number; using the default.',
    'inputs=digits,cifar (inputs) names cifar; known: digits, synthetic28; using the default.',
    'memory=yes (memory run) must be 1 or 0; using the default.',
    'colour is not a setting of this page; ignored.',
  ]);
});

test('a backend measures the ceiling first, then every input and architecture', () => {
  const settings = { ...defaults, repeats: 2, steps: 4, seed: 9 };

  const figures = figuresFor(settings, 'webgpu');

  assert.deepEqual(figures[0], { kind: 'matmul', spec: { n: 2000, runs: 2, seed: 9 } });
  assert.deepEqual(
    figures.slice(1).map(({ spec }) => [spec.input, spec.arch]),
    [['digits', ARCHS[0]], ['digits', ARCHS[1]], ['synthetic28', ARCHS[0]], ['synthetic28', ARCHS[1]]],
  );
  assert.deepEqual(figures[1].spec, {
    input: 'digits',
    arch: ARCHS[0],
    batch: 64,
    width: 32,
    learning_rate: 0.005,
    warmup_steps: 2,
    steps: 4,
    runs: 2,
    seed: 9,
  });
});

test('the memory run comes first, on the CPU only, and only when asked for', () => {
  const settings = { ...defaults, memory: true };

  const onCpu = figuresFor(settings, 'cpu').map((figure) => figure.kind);
  const onGpu = figuresFor(settings, 'webgpu').map((figure) => figure.kind);
  const without = figuresFor(defaults, 'cpu').map((figure) => figure.kind);

  assert.deepEqual(onCpu.slice(0, 2), ['memory', 'matmul']);
  assert.ok(!onGpu.includes('memory'));
  assert.ok(!without.includes('memory'));
  assert.match(describe(figuresFor(settings, 'cpu')[0]), /^memory over 50 trained candidates$/);
});
