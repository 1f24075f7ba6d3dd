//! The NAS-Bench-201 cell space beside the chain: 15,625 cells whose CIFAR-10
//! results, sizes and device latencies come from a bundled benchmark table,
//! so a search looks each candidate up instead of training it.

mod cell;
mod compare;
mod device;
mod devices;
mod op;
mod parse;
mod predictor_search;
mod predictor_settings;
mod search;
mod table;
mod variation;

#[cfg(test)]
mod tests;

pub use cell::{CELL_COUNT, Cell, EDGE_COUNT, EDGES};
pub use compare::{
    MAX_SEEDS, RoundSummary, SeedSummary, compare_strategies, median, over_seeds, quantile,
    summarise_runs,
};
pub use device::Nb201Device;
pub use devices::{best_within, most_accurate};
pub use op::EdgeOp;
pub use predictor_search::{PROBE_CELLS, PredictorSearch, run_predictor};
pub use predictor_settings::{MAX_KAPPA, MAX_PER_ROUND, PredictorSettings, RoundQuality};
pub use search::{
    LookupRun, LookupSearch, LookupSettings, LookupStrategy, MAX_POPULATION, MAX_QUERIES, Query,
    run_lookup,
};
pub use table::{Row, RowOnDevice, TABLE_NAME, Table};
pub use variation::{CellCrossover, Mutation};
