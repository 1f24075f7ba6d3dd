//! Many seeds of a look-up search summarised as curves: one run's best-so-far
//! is mostly luck, the mean and median over seeds show the strategy.

use serde::Serialize;

use super::predictor_settings::RoundQuality;
use super::search::{LookupRun, LookupSettings, LookupStrategy, run_lookup};
use super::table::Table;
use crate::error::{Error, Result};

/// The most seeds one summary may run.
pub const MAX_SEEDS: usize = 1_000;

/// One strategy over many seeds. Curves have one value per query: entry `q`
/// is the best-so-far accuracy after `q + 1` queries. Accuracies are fractions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedSummary {
    pub strategy: LookupStrategy,
    /// The settings of the first seed; seed `k` uses `settings.seed + k`.
    pub settings: LookupSettings,
    pub seeds: Vec<u64>,
    pub mean_best: Vec<f64>,
    pub median_best: Vec<f64>,
    /// The 25th and 75th percentiles of best-so-far: half the seeds lie between.
    pub lower_quartile_best: Vec<f64>,
    pub upper_quartile_best: Vec<f64>,
    /// Each seed's best accuracy after the last query, in seed order.
    pub final_best: Vec<f64>,
    pub median_final_best: f64,
    pub mean_final_best: f64,
    /// The table's best accuracy minus `median_final_best`.
    pub median_final_regret: f64,
    /// Seeds that found a cell as accurate as the table's best.
    pub found_best: usize,
    /// The predictor's rounds, summarised over seeds; `None` for the other
    /// strategies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rounds: Option<Vec<RoundSummary>>,
}

/// One predictor round over all seeds: the medians of each seed's rank
/// correlations (seeds where one is undefined left out; NaN when all are).
/// Every seed runs the same rounds at the same query counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundSummary {
    pub round: usize,
    pub queries_before: usize,
    pub median_kendall_unseen: f64,
    pub median_spearman_unseen: f64,
    pub median_kendall_picked: f64,
}

/// Runs `settings` with `seeds` consecutive seeds from `settings.seed`.
pub fn over_seeds(table: &Table, settings: LookupSettings, seeds: usize) -> Result<SeedSummary> {
    if !(1..=MAX_SEEDS).contains(&seeds) {
        return Err(Error::out_of_range("seeds", 1, MAX_SEEDS, seeds));
    }
    let seed_list: Vec<u64> = (0..seeds as u64)
        .map(|k| settings.seed.wrapping_add(k))
        .collect();
    let runs = seed_list
        .iter()
        .map(|&seed| run_lookup(table, LookupSettings { seed, ..settings }))
        .collect::<Result<Vec<LookupRun>>>()?;
    Ok(summarise_runs(table, settings, &runs))
}

/// The summary of `runs`, each a run of `settings` with its own seed: what
/// [`over_seeds`] reports, for a caller that runs the seeds one at a time
/// (the page's race, which reports after each seed).
///
/// # Panics
/// If a run has fewer than `settings.queries` queries.
pub fn summarise_runs(table: &Table, settings: LookupSettings, runs: &[LookupRun]) -> SeedSummary {
    let curves: Vec<Vec<f64>> = runs
        .iter()
        .map(|run| run.history.iter().map(|q| q.best_so_far).collect())
        .collect();

    let at = |q: usize| curves.iter().map(|curve| curve[q]).collect::<Vec<f64>>();
    let final_best = at(settings.queries - 1);
    let optimum = table.best().accuracy();
    let median_final_best = median(&final_best);
    SeedSummary {
        strategy: settings.strategy,
        settings,
        seeds: runs.iter().map(|run| run.settings.seed).collect(),
        mean_best: (0..settings.queries).map(|q| mean(&at(q))).collect(),
        median_best: (0..settings.queries).map(|q| median(&at(q))).collect(),
        lower_quartile_best: (0..settings.queries)
            .map(|q| quantile(&at(q), 0.25))
            .collect(),
        upper_quartile_best: (0..settings.queries)
            .map(|q| quantile(&at(q), 0.75))
            .collect(),
        median_final_best,
        mean_final_best: mean(&final_best),
        median_final_regret: optimum - median_final_best,
        found_best: final_best.iter().filter(|&&best| best >= optimum).count(),
        final_best,
        rounds: (settings.strategy == LookupStrategy::Predictor).then(|| summarise_rounds(runs)),
    }
}

/// Per round, the medians over the seeds that reached it.
fn summarise_rounds(runs: &[LookupRun]) -> Vec<RoundSummary> {
    let rounds = runs.iter().map(|run| run.rounds.len()).max().unwrap_or(0);
    (0..rounds)
        .map(|r| {
            let of_round: Vec<&RoundQuality> =
                runs.iter().filter_map(|run| run.rounds.get(r)).collect();
            let median_of = |pick: fn(&RoundQuality) -> Option<f64>| {
                median(
                    &of_round
                        .iter()
                        .filter_map(|q| pick(q))
                        .collect::<Vec<f64>>(),
                )
            };
            RoundSummary {
                round: r + 1,
                queries_before: of_round[0].queries_before,
                median_kendall_unseen: median_of(|q| q.kendall_unseen),
                median_spearman_unseen: median_of(|q| q.spearman_unseen),
                median_kendall_picked: median_of(|q| q.kendall_picked),
            }
        })
        .collect()
}

/// Random search, regularized evolution and the predictor-based search with
/// the same queries and seeds (each strategy's own settings from `settings`),
/// in the order of `LookupStrategy::ALL`.
pub fn compare_strategies(
    table: &Table,
    settings: LookupSettings,
    seeds: usize,
) -> Result<[SeedSummary; 3]> {
    let run = |strategy| {
        over_seeds(
            table,
            LookupSettings {
                strategy,
                ..settings
            },
            seeds,
        )
    };
    Ok([
        run(LookupStrategy::Random)?,
        run(LookupStrategy::Regularized)?,
        run(LookupStrategy::Predictor)?,
    ])
}

/// The middle value; the mean of the two middle values for an even count;
/// NaN for none.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// The `p`-quantile (`p` in [0, 1]) interpolated linearly between the two
/// nearest order statistics, as NumPy's default does; NaN for no values.
pub fn quantile(values: &[f64], p: f64) -> f64 {
    assert!((0.0..=1.0).contains(&p), "quantile {p} is outside [0, 1]");
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return f64::NAN;
    }
    let position = p * (sorted.len() - 1) as f64;
    let (below, above) = (position.floor() as usize, position.ceil() as usize);
    sorted[below] + (sorted[above] - sorted[below]) * (position - below as f64)
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}
