//! Legends: the box in a corner of a chart that names its series, and the small
//! icons that stand for them.

use std::ops::Range;

use plotters::chart::SeriesLabelPosition;
use plotters::prelude::{
    Circle, Color, Cross, DrawingBackend, IntoDynElement, PathElement, Rectangle,
};
use plotters::style::RGBColor;

use super::axis::Chart;
use super::style::{ChartStyle, LEGEND_FONT};
use super::{ChartError, palette};

/// A point in device pixels, as plotters hands it to legend icons.
pub(super) type Pixel = (i32, i32);

/// Draws the legend of the labelled series in a corner of the plot.
pub(super) fn draw<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart<'a, DB>,
    corner: SeriesLabelPosition,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    chart
        .configure_series_labels()
        .position(corner)
        .margin(style.px(10.0))
        .legend_area_size(style.px(26.0))
        .label_font(style.font(LEGEND_FONT))
        .background_style(palette::PAPER.mix(0.9))
        .border_style(style.stroke(palette::GRID, 1.0))
        .draw()?;
    Ok(())
}

/// The corner of the plot over `x` and `y` that holds the fewest of `points`:
/// where the legend hides the least data. Ties go to the upper left, then the
/// lower right.
pub(super) fn quietest_corner(
    points: impl IntoIterator<Item = (f64, f64)>,
    x: &Range<f64>,
    y: &Range<f64>,
) -> SeriesLabelPosition {
    use SeriesLabelPosition::{LowerLeft, LowerRight, UpperLeft, UpperRight};

    /// How far into the plot, as a fraction of each axis, a legend reaches.
    const REACH: f64 = 0.35;
    let mut corners = [
        (UpperLeft, 0),
        (LowerRight, 0),
        (UpperRight, 0),
        (LowerLeft, 0),
    ];
    for (px, py) in points {
        let across = (px - x.start) / (x.end - x.start);
        let up = (py - y.start) / (y.end - y.start);
        let (left, right) = (across < REACH, across > 1.0 - REACH);
        let (lower, upper) = (up < REACH, up > 1.0 - REACH);
        let hits = [upper && left, lower && right, upper && right, lower && left];
        for ((_, count), hit) in corners.iter_mut().zip(hits) {
            *count += usize::from(hit);
        }
    }
    corners
        .into_iter()
        .min_by_key(|(_, count)| *count)
        .map_or(UpperLeft, |(corner, _)| corner)
}

/// Adds a legend entry that no drawn series carries, so a legend can list a
/// series that has several parts (a line broken at gaps) exactly once.
pub(super) fn entry<'a, DB, E, F>(
    chart: &mut Chart<'a, DB>,
    label: &str,
    icon: F,
) -> Result<(), ChartError>
where
    DB: DrawingBackend + 'a,
    E: IntoDynElement<'a, DB, Pixel>,
    F: Fn(Pixel) -> E + 'a,
{
    chart
        .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())?
        .label(label)
        .legend(icon);
    Ok(())
}

/// Legend icon: a short line, for series drawn as lines.
pub(super) fn line_icon(
    color: RGBColor,
    style: &ChartStyle,
) -> impl Fn(Pixel) -> PathElement<Pixel> {
    let (length, stroke) = (style.px(18.0), style.stroke(color, 2.5));
    move |(x, y)| PathElement::new(vec![(x, y), (x + length, y)], stroke)
}

/// Legend icon: a filled dot, for series drawn as points.
pub(super) fn dot_icon(
    color: RGBColor,
    style: &ChartStyle,
) -> impl Fn(Pixel) -> Circle<Pixel, i32> {
    let (offset, radius) = (style.px(9.0), style.px(5.0));
    move |(x, y)| Circle::new((x + offset, y), radius, color.filled())
}

/// Legend icon: a filled square, for bars.
pub(super) fn box_icon(color: RGBColor, style: &ChartStyle) -> impl Fn(Pixel) -> Rectangle<Pixel> {
    let (side, half) = (style.px(14.0), style.px(7.0));
    move |(x, y)| {
        Rectangle::new(
            [(x + 2, y - half), (x + 2 + side, y + half)],
            color.filled(),
        )
    }
}

/// Legend icon: a cross, the marker of failed candidates.
pub(super) fn cross_icon(
    color: RGBColor,
    style: &ChartStyle,
) -> impl Fn(Pixel) -> Cross<Pixel, i32> {
    let (offset, size, stroke) = (style.px(9.0), style.px(5.0), style.stroke(color, 2.0));
    move |(x, y)| Cross::new((x + offset, y), size, stroke)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legend_goes_to_the_corner_with_the_fewest_points() {
        let rising = (0..10).map(|i| (i as f64, i as f64));

        let corner = quietest_corner(rising.chain([(0.0, 9.0)]), &(0.0..9.0), &(0.0..9.0));

        assert!(matches!(corner, SeriesLabelPosition::LowerRight));
    }

    #[test]
    fn an_empty_plot_puts_the_legend_upper_left() {
        let corner = quietest_corner([], &(0.0..1.0), &(0.0..1.0));

        assert!(matches!(corner, SeriesLabelPosition::UpperLeft));
    }
}
