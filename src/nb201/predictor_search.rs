//! Predictor-based search on NAS-Bench-201: after a first batch of random
//! cells, each round fits an ensemble of MLPs on every (cell → accuracy) found
//! so far, scores a pool of unseen cells by upper confidence, and looks up
//! only the best few. The budget is counted in look-ups, as for the other
//! strategies, and the search yields the same `Query` items.

use std::collections::VecDeque;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::cell::{CELL_COUNT, Cell};
use super::predictor_settings::RoundQuality;
use super::search::{LookupRun, LookupSettings, Query, Tally};
use super::table::{Row, Table};
use crate::error::Result;
use crate::predictor::{
    CELL_FEATURES, Ensemble, Guess, encode_cell, kendall_tau, spearman_rho, upper_confidence,
};

/// Cells in the fixed sample that measures how well unseen cells are ranked.
pub const PROBE_CELLS: usize = 500;

/// The best cells found whose mutations fill half of each round's pool.
const PARENTS: usize = 5;

/// Mixed into the seed for the probe sample's own generator, so drawing it
/// leaves the search's generator untouched.
const PROBE_STREAM: u64 = 0x9b0b_e5a3_71d2_c4f1;

/// A predictor-based search in progress; each `next()` spends one query.
pub struct PredictorSearch<'t> {
    table: &'t Table,
    settings: LookupSettings,
    rng: StdRng,
    ensemble: Ensemble,
    /// Indexed by `Cell::code`: looked up already.
    seen: Vec<bool>,
    found: Vec<&'t Row>,
    features: Vec<Vec<f32>>,
    queue: VecDeque<(Cell, Option<Guess>)>,
    probe: Vec<Cell>,
    rounds: Vec<RoundQuality>,
    tally: Tally<'t>,
    failure: Option<crate::Error>,
}

impl<'t> PredictorSearch<'t> {
    /// A search over `table`. Its first cells are those random search draws
    /// with the same seed (until random search draws a cell twice, which the
    /// predictor skips), so the two part ways once the predictor picks.
    pub fn new(table: &'t Table, settings: LookupSettings) -> Result<Self> {
        settings.validate()?;
        let mut ensemble = settings.predictor.ensemble;
        ensemble.seed ^= settings.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        Ok(Self {
            table,
            settings,
            rng: StdRng::seed_from_u64(settings.seed),
            ensemble: Ensemble::new(CELL_FEATURES, ensemble)?,
            seen: vec![false; CELL_COUNT],
            found: Vec::with_capacity(settings.queries),
            features: Vec::with_capacity(settings.queries),
            queue: VecDeque::new(),
            probe: probe_sample(settings.seed),
            rounds: Vec::new(),
            tally: Tally::new(table),
            failure: None,
        })
    }

