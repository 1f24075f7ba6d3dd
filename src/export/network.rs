//! What can be exported: a chain architecture or a DARTS cell's genotype,
//! read from either text form, with the shape of the problem it is built for.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::search::check;
use crate::space::{Architecture, Cost, Genotype, NetShape};
use crate::train::Design;

/// The largest channel count, class count or image side an export accepts.
const MAX_DIMENSION: usize = 4096;

/// A design as the engine builds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Network {
    /// Stem, the ops in order, pool, linear head (`ChainNet`).
    Chain(Architecture),
    /// Stem, one cell of kept edges, pool, linear head (`CellNet`).
    Cell(Genotype),
}

impl Network {
    /// `"chain"` or `"cell"`, as the JSON export names the kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Network::Chain(_) => "chain",
            Network::Cell(_) => "cell",
        }
    }

    /// Exact trainable parameters and FLOPs, as the engine counts them.
    pub fn cost(&self, shape: &NetShape) -> Cost {
        match self {
            Network::Chain(arch) => arch.cost(shape),
            Network::Cell(genotype) => genotype.cost(shape),
        }
    }
}

impl FromStr for Network {
    type Err = Error;

    /// A cell's text form has `=` (`n1 = conv3x3(n0) | ...`); anything else
    /// is read as a chain (`conv3x3,identity`).
    fn from_str(text: &str) -> Result<Self> {
        match text.contains('=') {
            true => text.parse().map(Network::Cell),
            false => text.parse().map(Network::Chain),
        }
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Network::Chain(arch) => arch.fmt(f),
            Network::Cell(genotype) => genotype.fmt(f),
        }
    }
}

/// Every dimension of `shape` from 1 to 4096; the first bad one is named.
pub fn check_shape(shape: &NetShape) -> Result<()> {
    let range = (1, MAX_DIMENSION);
    check("in_channels", shape.in_channels, range)?;
    check("classes", shape.classes, range)?;
    check("width", shape.width, range)?;
    check("input_size", shape.input_size, range)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_with_an_equals_sign_is_a_cell_and_without_one_a_chain() {
        let chain: Network = "conv3x3,identity".parse().unwrap();
        let cell: Network = "n1 = conv3x3(n0) | n2 = identity(n1)".parse().unwrap();
        assert_eq!((chain.kind(), cell.kind()), ("chain", "cell"));
        assert_eq!(cell.to_string(), "n1 = conv3x3(n0) | n2 = identity(n1)");
    }

    #[test]
    fn chain_cost_is_the_network_cost() {
        let shape = NetShape {
            in_channels: 3,
            ..NetShape::DIGITS
        };
        let net: Network = "conv3x3,max_pool3x3,conv5x5,identity".parse().unwrap();
        assert_eq!(net.cost(&shape).params, 36_298);
    }

    #[test]
    fn a_zero_dimension_is_named() {
        let shape = NetShape {
            classes: 0,
            ..NetShape::DIGITS
        };
        let err = check_shape(&shape).unwrap_err().to_string();
        assert_eq!(err, "classes must be between 1 and 4096, got 0");
        check_shape(&NetShape::DIGITS).unwrap();
    }
}
