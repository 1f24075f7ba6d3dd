//! The settings of one search, with their accepted ranges. The CLI, the web
//! worker and the URL state all go through `SearchConfig::validate`.

use serde::{Deserialize, Serialize};

use super::selection::Selection;
use crate::data::{DEFAULT_LIMIT, check_dataset};
use crate::error::{Error, Result};
use crate::space::Op;
use crate::train::Budget;

/// Which search strategy runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StrategyKind {
    /// Independent uniform samples.
    Random,
    /// The tutorial's generational algorithm.
    Evolution,
    /// Regularized (aging) evolution: the oldest member dies each cycle.
    Regularized,
    /// Predictor-based: an ensemble learns accuracy from the candidates
    /// trained so far and picks which unseen ones to train next.
    Predictor,
}

impl StrategyKind {
    /// The one string form, as in JSON and the URL.
    pub fn name(self) -> &'static str {
        match self {
            StrategyKind::Random => "random",
            StrategyKind::Evolution => "evolution",
            StrategyKind::Regularized => "regularized",
            StrategyKind::Predictor => "predictor",
        }
    }
}

/// Everything one search needs; one seed decides sampling, splits and weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    pub strategy: StrategyKind,
    pub seed: u64,
    pub dataset: String,
    /// At most this many images are used: a class-stratified sample drawn
    /// from the seed, so that a 10,000-image set of 28x28 images can be
    /// searched on a CPU at all (minutes, not tens of minutes, a candidate).
    pub limit: usize,
    /// Ops per architecture.
    pub depth: usize,
    /// Channels of every layer.
    pub width: usize,
    /// The ops sampling and mutation may choose from.
    pub ops: Vec<Op>,
    pub epochs: usize,
    pub batch_size: usize,
    pub learning_rate: f64,
    /// Random and predictor-based search: architectures to train.
    pub candidates: usize,
    /// Predictor-based search: random candidates trained before the
    /// predictor makes its first guess.
    pub initial_candidates: usize,
    /// Predictor-based search: candidates trained per round, the best guesses.
    pub picks_per_round: usize,
    /// Predictor-based search: unseen candidates guessed per round, half
    /// mutations of the best trained so far, half random.
    pub pool_size: usize,
    /// Predictor-based search: how much the ensemble's spread adds to its mean
    /// guess when ranking (upper confidence bound); 0 trusts the mean alone.
    pub kappa: f64,
    pub population: usize,
    pub generations: usize,
    /// Per-position probability of redrawing an op.
    pub mutation_prob: f64,
    /// Tournament size for parent selection.
    pub tournament: usize,
    /// How a tournament picks its winner; only evolution selects parents.
    pub selection: Selection,
    /// The latency (ms, as measured when a candidate trains) that the
    /// `reward` selection aims under.
    pub latency_target_ms: f64,
}

impl Default for SearchConfig {
    fn default() -> Self {
        let budget = Budget::default();
        Self {
            strategy: StrategyKind::Random,
            seed: 1,
            dataset: "digits".into(),
            limit: DEFAULT_LIMIT,
            depth: 4,
            width: 32,
            ops: Op::ALL.to_vec(),
            epochs: budget.epochs,
            batch_size: budget.batch_size,
            learning_rate: budget.learning_rate,
            candidates: 10,
            initial_candidates: 4,
            picks_per_round: 2,
            pool_size: 100,
            kappa: 1.0,
            population: 6,
            generations: 4,
            mutation_prob: 0.2,
            tournament: 3,
            selection: Selection::Accuracy,
            latency_target_ms: 1.0,
        }
    }
}

/// Accepted ranges, shared by validation messages and the page's controls.
pub mod limits {
    pub const LIMIT: (usize, usize) = (50, 100_000);
    pub const LATENCY_TARGET_MS: (f64, f64) = (0.001, 10_000.0);
    pub const DEPTH: (usize, usize) = (1, 12);
    pub const WIDTH: (usize, usize) = (4, 128);
    pub const EPOCHS: (usize, usize) = (1, 100);
    pub const BATCH_SIZE: (usize, usize) = (1, 1024);
    pub const LEARNING_RATE: (f64, f64) = (1e-6, 10.0);
    pub const CANDIDATES: (usize, usize) = (1, 1000);
    /// Also at most `candidates` in a predictor-based search.
    pub const INITIAL_CANDIDATES: (usize, usize) = (1, 1000);
    pub const PICKS_PER_ROUND: (usize, usize) = (1, 100);
    pub const POOL_SIZE: (usize, usize) = (1, 5000);
    pub const KAPPA: (f64, f64) = (0.0, 10.0);
    pub const POPULATION: (usize, usize) = (1, 200);
    pub const GENERATIONS: (usize, usize) = (1, 200);
    pub const MUTATION_PROB: (f64, f64) = (0.0, 1.0);
    pub const TOURNAMENT: (usize, usize) = (1, 200);
}

