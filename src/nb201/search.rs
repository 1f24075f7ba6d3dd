//! Searches over NAS-Bench-201 that look each cell up in the table instead of
//! training it: random search and regularized (aging) evolution here, the
//! predictor-based search in `predictor_search`. A search is an iterator of
//! queries, so a caller can run it to the end or step it.

use std::collections::VecDeque;
use std::fmt;
use std::str::FromStr;

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use super::cell::{CELL_COUNT, Cell};
use super::predictor_search::run_predictor;
use super::predictor_settings::{PredictorSettings, RoundQuality};
use super::table::{Row, Table};
use crate::error::{Error, Result};
use crate::predictor::Guess;

/// The most queries one search may spend: the whole table is 15,625 cells.
pub const MAX_QUERIES: usize = 100_000;

/// The most members regularized evolution may keep alive.
pub const MAX_POPULATION: usize = 10_000;

/// How the next cell is chosen. String forms: `random`, `regularized`,
/// `predictor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LookupStrategy {
    /// Every cell drawn uniformly (repeats possible, as with any sampler).
    Random,
    /// Aging evolution: mutate the best of a random sample of the living
    /// population; the child joins, the oldest member leaves.
    Regularized,
    /// Fit an ensemble of MLPs on the cells found so far and look up the
    /// unseen cells it rates best (see `PredictorSearch`).
    Predictor,
}

impl LookupStrategy {
    pub const ALL: [LookupStrategy; 3] = [
        LookupStrategy::Random,
        LookupStrategy::Regularized,
        LookupStrategy::Predictor,
    ];

    pub fn name(self) -> &'static str {
        match self {
            LookupStrategy::Random => "random",
            LookupStrategy::Regularized => "regularized",
            LookupStrategy::Predictor => "predictor",
        }
    }
}

impl fmt::Display for LookupStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for LookupStrategy {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        LookupStrategy::ALL
            .into_iter()
            .find(|s| s.name() == text)
            .ok_or_else(|| {
                Error::bad_setting(
                    "strategy",
                    format!(
                        "unknown look-up strategy \"{text}\"; known: random, regularized, predictor"
                    ),
                )
            })
    }
}

/// Everything that decides a look-up search; the same settings replay it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LookupSettings {
    pub strategy: LookupStrategy,
    /// Table look-ups to spend, each counted as one query.
    pub queries: usize,
    /// Regularized evolution: members alive at once (the first `population`
    /// queries are random cells).
    pub population: usize,
    /// Regularized evolution: members drawn per cycle; the best is mutated.
    pub sample: usize,
    pub seed: u64,
    /// The predictor-based search's rounds and ensemble; absent from settings
    /// written before it existed, which then get its defaults.
    #[serde(default)]
    pub predictor: PredictorSettings,
}

impl Default for LookupSettings {
    fn default() -> Self {
        Self {
            strategy: LookupStrategy::Regularized,
            queries: 300,
            population: 20,
            sample: 5,
            seed: 1,
            predictor: PredictorSettings::default(),
        }
    }
}

impl LookupSettings {
    pub fn validate(&self) -> Result<()> {
        if !(1..=MAX_QUERIES).contains(&self.queries) {
            return Err(Error::out_of_range("queries", 1, MAX_QUERIES, self.queries));
        }
        if !(1..=MAX_POPULATION).contains(&self.population) {
            return Err(Error::out_of_range(
                "population",
                1,
                MAX_POPULATION,
                self.population,
            ));
        }
        if !(1..=self.population).contains(&self.sample) {
            return Err(Error::out_of_range(
                "sample",
                1,
                self.population,
                self.sample,
            ));
        }
        if self.strategy == LookupStrategy::Predictor {
            self.validate_predictor()?;
        }
        Ok(())
    }

    /// The predictor looks up each cell at most once, so its budget cannot
    /// exceed the table.
    fn validate_predictor(&self) -> Result<()> {
        if self.queries > CELL_COUNT {
            return Err(Error::out_of_range(
                "queries",
                1,
                format!("{CELL_COUNT} (every cell once) for the predictor"),
                self.queries,
            ));
        }
        self.predictor.validate()
    }
}

/// One look-up and where the search stood after it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Query {
    /// 1-based.
    pub query: usize,
    /// The benchmark index of the cell looked up.
    pub idx: usize,
    pub cell: Cell,
    /// Its test accuracy, as a fraction.
    pub accuracy: f64,
    /// The best accuracy found so far, this query included.
    pub best_so_far: f64,
    /// The table's best accuracy minus `best_so_far`: 0 once the best cell
    /// (or one as good) has been found.
    pub regret: f64,
    /// The predictor's guess for this cell, made before it was looked up;
    /// `None` for the random first cells and for the other strategies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predicted: Option<Guess>,
}

