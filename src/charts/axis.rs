//! Numeric axes: their ranges, tick labels and drawing.
//!
//! Ranges stay drawable whatever the data: plotters asserts on NaN ranges and
//! divides by empty ones, so every range a chart uses comes from here.

use std::ops::Range;

use plotters::chart::{ChartBuilder, ChartContext};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::{Cartesian2d, DrawingArea, DrawingBackend};

use super::style::{AXIS_FONT, ChartStyle, TICK_FONT};
use super::{ChartError, palette};

/// Spans narrower than this mean that all values are equal.
const TINY: f64 = 1e-9;

/// A range for counts measured from zero (parameters, FLOPs): it holds 0 and
/// every value, with `headroom` (a fraction of the span) above the largest value
/// so markers and labels are not cut off, and a sliver below zero so markers at
/// zero clear the axis line. All zeros get the range 0 to 10.
///
/// Values must be finite. `None` when the span itself overflows (values near
/// `f64::MAX`), which no axis can show.
pub(super) fn from_zero(
    values: impl IntoIterator<Item = f64>,
    headroom: f64,
) -> Option<Range<f64>> {
    let (lo, hi) = values
        .into_iter()
        .fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let hi = if hi - lo < TINY { lo + 10.0 } else { hi };
    let span = hi - lo;
    if !span.is_finite() {
        return None;
    }

    let below = if lo < 0.0 {
        span * headroom
    } else {
        span * 0.03
    };
    let range = lo - below..hi + span * headroom;
    (range.start.is_finite() && range.end.is_finite()).then_some(range)
}

/// The x range for items numbered 1 to `count` (evaluations, generations), with
/// room on both sides so the first and last points do not sit on the frame.
pub(super) fn numbered(count: usize) -> Range<f64> {
    let pad = (count as f64 * 0.02).max(0.5);
    1.0 - pad..count.max(1) as f64 + pad
}

/// The range of a fraction (accuracy, diversity), with a sliver below zero so
/// points at 0 stay visible above the axis line.
pub(super) fn unit() -> Range<f64> {
    -0.04..1.04
}

/// Whether `v` is a fraction a chart can draw: finite and within [0, 1].
pub(super) fn is_fraction(v: f64) -> bool {
    (0.0..=1.0).contains(&v)
}

/// Tick label for a count of things (evaluation 3, 9.25k parameters); blank
/// between whole numbers, where a label such as "2.5" would make no sense.
pub(super) fn whole(v: f64) -> String {
    if (v - v.round()).abs() <= 1e-6 * v.abs().max(1.0) {
        compact(v.round())
    } else {
        String::new()
    }
}

/// Tick label for a fraction with at most `decimals` decimals: "0", "0.2",
/// "0.875"; blank outside [0, 1], which the axis shows only as padding.
pub(super) fn fraction_to(v: f64, decimals: usize) -> String {
    if !(-1e-9..=1.0 + 1e-9).contains(&v) {
        return String::new();
    }
    let text = format!("{:.*}", decimals, v.abs());
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    text.to_string()
}

/// Tick label for a measured value (milliseconds, say) with at most
/// `decimals` decimals: "0", "0.35", "12.5"; large values are shortened as by
/// [`compact`].
pub(super) fn number_to(v: f64, decimals: usize) -> String {
    if v.abs() >= 1e3 {
        return compact(v);
    }
    let text = format!("{v:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    if text == "-0" { "0" } else { text }.to_string()
}

/// Enough decimals to tell apart the ticks on an axis spanning `span`; trailing
/// zeros are trimmed, so a generous count costs nothing.
pub(super) fn decimals_for(span: f64) -> usize {
    let needed = (-(span / 20.0).log10()).ceil();
    if needed.is_finite() {
        needed.clamp(1.0, 6.0) as usize
    } else {
        6
    }
}

/// Tick label for a large count, shortened with k, M, G so it fits beside the
/// axis: 9248 → "9.25k", 2359296 → "2.36M".
pub(super) fn compact(v: f64) -> String {
    let magnitude = v.abs();
    let (scaled, suffix) = match magnitude {
        m if m >= 1e12 => return format!("{v:.1e}"),
        m if m >= 1e9 => (v / 1e9, "G"),
        m if m >= 1e6 => (v / 1e6, "M"),
        m if m >= 1e3 => (v / 1e3, "k"),
        _ => (v, ""),
    };
    let text = format!("{scaled:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let text = if text == "-0" { "0" } else { text };
    format!("{text}{suffix}")
}

/// A chart with numeric axes, the only kind the charts draw.
pub(super) type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Sets up numeric axes over `x` and `y` in `area`, leaving room for tick labels
/// and axis titles at the chart's scale.
pub(super) fn cartesian<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x: Range<f64>,
    y: Range<f64>,
    style: &ChartStyle,
) -> Result<Chart<'a, DB>, ChartError> {
    let chart = ChartBuilder::on(area)
        .margin_top(style.px(4.0))
        .margin_bottom(style.px(6.0))
        .margin_left(style.px(10.0))
        .margin_right(style.px(24.0))
        .x_label_area_size(style.px(46.0))
        .y_label_area_size(style.px(60.0))
        .build_cartesian_2d(x, y)?;
    Ok(chart)
}

/// What an axis counts, which decides its tick labels.
#[derive(Debug, Clone, Copy)]
pub(super) enum Ticks {
    /// Whole things (evaluations, candidates, parameters) up to about the given
    /// largest value: whole-number labels only, shortened to "9.25k" or "2.36M".
    Count(f64),
    /// Numbered items (rounds) from 1 to the given last one: whole-number
    /// labels, none beyond the last, where the plot only makes room for names.
    Upto(f64),
    /// Fractions in [0, 1] with at most the given decimals.
    Fraction(usize),
    /// Measured values of any size (milliseconds) with at most the given decimals.
    Number(usize),
}

