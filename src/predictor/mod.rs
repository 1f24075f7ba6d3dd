//! Predictor-based search: learn to guess an architecture's accuracy from the
//! ones evaluated so far, and spend real evaluations where the guess pays.

mod chain;
mod encoding;
mod ensemble;
mod members;
mod proxy;
mod quality;
mod rank;
mod scaling;

pub use chain::ChainEncoding;
pub use encoding::{CELL_FEATURES, encode_cell};
pub use ensemble::{Ensemble, EnsembleSettings, Guess, upper_confidence};
pub use proxy::grad_norm;
pub use quality::{Agreement, Quality, RoundQuality, chain_quality};
pub use rank::{kendall_tau, spearman_rho};

#[cfg(test)]
mod tests;
