//! What every chart shares: the page with its title, the line of notes about
//! skipped data, the centred message that replaces a chart with nothing to show,
//! and lines of fractions.

use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::{
    Circle, Color, DrawingArea, DrawingBackend, IntoDrawingArea, LineSeries, Text,
};
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::Chart;
use super::series::fraction_runs;
use super::style::{ChartStyle, MESSAGE_FONT, NOTE_FONT, TITLE_FONT};
use super::{ChartError, palette};

/// A rectangle in device pixels: left, top, right, bottom.
pub(super) type Bounds = (i32, i32, i32, i32);

/// What a chart says when its area is too small for axes.
pub(super) const TOO_SMALL: &str = "Too small to draw this chart";

/// Below this size (CSS pixels, title excluded) axes and labels would overlap
/// into noise, so charts draw only their message.
const MIN_WIDTH: f64 = 200.0;
const MIN_HEIGHT: f64 = 110.0;

/// Clears the backend, draws `title` on top and `notes` along the bottom, and
/// returns the area left for the chart between them.
///
/// Notes say what data was left out and why, so a chart never silently hides a
/// value.
pub(super) fn page<DB: DrawingBackend>(
    backend: DB,
    title: &str,
    notes: &[String],
    style: &ChartStyle,
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    let root = backend.into_drawing_area();
    root.fill(&palette::PAPER)?;
    let (width, height) = root.dim_in_pixel();
    let (width, height) = (width as i32, height as i32);

    let title_font = style
        .font(TITLE_FONT)
        .pos(Pos::new(HPos::Center, VPos::Top));
    root.draw(&Text::new(
        title.to_string(),
        (width / 2, style.px(10.0)),
        title_font,
    ))?;
    let top = (style.px(TITLE_FONT + 22.0)).min(height / 3);
    let (_, below_title) = root.split_vertically(top);
    if notes.is_empty() {
        return Ok(below_title);
    }

    let note_height = style.px(NOTE_FONT + 12.0).min(height / 4);
    let (plot, footer) = below_title.split_vertically(height - top - note_height);
    let note_font = style
        .font_in(NOTE_FONT, palette::MUTED)
        .pos(Pos::new(HPos::Left, VPos::Center));
    footer.draw(&Text::new(
        notes.join("; "),
        (style.px(12.0), note_height / 2),
        note_font,
    ))?;
    Ok(plot)
}

/// Whether `area` is too small to hold axes and labels readably.
pub(super) fn too_small<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    style: &ChartStyle,
) -> bool {
    let (width, height) = area.dim_in_pixel();
    (width as i32) < style.px(MIN_WIDTH) || (height as i32) < style.px(MIN_HEIGHT)
}

/// Draws `message` centred in `area` and finishes the chart: what a chart shows
/// when it has nothing to plot.
pub(super) fn notice<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    message: &str,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let (width, height) = area.dim_in_pixel();
    let font = style
        .font_in(MESSAGE_FONT, palette::MUTED)
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw(&Text::new(
        message.to_string(),
        (width as i32 / 2, height as i32 / 2),
        font,
    ))?;
    finish(area)
}

/// Hands the finished drawing to the backend (the SVG text, the canvas).
pub(super) fn finish<DB: DrawingBackend, CT: CoordTranslate>(
    area: &DrawingArea<DB, CT>,
) -> Result<(), ChartError> {
    area.present()?;
    Ok(())
}

/// Draws `points` as one line in `color`.
pub(super) fn draw_line<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    points: &[(f64, f64)],
    color: RGBColor,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    chart.draw_series(LineSeries::new(
        points.iter().copied(),
        style.stroke(color, 2.5),
    ))?;
    Ok(())
}

/// Draws the drawable fractions among `values` (x from 1) as a line broken at
/// gaps, with a dot on each value while there are few enough to tell apart: a
/// lone value would otherwise be invisible.
pub(super) fn draw_fractions<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    values: &[f64],
    color: RGBColor,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let radius = style.px(3.5);
    for run in fraction_runs(values) {
        draw_line(chart, &run, color, style)?;
        if values.len() <= 60 {
            chart.draw_series(run.iter().map(|&p| Circle::new(p, radius, color.filled())))?;
        }
    }
    Ok(())
}

/// "1 value" or "3 values": notes read as sentences.
pub(super) fn count_of(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
