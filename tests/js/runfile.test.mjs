// Run files without a browser: the CSV's quoting, the JSON document, and
// reading a document back with a message for each way it can be wrong.
import assert from 'node:assert/strict';
import test from 'node:test';

import {
  CSV_COLUMNS,
  csvField,
  readRunDocument,
  runCsv,
  runDocument,
  runSummary,
  safeFileName,
} from '../../www/runfile.js';

function evaluation(index, arch, accuracy) {
  return {
    index,
    arch,
    status: accuracy === null ? 'failed' : 'ok',
    reason: accuracy === null ? 'loss became NaN' : null,
    accuracy,
    final_loss: 0.4,
    params: 2218,
    flops: 20800,
    train_ms: 1500,
    latency_ms: 0.2,
    backend: 'cpu',
    seed: 12,
    cached: false,
    restored: false,
    generation: null,
    zero_cost: null,
    guess: null,
  };
}

function run() {
  return {
    section: 'random',
    config: { strategy: 'random', seed: 3, candidates: 3, population: 6, generations: 4 },
    shape: { in_channels: 1, classes: 10, width: 32, input_size: 8 },
    planned: 3,
    outcome: 'stopped',
    message: null,
    evaluations: [evaluation(1, 'conv3x3,identity', 0.9), evaluation(2, 'identity', null)],
    generations: [],
  };
}

/** The text of `run()`'s document with `change` applied to it. */
function documentText(change = () => {}) {
  const doc = runDocument(run(), new Date('2025-01-02T03:04:05Z'));
  change(doc);
  return JSON.stringify(doc);
}

/** The message that reading `text` as the file `name` throws. */
function readError(text, name = 'run.json') {
  let message = null;
  try {
    readRunDocument(text, name);
  } catch (error) {
    message = error.message;
  }
  assert.notEqual(message, null, 'reading the file fails');
  return message;
}

test('a CSV field is quoted when it holds a comma, quote or line break, quotes doubled', () => {
  assert.equal(csvField('conv3x3,identity'), '"conv3x3,identity"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(0.5), '0.5');
  assert.equal(csvField(null), '');
  assert.equal(csvField(false), 'false');
});

test('text a spreadsheet would run as a formula is defused, numbers are not', () => {
  assert.equal(csvField('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
  assert.equal(csvField('@sum'), "'@sum");
  assert.equal(csvField(-1), '-1');
});

test('the CSV has a header row and one row per evaluation', () => {
  const lines = runCsv(run().evaluations).split('\r\n');

  assert.equal(lines[0], CSV_COLUMNS.join(','));
  assert.equal(lines.length, 4, 'header, two rows and the final line break');
  assert.equal(lines[3], '');
  assert.ok(lines[1].startsWith('1,,"conv3x3,identity",ok,,0.9,0.4,2218,'), lines[1]);
  assert.ok(lines[2].includes(',failed,loss became NaN,,'), lines[2]);
});

test('an exported document reads back as the same run', () => {
  const back = readRunDocument(documentText(), 'run.json');

  assert.deepEqual(back, run());
});

test('a predictor run keeps its guesses and zero-cost scores, in the file and the CSV', () => {
  const guessed = {
    ...evaluation(3, 'conv3x3,conv3x3', 0.8),
    zero_cost: 12.5,
    guess: { round: 2, mean: 0.75, spread: 0.03 },
  };
  const predictorRun = {
    ...run(),
    section: 'predictor',
    config: {
      strategy: 'predictor', seed: 3, candidates: 3, initial_candidates: 2,
      picks_per_round: 1, pool_size: 50,
    },
    evaluations: [guessed],
  };

  const back = readRunDocument(JSON.stringify(runDocument(predictorRun)), 'p.json');
  const [, row] = runCsv([guessed]).split('\r\n');

  assert.deepEqual(back.evaluations, [guessed]);
  assert.ok(row.endsWith(',12.5,2,0.75,0.03'), row);
  assert.match(
    readError(JSON.stringify(runDocument({ ...predictorRun, evaluations: [{ ...guessed, guess: { round: 0 } }] }))),
    /evaluation 1: guess must be null or \{round, mean, spread\}/,
  );
});

test('a file that is not JSON is named as such', () => {
  assert.match(readError('index,arch\n1,identity', 'results.csv'), /^“results\.csv” is not a JSON file/);
});

test('JSON of another kind is named: no format, an architecture, another format', () => {
  assert.match(readError('[1, 2]'), /is JSON but not a nasplay run: it has no "format"/);
  assert.match(readError('{"format": "nasplay-architecture", "version": 1}'),
    /is an exported architecture, not a run/);
  assert.match(readError('{"format": "other"}'), /its format is "other", expected "nasplay-run"/);
});

test('another version is named with the version this page reads', () => {
  const message = readError(documentText((doc) => {
    doc.version = 2;
  }));
  assert.match(message, /is a run file of version 2; this page reads version 1/);
});

test('missing fields are listed together', () => {
  const message = readError(documentText((doc) => {
    delete doc.evaluations;
    delete doc.shape;
  }));
  assert.match(message, /is not a complete run: it lacks shape, evaluations/);
});

test('a bad value is named with the evaluation it is in', () => {
  const badOp = readError(documentText((doc) => {
    doc.evaluations[1].arch = 'identity,conv7x7';
  }));
  assert.match(badOp, /evaluation 2: arch "identity,conv7x7": item 2 "conv7x7" is not an op/);

  const badAccuracy = readError(documentText((doc) => {
    doc.evaluations[0].accuracy = '0.9';
  }));
  assert.match(badAccuracy, /evaluation 1: accuracy must be a number from 0 to 1, got "0.9"/);

  const badStrategy = readError(documentText((doc) => {
    doc.config.strategy = 'evolution';
  }));
  assert.match(badStrategy, /config\.strategy must be "random", got "evolution"/);
});

test('only the known fields of an evaluation are kept', () => {
  const back = readRunDocument(documentText((doc) => {
    doc.evaluations[0].script = '<img src=x onerror=alert(1)>';
  }), 'run.json');

  assert.equal('script' in back.evaluations[0], false);
});

test('a summary says where a run comes from, how it ended and its best', () => {
  assert.equal(runSummary(run(), 'candidate', 'Imported from “run.json”'),
    'Imported from “run.json”: stopped after 2 of 3 candidates; best accuracy 0.900 (conv3x3,identity).');
});

test('file names keep letters, digits, dashes and underscores only', () => {
  assert.equal(safeFileName('random-seed1'), 'random-seed1');
  assert.equal(safeFileName('../a b/c'), 'a-b-c');
  assert.equal(safeFileName('///'), 'nasplay');
});
