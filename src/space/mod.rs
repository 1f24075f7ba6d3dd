//! The search spaces: ops, chain architectures, DARTS cells and their exact costs.

mod architecture;
mod cost;
mod genotype;
mod op;

pub use architecture::{Architecture, Crossover};
pub use cost::{Cost, NetShape, network_cost};
pub use genotype::{CellEdge, Genotype, MAX_CELL_NODES};
pub use op::{Op, OpKind};