impl SearchConfig {
    /// Parses JSON settings; unknown keys and wrong types are errors that name the key.
    pub fn from_json(json: &str) -> Result<Self> {
        let config: Self =
            serde_json::from_str(json).map_err(|e| Error::bad_setting("search settings", e))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks every setting against its range; the first bad one is named.
    pub fn validate(&self) -> Result<()> {
        use limits::*;
        check("limit", self.limit, LIMIT)?;
        check("depth", self.depth, DEPTH)?;
        check("width", self.width, WIDTH)?;
        check("epochs", self.epochs, EPOCHS)?;
        check("batch_size", self.batch_size, BATCH_SIZE)?;
        check_float("learning_rate", self.learning_rate, LEARNING_RATE)?;
        check("candidates", self.candidates, CANDIDATES)?;
        self.validate_predictor()?;
        check("population", self.population, POPULATION)?;
        check("generations", self.generations, GENERATIONS)?;
        check_float("mutation_prob", self.mutation_prob, MUTATION_PROB)?;
        check_float(
            "latency_target_ms",
            self.latency_target_ms,
            LATENCY_TARGET_MS,
        )?;
        check(
            "tournament",
            self.tournament,
            (TOURNAMENT.0, self.population.max(1)),
        )?;
        if self.ops.is_empty() {
            return Err(Error::bad_setting("ops", "enable at least one op"));
        }
        let parentless = matches!(
            self.strategy,
            StrategyKind::Random | StrategyKind::Predictor
        );
        if parentless && self.selection != Selection::Accuracy {
            return Err(Error::bad_setting(
                "selection",
                format!(
                    "\"{}\" picks evolution's parents, and {} search has none; \
                     use it with evolution or regularized",
                    self.selection.name(),
                    self.strategy.name()
                ),
            ));
        }
        check_dataset(&self.dataset)
    }

    /// The predictor's settings; the initial random candidates are checked
    /// against `candidates` only when the predictor runs, so that other
    /// strategies with few candidates keep the default.
    fn validate_predictor(&self) -> Result<()> {
        use limits::*;
        let initial_max = match self.strategy {
            StrategyKind::Predictor => self.candidates,
            _ => INITIAL_CANDIDATES.1,
        };
        check(
            "initial_candidates",
            self.initial_candidates,
            (INITIAL_CANDIDATES.0, initial_max),
        )?;
        check("picks_per_round", self.picks_per_round, PICKS_PER_ROUND)?;
        check("pool_size", self.pool_size, POOL_SIZE)?;
        check_float("kappa", self.kappa, KAPPA)
    }

    pub fn budget(&self) -> Budget {
        Budget {
            epochs: self.epochs,
            batch_size: self.batch_size,
            learning_rate: self.learning_rate,
        }
    }

    /// Candidates the search will evaluate (cache hits included).
    pub fn planned_evaluations(&self) -> usize {
        match self.strategy {
            StrategyKind::Random | StrategyKind::Predictor => self.candidates,
            StrategyKind::Evolution | StrategyKind::Regularized => {
                self.population * self.generations
            }
        }
    }
}

pub(crate) fn check(field: &str, value: usize, (min, max): (usize, usize)) -> Result<()> {
    match (min..=max).contains(&value) {
        true => Ok(()),
        false => Err(Error::out_of_range(field, min, max, value)),
    }
}

pub(crate) fn check_float(field: &str, value: f64, (min, max): (f64, f64)) -> Result<()> {
    match value.is_finite() && (min..=max).contains(&value) {
        true => Ok(()),
        false => Err(Error::out_of_range(field, min, max, value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        SearchConfig::default().validate().unwrap();
    }

    #[test]
    fn population_below_one_is_named_with_its_range() {
        let err = SearchConfig::from_json(r#"{"population": 0}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "population must be between 1 and 200, got 0");
    }

    #[test]
    fn tournament_larger_than_the_population_is_rejected() {
        let err = SearchConfig::from_json(r#"{"population": 4, "tournament": 5}"#).unwrap_err();
        assert_eq!(err.to_string(), "tournament must be between 1 and 4, got 5");
    }

    #[test]
    fn non_numeric_setting_names_the_field() {
        let err = SearchConfig::from_json(r#"{"epochs": "abc"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("epochs") || err.contains("invalid type"),
            "{err}"
        );
    }

    #[test]
    fn unknown_op_and_unknown_key_are_errors() {
        assert!(SearchConfig::from_json(r#"{"ops": ["conv7x7"]}"#).is_err());
        let err = SearchConfig::from_json(r#"{"popsize": 3}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("popsize"), "{err}");
    }

    #[test]
    fn pareto_selection_is_for_evolution_only() {
        let evolution = r#"{"strategy": "regularized", "selection": "pareto"}"#;
        assert_eq!(
            SearchConfig::from_json(evolution).unwrap().selection,
            Selection::Pareto
        );

        let err = SearchConfig::from_json(r#"{"strategy": "random", "selection": "pareto"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("selection: \"pareto\""), "{err}");
        let err = SearchConfig::from_json(r#"{"selection": "nsga"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("nsga"), "{err}");
    }

    #[test]
    fn predictor_settings_are_checked_against_their_ranges_and_the_budget() {
        let config = SearchConfig::from_json(r#"{"strategy": "predictor"}"#).unwrap();
        assert_eq!(config.planned_evaluations(), config.candidates);

        let err = SearchConfig::from_json(
            r#"{"strategy": "predictor", "candidates": 3, "initial_candidates": 4}"#,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "initial_candidates must be between 1 and 3, got 4"
        );
        assert!(SearchConfig::from_json(r#"{"candidates": 3}"#).is_ok());
        let err = SearchConfig::from_json(r#"{"kappa": -1}"#).unwrap_err();
        assert_eq!(err.to_string(), "kappa must be between 0 and 10, got -1");
        assert!(SearchConfig::from_json(r#"{"pool_size": 0}"#).is_err());
    }

    #[test]
    fn pareto_selection_is_rejected_by_the_predictor_too() {
        let json = r#"{"strategy": "predictor", "selection": "pareto"}"#;
        let err = SearchConfig::from_json(json).unwrap_err().to_string();
        assert!(err.contains("predictor search has none"), "{err}");
    }

    #[test]
    fn empty_op_set_and_nan_rate_are_rejected() {
        assert!(SearchConfig::from_json(r#"{"ops": []}"#).is_err());
        let config = SearchConfig {
            learning_rate: f64::NAN,
            ..Default::default()
        };
        assert!(config.validate().is_err());
    }
}
