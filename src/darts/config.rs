//! The settings of one DARTS run, with their accepted ranges.

use serde::{Deserialize, Serialize};

use crate::data::DEFAULT_LIMIT;
use crate::error::{Error, Result};
use crate::search::{check, check_float, limits};
use crate::space::{MAX_CELL_NODES, Op};
use crate::train::Budget;

/// Everything a DARTS run needs; one seed decides the split, α's start, the
/// weights and the batch order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DartsConfig {
    pub seed: u64,
    pub dataset: String,
    /// At most this many images of the dataset, a seeded class-stratified sample.
    pub limit: usize,
    /// The candidate ops every edge mixes.
    pub ops: Vec<Op>,
    /// Nodes of the cell, the input node included.
    pub nodes: usize,
    /// Channels of the stem and of every op.
    pub width: usize,
    /// Search epochs: passes over the training split.
    pub epochs: usize,
    /// Images per step, for both the weight and the α step, and for retraining.
    pub batch_size: usize,
    /// Adam's learning rate for the network weights (search and retraining).
    pub weight_lr: f64,
    /// Adam's learning rate for α.
    pub alpha_lr: f64,
    /// At most this many identity edges in the genotype; `None` keeps what α chose.
    pub identity_cap: Option<usize>,
    /// Epochs to train the derived cell from scratch.
    pub retrain_epochs: usize,
}

impl Default for DartsConfig {
    /// Chosen so that a run on digits 8x8 finishes in a few minutes on the
    /// browser's CPU backend (see README for measured times).
    fn default() -> Self {
        Self {
            seed: 1,
            dataset: "digits".into(),
            limit: DEFAULT_LIMIT,
            ops: Op::ALL.to_vec(),
            nodes: 4,
            width: 8,
            epochs: 6,
            batch_size: 64,
            weight_lr: 0.005,
            alpha_lr: 0.01,
            identity_cap: None,
            retrain_epochs: 4,
        }
    }
}

/// Accepted ranges beyond those shared with the other searches.
pub mod darts_limits {
    pub const WIDTH: (usize, usize) = (2, 64);
    pub const EPOCHS: (usize, usize) = (1, 50);
    pub const BATCH_SIZE: (usize, usize) = (2, 512);
}

impl DartsConfig {
    /// Parses JSON settings; unknown keys and wrong types are errors that name the key.
    pub fn from_json(json: &str) -> Result<Self> {
        let config: Self =
            serde_json::from_str(json).map_err(|e| Error::bad_setting("DARTS settings", e))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks every setting against its range; the first bad one is named.
    pub fn validate(&self) -> Result<()> {
        check("nodes", self.nodes, (2, MAX_CELL_NODES))?;
        check("limit", self.limit, limits::LIMIT)?;
        check("width", self.width, darts_limits::WIDTH)?;
        check("epochs", self.epochs, darts_limits::EPOCHS)?;
        check("batch_size", self.batch_size, darts_limits::BATCH_SIZE)?;
        check("retrain_epochs", self.retrain_epochs, limits::EPOCHS)?;
        check_float("weight_lr", self.weight_lr, limits::LEARNING_RATE)?;
        check_float("alpha_lr", self.alpha_lr, limits::LEARNING_RATE)?;
        if self.ops.is_empty() {
            return Err(Error::bad_setting("ops", "enable at least one op"));
        }
        let mut unique = self.ops.clone();
        unique.sort();
        unique.dedup();
        if unique.len() != self.ops.len() {
            return Err(Error::bad_setting("ops", "each op may be listed once"));
        }
        crate::data::check_dataset(&self.dataset)
    }

    /// The enabled ops in canonical order: α's columns, and the order in
    /// which ties are broken.
    pub fn canonical_ops(&self) -> Vec<Op> {
        Op::ALL
            .into_iter()
            .filter(|op| self.ops.contains(op))
            .collect()
    }

    /// The budget the derived cell is retrained with.
    pub fn retrain_budget(&self) -> Budget {
        Budget {
            epochs: self.retrain_epochs,
            batch_size: self.batch_size,
            learning_rate: self.weight_lr,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        DartsConfig::default().validate().unwrap();
    }

    #[test]
    fn bad_settings_are_named() {
        let err = DartsConfig::from_json(r#"{"nodes": 9}"#).unwrap_err();
        assert_eq!(err.to_string(), "nodes must be between 2 and 6, got 9");
        let err = DartsConfig::from_json(r#"{"alpha_rate": 1}"#).unwrap_err();
        assert!(err.to_string().contains("alpha_rate"), "{err}");
        assert!(DartsConfig::from_json(r#"{"ops": []}"#).is_err());
        assert!(DartsConfig::from_json(r#"{"ops": ["identity", "identity"]}"#).is_err());
    }

    #[test]
    fn canonical_order_ignores_the_given_order() {
        let config = DartsConfig {
            ops: vec![Op::Identity, Op::Conv3x3],
            ..Default::default()
        };
        assert_eq!(config.canonical_ops(), [Op::Conv3x3, Op::Identity]);
    }
}
