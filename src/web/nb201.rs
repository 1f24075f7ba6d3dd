//! The NAS-Bench-201 table in the page, and the strategy race on it. The page
//! fetches the table's file from its own origin and hands the text over once;
//! races look cells up in it on the main thread. Measured in headless Chromium
//! on a busy 2-core machine: fetching and parsing 0.2–0.7 s, a race of both
//! strategies over 20 seeds × 300 queries 5–50 ms, over 200 × 2,500 (the most
//! the page allows) 0.3–0.45 s. The predictor-based search fits its ensemble
//! every round (about 0.2 s a seed of 300 queries natively, several times that
//! in wasm), so it joins this race only when asked; the page races it in the
//! worker, one seed a step (`web::predictor`).

use std::cell::OnceCell;

use serde::{Deserialize, Serialize};
use serde_json::json;
use wasm_bindgen::prelude::*;

use super::predictor::MAX_PREDICTOR_LOOKUPS;
use super::{js_error, to_json};
use crate::error::Error;
use crate::nb201::{
    LookupSettings, LookupStrategy, Nb201Device, SeedSummary, TABLE_NAME, Table, best_within,
    most_accurate, over_seeds,
};

/// The most look-ups one strategy of a race may spend over all its seeds, so
/// that a race holds up the page for about half a second at most.
pub const MAX_RACE_LOOKUPS: usize = 500_000;

thread_local! {
    /// The table, parsed from the first text the page handed over.
    static TABLE: OnceCell<Table> = const { OnceCell::new() };
}

/// Parses the table's CSV text, once: later calls keep the first table and
/// ignore their text. Returns `{cells, best}`, `best` being the table's most
/// accurate row. Throws with the row and column of the first bad value.
#[wasm_bindgen]
pub fn nb201_load(csv: &str) -> Result<String, JsError> {
    TABLE.with(|cell| {
        if cell.get().is_none() {
            let table = Table::parse(TABLE_NAME, csv).map_err(js_error)?;
            let _ = cell.set(table);
        }
        let table = cell.get().expect("the table was just set");
        Ok(to_json(
            &json!({"cells": table.len(), "best": table.best()}),
        ))
    })
}

/// What the page asks of a race: both strategies run `seeds` seeds from
/// `seed` on, each spending `queries` look-ups; regularized evolution keeps
/// `population` members and mutates the best of `sample` drawn. With
/// `predictor` (default false) the predictor-based search, with its default
/// settings, runs the same seeds as a third strategy.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RaceRequest {
    seeds: usize,
    queries: usize,
    population: usize,
    sample: usize,
    seed: u64,
    #[serde(default)]
    predictor: bool,
}

/// One strategy of a race: its summary over seeds, and the median regret
/// (the table's best accuracy minus the median best-so-far) per query.
#[derive(Serialize)]
struct RaceEntry<'a> {
    #[serde(flatten)]
    summary: &'a SeedSummary,
    median_regret: Vec<f64>,
}

/// Races random search against regularized evolution on the same seeds and
/// budget. `request_json` is `{seeds, queries, population, sample, seed}`,
/// optionally with `predictor: true`; resolves `{optimum, strategies: [random,
/// regularized(, predictor)]}` with each strategy's summary (`median_best`,
/// `mean_best`, quartile curves, `final_best`, `median_final_best`,
/// `found_best`...; the predictor's also `rounds`, the per-round medians of
/// its rank correlations) and `median_regret`. Throws when the table is not
/// loaded or a setting is out of range.
#[wasm_bindgen]
pub fn nb201_race(request_json: &str) -> Result<String, JsError> {
    let request: RaceRequest =
        serde_json::from_str(request_json).map_err(|e| js_error(Error::bad_setting("race", e)))?;
    let lookups = request.seeds.saturating_mul(request.queries);
    if request.predictor && lookups > MAX_PREDICTOR_LOOKUPS {
        return Err(js_error(Error::bad_setting(
            "race",
            format!(
                "{} seeds × {} queries is {lookups} predictor look-ups, more than the \
                 {MAX_PREDICTOR_LOOKUPS} a race may spend; lower the seeds or the queries",
                request.seeds, request.queries
            ),
        )));
    }
    if lookups > MAX_RACE_LOOKUPS {
        return Err(js_error(Error::bad_setting(
            "race",
            format!(
                "{} seeds × {} queries is {lookups} look-ups per strategy, more than the \
                 {MAX_RACE_LOOKUPS} a race may spend; lower the seeds or the queries",
                request.seeds, request.queries
            ),
        )));
    }
    let settings = LookupSettings {
        strategy: LookupStrategy::Random,
        queries: request.queries,
        population: request.population,
        sample: request.sample,
        seed: request.seed,
        ..LookupSettings::default()
    };

    TABLE.with(|cell| {
        let table = cell.get().ok_or_else(|| {
            JsError::new("the NAS-Bench-201 table is not loaded yet: call nb201_load first")
        })?;
        let mut raced = vec![LookupStrategy::Random, LookupStrategy::Regularized];
        if request.predictor {
            raced.push(LookupStrategy::Predictor);
        }
        let summaries = raced
            .into_iter()
            .map(|strategy| {
                over_seeds(
                    table,
                    LookupSettings {
                        strategy,
                        ..settings
                    },
                    request.seeds,
                )
            })
            .collect::<Result<Vec<SeedSummary>, Error>>()
            .map_err(js_error)?;
        let optimum = table.best();
        let strategies: Vec<RaceEntry<'_>> = summaries
            .iter()
            .map(|summary| RaceEntry {
                summary,
                median_regret: summary
                    .median_best
                    .iter()
                    .map(|best| optimum.accuracy() - best)
                    .collect(),
            })
            .collect();
        Ok(to_json(
            &json!({"optimum": optimum, "strategies": strategies}),
        ))
    })
}

/// The table seen from its devices: the `top` most accurate cells with every
/// device's latency, the devices (which were measured, which simulated), and
/// the most accurate cell within `target_ms` on `device` with how many cells
/// meet that target. Throws before the table is loaded or for an unknown
/// device.
#[wasm_bindgen]
pub fn nb201_devices(device: &str, target_ms: f64, top: usize) -> Result<String, JsError> {
    let device: Nb201Device = device.parse().map_err(js_error)?;
    TABLE.with(|cell| {
        let table = cell
            .get()
            .ok_or_else(|| JsError::new("the NAS-Bench-201 table is not loaded yet"))?;
        let devices: Vec<_> = Nb201Device::ALL
            .iter()
            .map(|d| json!({"name": d.name(), "column": d.column(), "description": d.description(), "measured": d.is_measured()}))
            .collect();
        let (best, within) = best_within(table, device, target_ms);
        Ok(to_json(&json!({
            "devices": devices,
            "top": most_accurate(table, top.min(table.len())),
            "best_within": best,
            "within": within,
        })))
    })
}
