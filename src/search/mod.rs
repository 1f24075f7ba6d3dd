//! Search strategies over the chain space and the step machine that runs them.

mod config;
mod evolution;
mod fixed;
mod pool;
mod predictor;
mod random;
mod regularized;
mod run;
mod selection;
mod strategy;

pub use config::{SearchConfig, StrategyKind, limits};
pub(crate) use config::{check, check_float};
pub use evolution::{Evolution, EvolutionSettings, select_parents};
pub use predictor::{PredictorSearch, PredictorSettings};
pub use random::RandomSearch;
pub use regularized::RegularizedEvolution;
pub use run::{SearchRun, StepReport, candidate_seed};
pub use selection::Selection;
pub use strategy::{GenerationStats, Proposal, Strategy, summarize};

#[cfg(test)]
mod tests;