/// The look-ups a search has spent and the best row among them: what each
/// `Query` reports, kept the same way by every strategy.
pub(super) struct Tally<'t> {
    table: &'t Table,
    asked: usize,
    best: Option<&'t Row>,
}

impl<'t> Tally<'t> {
    pub fn new(table: &'t Table) -> Self {
        Self {
            table,
            asked: 0,
            best: None,
        }
    }

    pub fn asked(&self) -> usize {
        self.asked
    }

    /// The most accurate row so far; of equals, the first found.
    pub fn best(&self) -> Option<&'t Row> {
        self.best
    }

    /// Spends a query on `cell` (picked with the guess `predicted`, if any):
    /// its row, and the record of the query.
    pub fn look_up(&mut self, cell: Cell, predicted: Option<Guess>) -> (&'t Row, Query) {
        let row = self.table.lookup(&cell);
        self.asked += 1;
        if self
            .best
            .is_none_or(|best| row.accuracy() > best.accuracy())
        {
            self.best = Some(row);
        }
        let best_so_far = self.best.map_or(row.accuracy(), Row::accuracy);
        let query = Query {
            query: self.asked,
            idx: row.idx,
            cell,
            accuracy: row.accuracy(),
            best_so_far,
            regret: self.table.best().accuracy() - best_so_far,
            predicted,
        };
        (row, query)
    }
}

/// A look-up search in progress; each `next()` spends one query.
pub struct LookupSearch<'t> {
    settings: LookupSettings,
    rng: StdRng,
    alive: VecDeque<&'t Row>,
    tally: Tally<'t>,
}

impl<'t> LookupSearch<'t> {
    /// A search over `table`. Random search and evolution with one seed draw
    /// the same first cells, so comparing them by seed compares like with like.
    pub fn new(table: &'t Table, settings: LookupSettings) -> Result<Self> {
        settings.validate()?;
        if settings.strategy == LookupStrategy::Predictor {
            return Err(Error::bad_setting(
                "strategy",
                "the predictor strategy is stepped by PredictorSearch, not LookupSearch; \
                 use PredictorSearch::new or run_lookup",
            ));
        }
        Ok(Self {
            settings,
            rng: StdRng::seed_from_u64(settings.seed),
            alive: VecDeque::with_capacity(settings.population + 1),
            tally: Tally::new(table),
        })
    }

    /// The most accurate row so far; of equals, the first found.
    pub fn best(&self) -> Option<&'t Row> {
        self.tally.best()
    }

    pub fn settings(&self) -> &LookupSettings {
        &self.settings
    }

    fn propose(&mut self) -> Cell {
        let evolving = self.settings.strategy == LookupStrategy::Regularized
            && self.alive.len() >= self.settings.population;
        if !evolving {
            return Cell::random(&mut self.rng);
        }
        let drawn = rand::seq::index::sample(&mut self.rng, self.alive.len(), self.settings.sample);
        let parent = drawn
            .iter()
            .map(|i| self.alive[i])
            .reduce(|best, row| {
                if row.accuracy() > best.accuracy() {
                    row
                } else {
                    best
                }
            })
            .expect("sample is at least 1");
        parent.cell.mutate(&mut self.rng).child
    }
}

impl Iterator for LookupSearch<'_> {
    type Item = Query;

    fn next(&mut self) -> Option<Query> {
        if self.tally.asked() >= self.settings.queries {
            return None;
        }
        let cell = self.propose();
        let (row, query) = self.tally.look_up(cell, None);
        if self.settings.strategy == LookupStrategy::Regularized {
            self.alive.push_back(row);
            if self.alive.len() > self.settings.population {
                self.alive.pop_front();
            }
        }
        Some(query)
    }
}

/// A finished look-up search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LookupRun {
    pub settings: LookupSettings,
    pub history: Vec<Query>,
    /// The most accurate row found (the first found among equals).
    pub best: Row,
    /// The predictor's rounds; empty for the other strategies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<RoundQuality>,
}

/// Runs a look-up search to the end of its queries.
pub fn run_lookup(table: &Table, settings: LookupSettings) -> Result<LookupRun> {
    if settings.strategy == LookupStrategy::Predictor {
        return run_predictor(table, settings);
    }
    let mut search = LookupSearch::new(table, settings)?;
    let history: Vec<Query> = search.by_ref().collect();
    let best = *search.best().expect("settings allow at least one query");
    Ok(LookupRun {
        settings,
        history,
        best,
        rounds: Vec::new(),
    })
}
