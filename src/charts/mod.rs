//! The playground's charts, drawn with plotters on any `DrawingBackend`: a
//! canvas in the browser, SVG in native tests and the CLI.
//!
//! Each chart is one `draw_*` function taking its data struct; [`draw_json`]
//! picks one by name and reads its data from JSON, which is how the page asks
//! for charts. No data makes a chart panic: empty, single, equal, NaN and
//! infinite values are drawn, or left out with a note, or replaced by a centred
//! message that says what to do.
//!
//! # Known limits
//! - In the browser, plotters measures text by adding a `<span>` to the page's
//!   `document`, and panics where there is none: draw on the main thread, not in
//!   a Web Worker or on an `OffscreenCanvas` there.
//! - Native SVG output has no font files, so text widths are estimates (a little
//!   generous); a canvas measures real text. Layouts such as where the
//!   architecture graph wraps can differ slightly between the two.

mod alpha_heatmap;
mod axis;
mod best_so_far;
mod cell_graph;
mod darts_lines;
mod error;
mod evolution;
mod frame;
mod graph;
mod histogram;
mod json;
mod labels;
mod latency_bars;
mod legend;
mod op_frequency;
mod op_kind;
mod op_positions;
mod palette;
mod pareto_points;
mod pareto_scatter;
mod predicted_vs_true;
mod rank_quality;
mod rows;
mod scatter;
mod series;
mod strategy_race;
mod style;
#[cfg(test)]
mod testing;
mod top_ops;

pub use alpha_heatmap::{AlphaHeatmapData, draw_alpha_heatmap};
pub use best_so_far::{BestSoFarData, draw_best_so_far};
pub use cell_graph::{CellGraphData, CellGraphEdge, draw_cell_graph};
pub use darts_lines::{AlphaLinesData, DartsCurvesData, draw_alpha_lines, draw_darts_curves};
pub use error::ChartError;
pub use evolution::{
    DiversityData, EvolutionProgressData, draw_diversity, draw_evolution_progress,
};
pub use graph::{ArchGraphData, draw_arch_graph};
pub use histogram::{AccuracyHistogramData, draw_accuracy_histogram};
pub use json::{CHART_KINDS, draw_json, draw_json_points};
pub use latency_bars::{LatencyBarsData, LatencySeries, draw_latency_bars};
pub use op_frequency::draw_op_frequency;
pub use op_kind::OpKind;
pub use op_positions::draw_op_positions;
pub use pareto_points::{ParetoPoint, ParetoScatterData};
pub use pareto_scatter::{PointPosition, draw_pareto_scatter};
pub use predicted_vs_true::{PredictedVsTrueData, draw_predicted_vs_true};
pub use rank_quality::{RankQualityData, draw_rank_quality};
pub use scatter::{OpCost, OpsScatterData, draw_ops_scatter};
pub use series::AccuracySeries;
pub use strategy_race::{RaceCurves, StrategyRaceData, draw_strategy_race};
pub use style::ChartStyle;
pub use top_ops::TopArchitecturesData;
