//! What shapes a predictor-based search on NAS-Bench-201, and what each of its
//! rounds records about how well the predictor guessed.

use serde::{Deserialize, Serialize};

use super::cell::CELL_COUNT;
use crate::error::{Error, Result};
use crate::predictor::EnsembleSettings;

/// The most cells one round may look up.
pub const MAX_PER_ROUND: usize = 1_000;

/// The largest exploration weight accepted: beyond it the spread swamps the
/// guess and the search is a random one with extra steps.
pub const MAX_KAPPA: f64 = 10.0;

/// The predictor-based search's own settings; the query budget and seed are
/// the look-up search's. Every field has a default, so settings written
/// before this strategy existed still read.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PredictorSettings {
    /// Random cells looked up before the first fit (at most the budget).
    pub initial: usize,
    /// Cells looked up per round: the best of the pool by upper confidence.
    pub per_round: usize,
    /// Unseen cells scored per round: mutations of the best cells found so
    /// far, and random cells.
    pub pool: usize,
    /// How many spreads the acquisition adds to the guess (see
    /// `upper_confidence`).
    pub kappa: f64,
    /// The ensemble; its seed is mixed with the search's seed, so each seed of
    /// a comparison gets its own members.
    pub ensemble: EnsembleSettings,
}

impl Default for PredictorSettings {
    fn default() -> Self {
        Self {
            initial: 20,
            per_round: 10,
            pool: 300,
            kappa: 0.5,
            ensemble: EnsembleSettings::default(),
        }
    }
}

impl PredictorSettings {
    pub fn validate(&self) -> Result<()> {
        if !(1..=CELL_COUNT).contains(&self.initial) {
            return Err(Error::out_of_range("initial", 1, CELL_COUNT, self.initial));
        }
        if !(1..=MAX_PER_ROUND).contains(&self.per_round) {
            return Err(Error::out_of_range(
                "per_round",
                1,
                MAX_PER_ROUND,
                self.per_round,
            ));
        }
        if !(self.per_round..=CELL_COUNT).contains(&self.pool) {
            return Err(Error::out_of_range(
                "pool",
                format!("per_round ({})", self.per_round),
                CELL_COUNT,
                self.pool,
            ));
        }
        if !(0.0..=MAX_KAPPA).contains(&self.kappa) {
            return Err(Error::out_of_range("kappa", 0, MAX_KAPPA, self.kappa));
        }
        self.ensemble.validate()
    }
}

/// How well the predictor ranked cells in one round, from the guesses it made
/// right after that round's fit.
///
/// `*_unseen` compare guesses with the table's true accuracy on a fixed
/// random sample of cells (500, drawn once from a generator of its own) less
/// those queried so far. This diagnostic peeks at the table for cells the
/// search has not paid for; it is never fed back, so it does not steer the
/// search, and a search with it is the search without it.
/// `kendall_picked` ranks the round's picks: each guess against the truth its
/// look-up then revealed. `None` where the measure is undefined (fewer than
/// two cells, or all guesses or truths equal).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RoundQuality {
    /// 1-based; round 1 is the first fit, after the random initial cells.
    pub round: usize,
    /// Queries spent before this round's picks.
    pub queries_before: usize,
    /// Cells the ensemble was fitted on in this round.
    pub trained_on: usize,
    pub kendall_unseen: Option<f64>,
    pub spearman_unseen: Option<f64>,
    pub kendall_picked: Option<f64>,
}
