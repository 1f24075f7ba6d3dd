//! The chain search space: ops, architectures and their exact costs.

mod architecture;
mod cost;
mod op;

pub use architecture::{Architecture, Crossover};
pub use cost::{Cost, NetShape, network_cost};
pub use op::{Op, OpKind};
