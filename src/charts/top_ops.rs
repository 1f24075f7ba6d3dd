//! The top architectures as the analysis charts receive them, and the layout
//! those charts share: one row per op, names down the left, a numeric axis
//! along the bottom.

use std::ops::Range;

use plotters::chart::ChartBuilder;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, Text};
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::axis::Chart;
use super::style::{AXIS_FONT, TICK_FONT};
use super::{ChartError, ChartStyle, OpKind, axis, palette};

/// Data of the `"op_frequency"` and `"op_positions"` charts: the N best
/// architectures, best first, as op lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TopArchitecturesData {
    /// The ops to give a row, in order, even those no architecture uses (the
    /// search space's ops); ops found only in `architectures` follow them.
    #[serde(default)]
    pub ops: Vec<String>,
    /// Each architecture's ops, first layer first.
    pub architectures: Vec<Vec<String>>,
}

impl TopArchitecturesData {
    /// The ops that get a row: `ops`, then any other op the architectures use,
    /// in order of first use; blank names are not ops.
    pub(super) fn rows(&self) -> Vec<String> {
        let mut rows: Vec<String> = Vec::new();
        let named = self.ops.iter().chain(self.architectures.iter().flatten());
        for op in named {
            if !op.trim().is_empty() && !rows.contains(op) {
                rows.push(op.clone());
            }
        }
        rows
    }

    /// Layers over all architectures: the denominator of op frequencies.
    pub(super) fn positions(&self) -> usize {
        self.architectures.iter().map(Vec::len).sum()
    }

    /// "the top 5 architectures", "the top architecture".
    pub(super) fn top(&self) -> String {
        match self.architectures.len() {
            1 => "the top architecture".into(),
            n => format!("the top {n} architectures"),
        }
    }
}

/// The colour of an op's row: its family's, or neutral for a name of none.
pub(super) fn op_color(op: &str) -> RGBColor {
    OpKind::of_op(op).map_or(palette::NEUTRAL, OpKind::color)
}

/// Rows need this much height (CSS pixels) each to stay readable.
const MIN_ROW_HEIGHT: f64 = 14.0;

/// Sets up a chart with one row per name of `rows` (the first at the top, at
/// y = `rows.len() - 1`) over `x`, leaving room on the left for the longest
/// name; `None` when the rows would be too thin to read.
pub(super) fn row_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    rows: &[String],
    x: Range<f64>,
    style: &ChartStyle,
) -> Result<Option<Chart<'a, DB>>, ChartError> {
    let font = style.font(TICK_FONT);
    let mut widest = 0;
    for name in rows {
        widest = widest.max(area.estimate_text_size(name, &font)?.0 as i32);
    }
    let (width, height) = area.dim_in_pixel();
    let label_width = (widest + style.px(14.0)).min(width as i32 / 3);
    let plot_height = height as i32 - style.px(56.0);
    if plot_height < style.px(MIN_ROW_HEIGHT) * rows.len() as i32 {
        return Ok(None);
    }
    let chart = ChartBuilder::on(area)
        .margin_top(style.px(4.0))
        .margin_bottom(style.px(6.0))
        .margin_left(style.px(10.0))
        .margin_right(style.px(24.0))
        .x_label_area_size(style.px(46.0))
        .y_label_area_size(label_width.max(0) as u32)
        .build_cartesian_2d(x, -0.5..rows.len() as f64 - 0.5)?;
    Ok(Some(chart))
}

/// The y of the `index`-th row: the first row is drawn at the top.
pub(super) fn row_y(index: usize, rows: usize) -> f64 {
    rows as f64 - 1.0 - index as f64
}

/// Draws the x axis with whole-number tick labels up to `largest`, vertical grid
/// lines, and each row's name beside the left axis, on `area`, the area the
/// chart was built on (the plot itself clips anything left of its axis).
pub(super) fn draw_row_axes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut Chart<'_, DB>,
    rows: &[String],
    x_title: &str,
    largest: f64,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let (width, _) = chart.plotting_area().dim_in_pixel();
    let room = (width as i32 / style.px(60.0).max(1)).clamp(2, 10) as usize;
    let most = (largest.max(0.0) as usize).saturating_add(1);
    let label = |v: &f64| match *v <= largest {
        true => axis::whole(*v),
        false => String::new(),
    };
    chart
        .configure_mesh()
        .x_desc(x_title)
        .x_label_formatter(&label)
        .x_labels(room.min(most))
        .y_labels(0)
        .disable_y_mesh()
        .max_light_lines(0)
        .bold_line_style(style.stroke(palette::GRID, 1.0))
        .axis_style(style.stroke(palette::INK, 1.0))
        .set_all_tick_mark_size(style.px(4.0))
        .label_style(style.font(TICK_FONT))
        .axis_desc_style(style.font(AXIS_FONT))
        .draw()?;

    let (base_x, base_y) = area.get_base_pixel();
    let left = chart.plotting_area().get_pixel_range().0.start - style.px(8.0) - base_x;
    let font = style
        .font(TICK_FONT)
        .pos(Pos::new(HPos::Right, VPos::Center));
    for (index, name) in rows.iter().enumerate() {
        let y = chart
            .backend_coord(&(chart.x_range().start, row_y(index, rows.len())))
            .1;
        area.draw(&Text::new(name.clone(), (left, y - base_y), font.clone()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(ops: &[&str], architectures: &[&[&str]]) -> TopArchitecturesData {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        TopArchitecturesData {
            ops: names(ops),
            architectures: architectures.iter().map(|a| names(a)).collect(),
        }
    }

    #[test]
    fn rows_are_the_given_ops_then_others_in_order_of_first_use() {
        let top = data(
            &["conv3x3", "identity"],
            &[&["skip", "conv3x3"], &["", "attention", "skip"]],
        );

        assert_eq!(top.rows(), ["conv3x3", "identity", "skip", "attention"]);
        assert_eq!(top.positions(), 5);
        assert_eq!(top.top(), "the top 2 architectures");
    }

    #[test]
    fn the_first_row_is_drawn_at_the_top() {
        assert_eq!(row_y(0, 3), 2.0);
        assert_eq!(row_y(2, 3), 0.0);
    }
}
