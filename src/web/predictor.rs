//! Predictor-based search in the page: how well a chain run's guesses ranked
//! the candidates they chose, and the NAS-Bench-201 race of the predictor
//! against random search and regularized evolution as a step machine for the
//! Web Worker. Fitting the predictor's ensemble every round makes one seed of
//! that race cost seconds rather than the microseconds of a look-up, so it
//! runs off the main thread, one seed per step, and Stop keeps the seeds done.

use std::cell::OnceCell;

use serde::{Deserialize, Serialize};
use serde_json::json;
use wasm_bindgen::prelude::*;

use super::{js_error, to_json};
use crate::error::Error;
use crate::nb201::{
    LookupRun, LookupSettings, LookupStrategy, PredictorSettings, SeedSummary, TABLE_NAME, Table,
    run_lookup, summarise_runs,
};
use crate::predictor::{Agreement, RoundQuality, chain_quality as judge};
use crate::train::Evaluation;

/// The most look-ups the predictor may spend over all seeds of one race:
/// about two minutes of ensemble fitting in the page (20 seeds × 300 took
/// 32 s in headless Chromium on two busy cores; see `README.md`).
pub const MAX_PREDICTOR_LOOKUPS: usize = 20_000;

thread_local! {
    /// The worker's own copy of the NAS-Bench-201 table, parsed from the first
    /// text a race was given (the page's copy lives in another instance).
    static RACE_TABLE: OnceCell<Table> = const { OnceCell::new() };
}

/// Runs `f` on the race's table; an error before a race was given its text.
fn with_table<R>(f: impl FnOnce(&Table) -> Result<R, JsError>) -> Result<R, JsError> {
    RACE_TABLE.with(|cell| {
        let table = cell.get().ok_or_else(|| {
            JsError::new("the NAS-Bench-201 table is not loaded in the worker: send its text first")
        })?;
        f(table)
    })
}

/// Parses `csv` into the race's table unless it holds one already.
fn load_table(csv: &str) -> Result<(), JsError> {
    RACE_TABLE.with(|cell| {
        if cell.get().is_none() {
            let table = Table::parse(TABLE_NAME, csv).map_err(js_error)?;
            let _ = cell.set(table);
        }
        Ok(())
    })
}

/// A chain run's rank quality as the page shows it: the engine's `Quality`
/// plus, for each round, the proxy's agreement over the candidates trained
/// by the end of that round, so the proxy can be drawn round by round.
#[derive(Serialize)]
struct ChainQualityView {
    rounds: Vec<RoundQuality>,
    proxy: Agreement,
    proxy_by_round: Vec<Agreement>,
}

/// Judges a chain run's guesses and zero-cost scores. `evaluations_json` is
/// the run's evaluations in order; returns `{rounds, proxy, proxy_by_round}`
/// where `rounds[i]` has `this_round` and `up_to_round` agreements (`n`,
/// `kendall_tau`, `spearman_rho`, null where undefined) and
/// `proxy_by_round[i]` is the proxy over the candidates trained up to the end
/// of `rounds[i]`. Throws when the JSON is not a list of evaluations.
#[wasm_bindgen]
pub fn chain_quality(evaluations_json: &str) -> Result<String, JsError> {
    let evaluations: Vec<Evaluation> = serde_json::from_str(evaluations_json)
        .map_err(|e| js_error(Error::bad_setting("evaluations", e)))?;
    let quality = judge(&evaluations);
    let proxy_by_round = quality
        .rounds
        .iter()
        .map(|round| judge(until_end_of(&evaluations, round.round)).proxy)
        .collect();
    Ok(to_json(&ChainQualityView {
        rounds: quality.rounds,
        proxy: quality.proxy,
        proxy_by_round,
    }))
}

/// The evaluations up to the last one guessed in `round`.
fn until_end_of(evaluations: &[Evaluation], round: usize) -> &[Evaluation] {
    let last = evaluations
        .iter()
        .rposition(|e| e.guess.is_some_and(|g| g.round == round))
        .map_or(0, |i| i + 1);
    &evaluations[..last]
}

/// What the page asks of a three-way race: every strategy runs `seeds` seeds
/// from `seed` on with `queries` look-ups each; regularized evolution keeps
/// `population` and samples `sample`; the predictor's rounds are `predictor`
/// (its ensemble keeps the engine's defaults).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RaceRequest {
    seeds: usize,
    queries: usize,
    population: usize,
    sample: usize,
    seed: u64,
    predictor: PredictorRounds,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PredictorRounds {
    initial: usize,
    per_round: usize,
    pool: usize,
    kappa: f64,
}

/// The race of random search, regularized evolution and the predictor on
/// NAS-Bench-201, stepped by the worker: the first step runs both baselines
/// over every seed (milliseconds), each later step one seed of the predictor.
/// Reports compare like with like: the baselines are summarised over the
/// seeds the predictor has done so far (all of them before its first).
#[wasm_bindgen(js_name = Nb201Race)]
pub struct WebNb201Race {
    settings: LookupSettings,
    seeds: usize,
    /// Each baseline's settings and its run of every seed, in seed order.
    baselines: Vec<(LookupSettings, Vec<LookupRun>)>,
    predictor: Vec<LookupRun>,
    failed: bool,
}