impl Ticks {
    /// The most labels worth drawing: counts never get a tick between two whole
    /// numbers.
    fn most(self) -> usize {
        match self {
            Ticks::Count(largest) | Ticks::Upto(largest) if largest.is_finite() => {
                (largest.max(0.0) as usize).saturating_add(1)
            }
            Ticks::Count(_) | Ticks::Upto(_) | Ticks::Fraction(_) | Ticks::Number(_) => usize::MAX,
        }
    }

    fn label(self, v: f64) -> String {
        match self {
            Ticks::Count(_) => whole(v),
            Ticks::Upto(last) if v > last + 1e-6 => String::new(),
            Ticks::Upto(_) => whole(v),
            Ticks::Fraction(decimals) => fraction_to(v, decimals),
            Ticks::Number(decimals) => number_to(v, decimals),
        }
    }
}

/// Titles and tick labels of a chart's two axes.
pub(super) struct Axes<'t> {
    pub x_title: &'t str,
    pub y_title: &'t str,
    pub x_ticks: Ticks,
    pub y_ticks: Ticks,
}

/// Draws the axes, their titles and a light grid, with as many tick labels as the
/// area holds without crowding.
pub(super) fn draw_axes<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    axes: &Axes<'_>,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let (width, height) = chart.plotting_area().dim_in_pixel();
    let x_room = (width as i32 / style.px(70.0).max(1)).clamp(2, 10) as usize;
    let y_room = (height as i32 / style.px(40.0).max(1)).clamp(2, 10) as usize;
    let x_label = |v: &f64| axes.x_ticks.label(*v);
    let y_label = |v: &f64| axes.y_ticks.label(*v);

    chart
        .configure_mesh()
        .x_desc(axes.x_title)
        .y_desc(axes.y_title)
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .x_labels(x_room.min(axes.x_ticks.most()))
        .y_labels(y_room.min(axes.y_ticks.most()))
        .max_light_lines(0)
        .bold_line_style(style.stroke(palette::GRID, 1.0))
        .axis_style(style.stroke(palette::INK, 1.0))
        .set_all_tick_mark_size(style.px(4.0))
        .label_style(style.font(TICK_FONT))
        .axis_desc_style(style.font(AXIS_FONT))
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_from_zero_holds_zero_and_every_value_with_headroom() {
        let range = from_zero([10.0, 40.0], 0.1).unwrap();

        assert!(range.start < 0.0 && range.start > -2.0, "{range:?}");
        assert!(range.end > 40.0);
    }

    #[test]
    fn a_range_from_zero_over_all_zeros_is_not_empty() {
        let range = from_zero([0.0, 0.0], 0.1).unwrap();

        assert!(range.start < 0.0 && range.end >= 10.0, "{range:?}");
    }

    #[test]
    fn a_range_from_zero_extends_below_zero_for_negative_values() {
        let range = from_zero([-5.0, 5.0], 0.1).unwrap();

        assert!(range.start < -5.0 && range.end > 5.0);
    }

    #[test]
    fn a_range_whose_span_overflows_is_refused() {
        assert_eq!(from_zero([f64::MAX, -f64::MAX], 0.1), None);
        assert_eq!(from_zero([f64::MAX], 0.1), None);
    }

    #[test]
    fn numbered_items_get_room_around_the_first_and_last() {
        let one = numbered(1);
        let many = numbered(10_000);

        assert!(one.start < 1.0 && one.end > 1.0);
        assert!(many.start < 1.0 && many.end > 10_000.0);
    }

    #[test]
    fn large_counts_are_shortened_with_a_suffix() {
        assert_eq!(compact(0.0), "0");
        assert_eq!(compact(950.0), "950");
        assert_eq!(compact(9248.0), "9.25k");
        assert_eq!(compact(2_359_296.0), "2.36M");
        assert_eq!(compact(3.0e9), "3G");
        assert_eq!(compact(-2000.0), "-2k");
    }

    #[test]
    fn fractions_drop_trailing_zeros_and_padding_has_no_label() {
        assert_eq!(fraction_to(0.0, 2), "0");
        assert_eq!(fraction_to(0.2, 2), "0.2");
        assert_eq!(fraction_to(1.0, 2), "1");
        assert_eq!(fraction_to(-0.04, 2), "");
    }

    #[test]
    fn measured_values_drop_trailing_zeros_and_large_ones_are_shortened() {
        assert_eq!(number_to(0.0, 2), "0");
        assert_eq!(number_to(-0.001, 2), "0");
        assert_eq!(number_to(0.35, 2), "0.35");
        assert_eq!(number_to(2.5, 1), "2.5");
        assert_eq!(number_to(12.0, 3), "12");
        assert_eq!(number_to(2500.0, 1), "2.5k");
    }

    #[test]
    fn a_narrow_axis_gets_more_decimals() {
        assert_eq!(fraction_to(0.875, decimals_for(0.05)), "0.875");
        assert_eq!(fraction_to(0.8, decimals_for(1.0)), "0.8");
    }

    #[test]
    fn numbered_items_have_no_label_beyond_the_last() {
        assert_eq!(Ticks::Upto(6.0).label(6.0), "6");
        assert_eq!(Ticks::Upto(6.0).label(8.0), "");
        assert_eq!(Ticks::Upto(6.0).label(2.5), "");
    }

    #[test]
    fn only_whole_numbers_get_a_tick_label() {
        assert_eq!(whole(3.0), "3");
        assert_eq!(whole(2.5), "");
        assert_eq!(whole(10_000.0), "10k");
    }
}
