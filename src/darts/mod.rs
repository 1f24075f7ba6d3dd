//! Differentiable architecture search (DARTS, first order): a supernet whose
//! cell edges mix every op by softmax(α), trained by alternating a weight step
//! on the training split with an α step on the validation split; then the
//! discrete cell α points to, retrained from scratch.

mod adam;
mod alphas;
mod checkpoint;
mod config;
mod derive;
mod run;
mod snapshot;

pub use alphas::{Alphas, initial_alpha, softmax_rows};
pub use config::{DartsConfig, darts_limits};
pub use derive::{Derivation, EDGES_PER_NODE, EdgeChoice, UNDECIDED_TOLERANCE, derive_genotype};
pub use run::{DartsReport, DartsRun, DartsSummary, EpochRecord, Phase};
