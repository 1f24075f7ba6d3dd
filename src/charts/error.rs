//! The one error type of the charts: what went wrong while reading chart data or drawing it.

use plotters::drawing::DrawingAreaErrorKind;

/// Why a chart could not be drawn.
///
/// Awkward data (empty, NaN, out of range) is not an error: the chart says so on
/// the canvas. Errors are kept for what the caller must fix: data of the wrong
/// shape, a chart name that does not exist, or a backend that refused to draw.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The JSON did not parse into the data the chart `kind` expects.
    #[error("chart data for \"{kind}\" is not valid JSON of the expected shape: {detail}")]
    BadData {
        /// The chart the data was for.
        kind: String,
        /// What the JSON parser found wrong, with line and column.
        detail: String,
    },
    /// No chart has this name; the second field lists the known names.
    #[error("unknown chart \"{0}\"; known charts: {1}")]
    UnknownKind(String, String),
    /// The drawing backend (canvas, SVG) reported an error.
    #[error("drawing failed: {0}")]
    Draw(String),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(error: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw(error.to_string())
    }
}
