//! Multi-objective comparison of candidates: Pareto fronts (exact under ties,
//! duplicates and NaN), non-dominated ranks with crowding distance, and the
//! 2-D hypervolume.

mod front;
mod hypervolume;
mod objective;
mod points;
mod sort;

#[cfg(test)]
mod testing;

pub use front::{Front, FrontPoint, front};
pub use hypervolume::{default_reference, hypervolume};
pub use objective::{Direction, Objective, Scored};
pub use points::{Excluded, Exclusion};
pub use sort::{Ranking, rank};
