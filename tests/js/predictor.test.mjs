// Section 9's data without a browser: which guesses are judged, the charts'
// data from the engine's rank quality and race, and the race table's medians.
import assert from 'node:assert/strict';
import test from 'node:test';

import {
  formatTau,
  guessChart,
  judgedGuesses,
  medianAfter,
  predictorRounds,
  raceChart,
  raceRows,
  rankChart,
  tauChart,
} from '../../www/predictor-data.js';
import {
  defaults, formatHash, parseHash, predictorRaceRequest, searchConfig,
} from '../../www/state.js';

function evaluation(index, accuracy, guess = null, extra = {}) {
  return { index, arch: 'conv3x3', status: accuracy === null ? 'failed' : 'ok', accuracy, guess, ...extra };
}

/** The engine's `chain_quality` answer for two rounds, the first with one pick. */
const QUALITY = {
  rounds: [
    { round: 1, this_round: { n: 1, kendall_tau: null, spearman_rho: null }, up_to_round: { n: 1, kendall_tau: null, spearman_rho: null } },
    { round: 3, this_round: { n: 2, kendall_tau: 1, spearman_rho: 1 }, up_to_round: { n: 3, kendall_tau: 0.33, spearman_rho: 0.5 } },
  ],
  proxy: { n: 5, kendall_tau: 0.2, spearman_rho: 0.3 },
  proxy_by_round: [{ n: 3, kendall_tau: -0.33 }, { n: 5, kendall_tau: 0.2 }],
};

test('only guessed networks that trained, and not from the cache, are judged', () => {
  const guess = { round: 1, mean: 0.8, spread: 0.02 };
  const evaluations = [
    evaluation(1, 0.7),
    evaluation(2, 0.9, guess),
    evaluation(3, null, guess),
    evaluation(4, 0.9, guess, { cached: true }),
    evaluation(5, 0.85, { round: 2, mean: 0.88, spread: 0.01 }),
  ];

  assert.deepEqual(judgedGuesses(evaluations).map((e) => e.index), [2, 5]);
  assert.deepEqual(guessChart(evaluations, QUALITY), {
    predicted: [0.8, 0.88],
    actual: [0.9, 0.85],
    spread: [0.02, 0.01],
    round: [1, 2],
    kendall: 0.33,
    spearman: 0.5,
  });
  assert.equal(guessChart(evaluations, null).kendall, null, 'without the engine, no τ');
});

test('the rank chart has one entry per round, NaN where a round has none or τ is undefined', () => {
  const chart = rankChart(QUALITY);

  assert.equal(chart.kendall.length, 3);
  assert.ok(Number.isNaN(chart.kendall[0]) && Number.isNaN(chart.kendall[1]));
  assert.deepEqual([chart.kendall[2], chart.spearman[2], chart.proxy_kendall[2]], [0.33, 0.5, 0.2]);
  assert.equal(chart.proxy_kendall[0], -0.33);
  assert.deepEqual(rankChart(null), { kendall: [], spearman: [], proxy_kendall: [], seeds: 0 });
});

/** A race report of `queries` queries: random, then the predictor over `done` seeds. */
function race(queries, done) {
  const summary = (strategy, top) => ({
    strategy,
    seeds: [1, 2, 3].slice(0, strategy === 'predictor' ? done : 3),
    median_best: Array.from({ length: queries }, (_, q) => top - 0.1 / (q + 1)),
    lower_quartile_best: [],
    upper_quartile_best: [],
    median_final_regret: 0.94373 - top,
    found_best: 1,
  });
  return {
    optimum: { accuracy: 0.94373 },
    seeds_done: done,
    strategies: [
      summary('random', 0.93),
      { ...summary('predictor', 0.94), rounds: [{ round: 1, queries_before: 20, median_kendall_unseen: 0.4, median_spearman_unseen: null, median_kendall_picked: 0.1 }] },
    ],
  };
}

test('the race table gives the medians after 100 and 300 queries, none beyond the budget', () => {
  const rows = raceRows(race(150, 2));

  assert.deepEqual(rows.map((r) => [r.strategy, r.name, r.seeds]), [
    ['random', 'Random search', 3],
    ['predictor', 'Predictor-based', 2],
  ]);
  assert.equal(rows[1].after[0], 0.94 - 0.1 / 100);
  assert.ok(Number.isNaN(rows[1].after[1]), 'no 300th query in a budget of 150');
  assert.ok(Math.abs(rows[1].regret - 0.00373) < 1e-12);
  assert.equal(rows[1].final, 0.94 - 0.1 / 150, 'the end of a 150-query budget has its own figure');
  assert.equal(medianAfter(race(300, 3).strategies[0], 300), 0.93 - 0.1 / 300);
});

test('the race chart names the seeds only once the race is complete', () => {
  const partial = raceChart(race(10, 2), false);
  const complete = raceChart(race(10, 3), true);

  assert.deepEqual(partial.strategies.map((s) => s.name), ['Random search', 'Predictor-based']);
  assert.equal(partial.optimum, 0.94373);
  assert.equal(partial.seeds, 0);
  assert.equal(complete.seeds, 3);
});

test('the predictor\'s τ per round comes from its summary, NaN where undefined', () => {
  const chart = tauChart(race(10, 2));

  assert.deepEqual(chart.kendall, [0.4]);
  assert.ok(Number.isNaN(chart.spearman[0]));
  assert.deepEqual(chart.proxy_kendall, []);
  assert.equal(chart.seeds, 2);
  assert.deepEqual(predictorRounds({ strategies: [] }), []);
  assert.deepEqual([formatTau(0.4567), formatTau(NaN), formatTau(null)], ['0.46', 'undefined', 'undefined']);
});

test('the predictor settings travel in the link and become the engine config', () => {
  const values = { ...defaults(), candidates: 6, p_init: 9, p_picks: 3, p_pool: 40, p_kappa: 0.5, select: 'pareto' };

  const read = parseHash(formatHash(values));
  const config = searchConfig(read.values, 'predictor');

  assert.deepEqual(read.notices, []);
  assert.equal(config.strategy, 'predictor');
  assert.deepEqual(
    [config.candidates, config.initial_candidates, config.picks_per_round, config.pool_size, config.kappa],
    [6, 6, 3, 40, 0.5],
    'the initial candidates are at most the candidates',
  );
  assert.equal(config.selection, 'accuracy', 'only evolution picks parents');
  assert.equal(searchConfig(read.values, 'random').initial_candidates, undefined);
});

test('the three-way race request takes evolution from the summary race and a pool of at least a round', () => {
  const values = { ...defaults(), pr_seeds: 3, pr_queries: 100, pr_init: 200, pr_round: 20, pr_pool: 10, race_pop: 8 };

  assert.deepEqual(predictorRaceRequest(values), {
    seeds: 3,
    queries: 100,
    population: 8,
    sample: 5,
    seed: 1,
    predictor: { initial: 100, per_round: 20, pool: 20, kappa: 0.5 },
  });
});

test('predictor settings out of range are clamped with a notice naming them', () => {
  const { values, notices } = parseHash('#p_picks=0&p_kappa=11&pr_seeds=500&pr_queries=abc');

  assert.deepEqual([values.p_picks, values.p_kappa, values.pr_seeds, values.pr_queries], [1, 10, 100, 300]);
  assert.deepEqual(notices.map((n) => n.key), ['p_picks', 'p_kappa', 'pr_seeds', 'pr_queries']);
  assert.match(notices[1].message, /^p_kappa=11 \(predictor exploration κ\) is above the maximum 10; using 10$/);
});
