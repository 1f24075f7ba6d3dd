// The data of section 9's charts and tables, shaped from what the engine
// reports: a chain run's evaluations and its rank quality, and the three-way
// NAS-Bench-201 race. No DOM here, so Node can import and test it.

/** The race's strategies by the engine's names, in the order they are drawn. */
export const RACE_NAMES = Object.freeze({
  random: 'Random search',
  regularized: 'Regularized evolution',
  predictor: 'Predictor-based',
});

/** The query counts after which the race table gives the median best. */
export const RACE_CHECKPOINTS = Object.freeze([100, 300]);

/** A number, or NaN for a null, missing or non-finite one (an undefined τ). */
function numberOr(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : NaN;
}

/**
 * The evaluations whose guess the engine judges: trained successfully in
 * this run (not a cache hit) after the predictor had guessed them.
 */
export function judgedGuesses(evaluations) {
  return evaluations.filter((e) =>
    e.status === 'ok' && !e.cached && e.guess && Number.isFinite(e.accuracy));
}

/**
 * The `predicted_vs_true` chart's data from a run's `evaluations` and the
 * engine's `quality` (see `chain_quality`): every judged guess, and τ and ρ
 * over all of them, which are the last round's "so far" figures.
 */
export function guessChart(evaluations, quality) {
  const guessed = judgedGuesses(evaluations);
  const last = quality?.rounds.at(-1)?.up_to_round;
  return {
    predicted: guessed.map((e) => e.guess.mean),
    actual: guessed.map((e) => e.accuracy),
    spread: guessed.map((e) => e.guess.spread),
    round: guessed.map((e) => e.guess.round),
    kendall: last?.kendall_tau ?? null,
    spearman: last?.spearman_rho ?? null,
  };
}

/**
 * The `rank_quality` chart's data from the engine's `quality`: per round
 * (entry r - 1 for round r, NaN where a round has no judged guess), τ and ρ
 * over the picks up to that round, and the proxy's τ over the networks
 * trained by its end.
 */
export function rankChart(quality) {
  const rounds = quality?.rounds ?? [];
  const count = rounds.reduce((most, r) => Math.max(most, r.round), 0);
  const unknown = () => new Array(count).fill(NaN);
  const lines = { kendall: unknown(), spearman: unknown(), proxy_kendall: unknown() };
  rounds.forEach((r, i) => {
    lines.kendall[r.round - 1] = numberOr(r.up_to_round.kendall_tau);
    lines.spearman[r.round - 1] = numberOr(r.up_to_round.spearman_rho);
    lines.proxy_kendall[r.round - 1] = numberOr(quality.proxy_by_round[i]?.kendall_tau);
  });
  return { ...lines, seeds: 0 };
}

/** The median best after `queries` queries, NaN when the race did not get that far. */
export function medianAfter(summary, queries) {
  return numberOr(summary.median_best[queries - 1]);
}

/**
 * One row per strategy of `race` (the engine's report): its name, the median
 * best after each of `RACE_CHECKPOINTS`, the median best and regret at the
 * end of the budget (whatever it is), and how many seeds found the table's best.
 */
export function raceRows(race) {
  return race.strategies.map((summary) => ({
    strategy: summary.strategy,
    name: RACE_NAMES[summary.strategy] ?? summary.strategy,
    after: RACE_CHECKPOINTS.map((queries) => medianAfter(summary, queries)),
    final: numberOr(summary.median_best.at(-1)),
    regret: numberOr(summary.median_final_regret),
    found: summary.found_best,
    seeds: summary.seeds.length,
  }));
}

/**
 * The `strategy_race` chart's data from `race`; the note names the seeds
 * only once every strategy has run them all (`complete`).
 */
export function raceChart(race, complete) {
  return {
    strategies: race.strategies.map((s) => ({
      name: RACE_NAMES[s.strategy] ?? s.strategy,
      median: s.median_best,
      lower: s.lower_quartile_best,
      upper: s.upper_quartile_best,
    })),
    optimum: race.optimum.accuracy,
    seeds: complete ? race.seeds_done : 0,
  };
}

/** The predictor's per-round medians in `race`, or none before its first seed. */
export function predictorRounds(race) {
  return race.strategies.find((s) => s.strategy === 'predictor')?.rounds ?? [];
}

/** The `rank_quality` chart's data for the race: the predictor's τ and ρ on unseen cells. */
export function tauChart(race) {
  const rounds = predictorRounds(race);
  return {
    kendall: rounds.map((r) => numberOr(r.median_kendall_unseen)),
    spearman: rounds.map((r) => numberOr(r.median_spearman_unseen)),
    proxy_kendall: [],
    seeds: race.seeds_done,
  };
}

/** A rank correlation with two decimals, or "undefined" (fewer than two, or all tied). */
export function formatTau(value) {
  return Number.isFinite(value) ? value.toFixed(2) : 'undefined';
}