    /// The most accurate row so far; of equals, the first found.
    pub fn best(&self) -> Option<&'t Row> {
        self.tally.best()
    }

    /// What each round's guesses were worth, so far.
    pub fn rounds(&self) -> &[RoundQuality] {
        &self.rounds
    }

    /// Why the search stopped before its budget, if it did (the ensemble's
    /// training diverged).
    pub fn failure(&self) -> Option<&crate::Error> {
        self.failure.as_ref()
    }

    /// Fills the queue: the random first batch, then one predictor round.
    fn plan(&mut self) -> Result<()> {
        let left = self.settings.queries - self.found.len();
        if self.found.is_empty() {
            let count = self.settings.predictor.initial.min(left);
            let cells = self.unseen_random(count, &mut vec![false; CELL_COUNT]);
            self.queue.extend(cells.into_iter().map(|c| (c, None)));
            return Ok(());
        }
        let k = self.settings.predictor.per_round.min(left);
        let accuracies: Vec<f64> = self.found.iter().map(|r| r.accuracy()).collect();
        self.ensemble.fit(&self.features, &accuracies)?;
        let picked = self.pick(k);
        let quality = self.quality(&picked);
        self.rounds.push(quality);
        self.queue
            .extend(picked.into_iter().map(|(c, g)| (c, Some(g))));
        Ok(())
    }

    /// The `k` cells of a fresh pool with the highest upper confidence; of
    /// equal scores, the one that entered the pool first.
    fn pick(&mut self, k: usize) -> Vec<(Cell, Guess)> {
        let pool = self.pool();
        let guesses = self.ensemble.guess(&encode_all(&pool));
        let kappa = self.settings.predictor.kappa;
        let score: Vec<f64> = guesses
            .iter()
            .map(|&g| upper_confidence(g, kappa))
            // A guess that is not a number must not be picked first.
            .map(|s| if s.is_nan() { f64::NEG_INFINITY } else { s })
            .collect();
        let mut order: Vec<usize> = (0..pool.len()).collect();
        order.sort_by(|&a, &b| score[b].total_cmp(&score[a]));
        order
            .into_iter()
            .take(k)
            .map(|i| (pool[i], guesses[i]))
            .collect()
    }

    /// Unseen, distinct cells: half mutations (one or two edges) of the best
    /// cells found, the rest uniformly random.
    fn pool(&mut self) -> Vec<Cell> {
        let size = self.settings.predictor.pool;
        let mut parents: Vec<&Row> = self.found.clone();
        parents.sort_by(|a, b| b.accuracy().total_cmp(&a.accuracy()));
        parents.truncate(PARENTS);

        let mut in_pool = vec![false; CELL_COUNT];
        let mut pool = Vec::with_capacity(size);
        for attempt in 0..size * 2 {
            if pool.len() >= size / 2 {
                break;
            }
            let mut child = parents[attempt % parents.len()]
                .cell
                .mutate(&mut self.rng)
                .child;
            if self.rng.random_bool(0.5) {
                child = child.mutate(&mut self.rng).child;
            }
            self.admit(child, &mut in_pool, &mut pool);
        }
        let random = self.unseen_random(size - pool.len(), &mut in_pool);
        pool.extend(random);
        pool
    }

    /// Adds `cell` to the pool unless it was looked up or is already in.
    fn admit(&self, cell: Cell, in_pool: &mut [bool], pool: &mut Vec<Cell>) {
        let code = cell.code();
        if !self.seen[code] && !in_pool[code] {
            in_pool[code] = true;
            pool.push(cell);
        }
    }

    /// Up to `count` distinct random cells, neither looked up nor marked in
    /// `taken` (indexed by `Cell::code`; they are marked there in turn).
    /// Rejection sampling, then a scan from a random code when unseen cells
    /// grow scarce, so it ends even when few are left.
    fn unseen_random(&mut self, count: usize, taken: &mut [bool]) -> Vec<Cell> {
        let mut cells = Vec::with_capacity(count);
        for _ in 0..count * 8 {
            if cells.len() >= count {
                return cells;
            }
            let cell = Cell::random(&mut self.rng);
            self.admit(cell, taken, &mut cells);
        }
        let start = self.rng.random_range(0..CELL_COUNT);
        for offset in 0..CELL_COUNT {
            if cells.len() >= count {
                break;
            }
            let cell = Cell::from_code((start + offset) % CELL_COUNT).expect("codes wrap");
            self.admit(cell, taken, &mut cells);
        }
        cells
    }

    /// The round's rank correlations; see `RoundQuality`.
    fn quality(&self, picked: &[(Cell, Guess)]) -> RoundQuality {
        let unseen: Vec<Cell> = self
            .probe
            .iter()
            .copied()
            .filter(|c| !self.seen[c.code()])
            .collect();
        let guessed: Vec<f64> = self
            .ensemble
            .guess(&encode_all(&unseen))
            .iter()
            .map(|g| g.mean)
            .collect();
        let truth = |cells: &mut dyn Iterator<Item = Cell>| -> Vec<f64> {
            cells.map(|c| self.table.lookup(&c).accuracy()).collect()
        };
        let unseen_truth = truth(&mut unseen.iter().copied());
        let picked_guess: Vec<f64> = picked.iter().map(|(_, g)| g.mean).collect();
        let picked_truth = truth(&mut picked.iter().map(|(c, _)| *c));
        RoundQuality {
            round: self.rounds.len() + 1,
            queries_before: self.found.len(),
            trained_on: self.features.len(),
            kendall_unseen: kendall_tau(&guessed, &unseen_truth),
            spearman_unseen: spearman_rho(&guessed, &unseen_truth),
            kendall_picked: kendall_tau(&picked_guess, &picked_truth),
        }
    }

    fn record(&mut self, cell: Cell, predicted: Option<Guess>) -> Query {
        let (row, query) = self.tally.look_up(cell, predicted);
        self.seen[cell.code()] = true;
        self.found.push(row);
        self.features.push(encode_cell(&cell));
        query
    }
}

impl Iterator for PredictorSearch<'_> {
    type Item = Query;

    fn next(&mut self) -> Option<Query> {
        if self.found.len() >= self.settings.queries || self.failure.is_some() {
            return None;
        }
        if self.queue.is_empty()
            && let Err(e) = self.plan()
        {
            self.failure = Some(e);
            return None;
        }
        let (cell, predicted) = self
            .queue
            .pop_front()
            .expect("a plan queues at least one unseen cell while the budget lasts");
        Some(self.record(cell, predicted))
    }
}

/// Runs a predictor-based search to the end of its queries.
pub fn run_predictor(table: &Table, settings: LookupSettings) -> Result<LookupRun> {
    let mut search = PredictorSearch::new(table, settings)?;
    let history: Vec<Query> = search.by_ref().collect();
    if let Some(failure) = search.failure.take() {
        return Err(failure);
    }
    let best = *search.best().expect("settings allow at least one query");
    Ok(LookupRun {
        settings,
        history,
        best,
        rounds: search.rounds,
    })
}

fn encode_all(cells: &[Cell]) -> Vec<Vec<f32>> {
    cells.iter().map(encode_cell).collect()
}

/// `PROBE_CELLS` distinct random cells from their own generator.
fn probe_sample(seed: u64) -> Vec<Cell> {
    let mut rng = StdRng::seed_from_u64(seed ^ PROBE_STREAM);
    let mut taken = vec![false; CELL_COUNT];
    let mut cells = Vec::with_capacity(PROBE_CELLS);
    while cells.len() < PROBE_CELLS {
        let cell = Cell::random(&mut rng);
        if !std::mem::replace(&mut taken[cell.code()], true) {
            cells.push(cell);
        }
    }
    cells
}
