//! Every colour the charts use, in one place.
//!
//! The hues are the Okabe–Ito set, chosen because they stay distinct for the common
//! forms of colour blindness; markers also differ in shape, so no chart relies on
//! hue alone.

use plotters::style::RGBColor;

/// Text, axes and outlines.
pub(super) const INK: RGBColor = RGBColor(34, 34, 34);
/// Secondary text: notes under a chart, the empty-chart message.
pub(super) const MUTED: RGBColor = RGBColor(102, 102, 102);
/// Grid lines behind the data.
pub(super) const GRID: RGBColor = RGBColor(228, 228, 228);
/// The page behind every chart.
pub(super) const PAPER: RGBColor = RGBColor(255, 255, 255);

pub(super) const BLUE: RGBColor = RGBColor(0, 114, 178);
pub(super) const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub(super) const GREEN: RGBColor = RGBColor(0, 158, 115);
pub(super) const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub(super) const PURPLE: RGBColor = RGBColor(204, 121, 167);
pub(super) const SKY: RGBColor = RGBColor(86, 180, 233);
/// Parts of a network that the search does not choose (stem, head).
pub(super) const NEUTRAL: RGBColor = RGBColor(150, 150, 150);

/// Failed candidates; vermillion is kept out of [`SERIES`] so a failure never
/// looks like a data series.
pub(super) const FAILED: RGBColor = VERMILLION;

/// Colours for data series, in the order series are given.
const SERIES: [RGBColor; 5] = [BLUE, ORANGE, PURPLE, SKY, GREEN];

/// The colour of the `index`-th series; cycles when there are more series than hues.
pub(super) fn series_color(index: usize) -> RGBColor {
    SERIES[index % SERIES.len()]
}