#[wasm_bindgen(js_class = Nb201Race)]
impl WebNb201Race {
    /// Checks the request; throws naming a bad setting, or when the predictor
    /// would spend more than [`MAX_PREDICTOR_LOOKUPS`]. `table_csv`, the
    /// table's text, is needed by the first race of a worker only; later
    /// ones keep the table it was parsed into.
    #[wasm_bindgen(constructor)]
    pub fn new(request_json: &str, table_csv: Option<String>) -> Result<WebNb201Race, JsError> {
        if let Some(csv) = table_csv {
            load_table(&csv)?;
        }
        let request: RaceRequest = serde_json::from_str(request_json)
            .map_err(|e| js_error(Error::bad_setting("race", e)))?;
        let lookups = request.seeds.saturating_mul(request.queries);
        if lookups > MAX_PREDICTOR_LOOKUPS {
            return Err(js_error(Error::bad_setting(
                "race",
                format!(
                    "{} seeds × {} queries is {lookups} predictor look-ups, more than the \
                     {MAX_PREDICTOR_LOOKUPS} a race in the page may spend; lower the seeds or \
                     the queries",
                    request.seeds, request.queries
                ),
            )));
        }
        let settings = LookupSettings {
            strategy: LookupStrategy::Predictor,
            queries: request.queries,
            population: request.population,
            sample: request.sample,
            seed: request.seed,
            predictor: PredictorSettings {
                initial: request.predictor.initial.min(request.queries),
                per_round: request.predictor.per_round,
                pool: request.predictor.pool,
                kappa: request.predictor.kappa,
                ..PredictorSettings::default()
            },
        };
        settings.validate().map_err(js_error)?;
        Ok(Self {
            settings,
            seeds: request.seeds,
            baselines: Vec::new(),
            predictor: Vec::new(),
            failed: false,
        })
    }

    /// One unit of work; returns the step report as JSON: `{done, fraction,
    /// status, error, race}`, `race` being `{optimum, strategies}` over the
    /// seeds done so far (the predictor's entry has `rounds`, the medians of
    /// its per-round rank correlations). Throws before the table is loaded.
    pub fn step(&mut self) -> Result<String, JsError> {
        if self.failed || self.predictor.len() >= self.seeds {
            return self.report(None);
        }
        let error = with_table(|table| {
            if self.baselines.is_empty() {
                self.run_baselines(table)?;
                return Ok(None);
            }
            let seed = self.settings.seed.wrapping_add(self.predictor.len() as u64);
            Ok(
                match run_lookup(
                    table,
                    LookupSettings {
                        seed,
                        ..self.settings
                    },
                ) {
                    Ok(run) => {
                        self.predictor.push(run);
                        None
                    }
                    Err(e) => Some(format!(
                        "the predictor's search with seed {seed} stopped: {e}"
                    )),
                },
            )
        })?;
        self.failed = error.is_some();
        self.report(error)
    }
}

impl WebNb201Race {
    fn run_baselines(&mut self, table: &Table) -> Result<(), JsError> {
        for strategy in [LookupStrategy::Random, LookupStrategy::Regularized] {
            let settings = LookupSettings {
                strategy,
                ..self.settings
            };
            let runs = (0..self.seeds as u64)
                .map(|k| {
                    let seed = settings.seed.wrapping_add(k);
                    run_lookup(table, LookupSettings { seed, ..settings })
                })
                .collect::<crate::error::Result<Vec<LookupRun>>>()
                .map_err(js_error)?;
            self.baselines.push((settings, runs));
        }
        Ok(())
    }

    /// The report after a step: progress, and the race over the seeds so far.
    fn report(&self, error: Option<String>) -> Result<String, JsError> {
        let done_seeds = self.predictor.len();
        let done = error.is_some() || done_seeds >= self.seeds;
        let status = if self.baselines.is_empty() {
            "Starting the race…".to_string()
        } else if done_seeds >= self.seeds {
            format!("All {} seeds raced.", self.seeds)
        } else {
            format!(
                "Predictor-based search: seed {} of {} done (each fits its predictor every round)…",
                done_seeds, self.seeds
            )
        };
        let fraction = (1 + done_seeds) as f64 / (1 + self.seeds) as f64;
        with_table(|table| {
            let seeds = match self.predictor.len() {
                0 => self.seeds,
                done => done,
            };
            let mut strategies: Vec<SeedSummary> = self
                .baselines
                .iter()
                .map(|(settings, runs)| summarise_runs(table, *settings, &runs[..seeds]))
                .collect();
            if !self.predictor.is_empty() {
                strategies.push(summarise_runs(table, self.settings, &self.predictor));
            }
            Ok(to_json(&json!({
                "done": done,
                "fraction": fraction,
                "status": status,
                "error": error,
                "race": {
                    "optimum": table.best(),
                    "seeds_done": done_seeds,
                    "strategies": strategies,
                },
            })))
        })
    }
}
