//! Parameters against FLOPs of each search-space op: the cost side of the search
//! space at a glance, before anything is trained.

use plotters::chart::SeriesLabelPosition;
use plotters::prelude::{Circle, Color, DrawingBackend, PathElement, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::axis::{Axes, Chart, Ticks};
use super::json::number_or_nan;
use super::style::TICK_FONT;
use super::{ChartError, ChartStyle, OpKind, axis, frame, labels, legend, palette};

/// The exact cost of one op at the width and input size the user chose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpCost {
    /// The op's name, written beside its point (`conv3x3`).
    pub op: String,
    /// The op's family, which decides its colour.
    pub kind: OpKind,
    /// Trainable parameters; 0 for pooling and the identity.
    #[serde(deserialize_with = "number_or_nan")]
    pub params: f64,
    /// Multiply-adds for one input.
    #[serde(deserialize_with = "number_or_nan")]
    pub flops: f64,
}

/// Data of the `"ops_scatter"` chart: a JSON array of [`OpCost`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OpsScatterData {
    /// One entry per op that is switched on.
    pub ops: Vec<OpCost>,
}

const TITLE: &str = "Cost of each op";

/// Labels beyond this many would bury the points; the search space has 7 ops.
const MAX_LABELS: usize = 40;

/// A generous estimate of the legend's size in CSS pixels (plotters does not
/// report it), so names keep clear of it.
const LEGEND_WIDTH: f64 = 90.0;
const LEGEND_ROW: f64 = 18.0;

/// Draws each op as a point at (parameters, FLOPs), coloured by kind and
/// labelled with its name.
///
/// The axes are linear and start at zero because zero is a real cost here: pools
/// have no parameters and the identity costs nothing at all, which a log axis
/// could not show.
pub fn draw_ops_scatter<DB: DrawingBackend>(
    backend: DB,
    data: &OpsScatterData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let ops: Vec<&OpCost> = data
        .ops
        .iter()
        .filter(|o| o.params.is_finite() && o.flops.is_finite())
        .collect();
    let mut notes = Vec::new();
    if ops.len() < data.ops.len() {
        let skipped = frame::count_of(data.ops.len() - ops.len(), "op");
        notes.push(format!("{skipped} not shown: cost is not a number"));
    }
    if ops.len() > MAX_LABELS {
        notes.push(format!("names shown for the first {MAX_LABELS} ops only"));
    }
    let x_range = axis::from_zero(ops.iter().map(|o| o.params), 0.25);
    let y_range = axis::from_zero(ops.iter().map(|o| o.flops), 0.12);

    let area = frame::page(backend, TITLE, &notes, style)?;
    if ops.is_empty() {
        return frame::notice(&area, "No ops to show — switch at least one op on", style);
    }
    let (Some(x_range), Some(y_range)) = (x_range, y_range) else {
        return frame::notice(&area, "These costs are too large to plot", style);
    };
    if frame::too_small(&area, style) {
        return frame::notice(&area, frame::TOO_SMALL, style);
    }
    let axes = Axes {
        x_title: "parameters",
        y_title: "FLOPs (multiply-adds)",
        x_ticks: Ticks::Count(x_range.end),
        y_ticks: Ticks::Count(y_range.end),
    };
    let mut chart = axis::cartesian(&area, x_range, y_range, style)?;
    axis::draw_axes(&mut chart, &axes, style)?;

    let radius = style.px(6.0);
    let mut legend_rows = 0;
    for kind in OpKind::ALL {
        let points: Vec<(f64, f64)> = ops
            .iter()
            .filter(|o| o.kind == kind)
            .map(|o| (o.params, o.flops))
            .collect();
        if points.is_empty() {
            continue;
        }
        let fill = kind.color().mix(0.8).filled();
        let outline = style.stroke(palette::INK, 1.0);
        chart.draw_series(points.iter().map(|&p| Circle::new(p, radius, fill)))?;
        chart.draw_series(points.iter().map(|&p| Circle::new(p, radius, outline)))?;
        legend::entry(
            &mut chart,
            kind.label(),
            legend::dot_icon(kind.color(), style),
        )?;
        legend_rows += 1;
    }
    draw_names(
        &chart,
        &ops[..ops.len().min(MAX_LABELS)],
        legend_rows,
        style,
    )?;
    legend::draw(&mut chart, SeriesLabelPosition::UpperLeft, style)?;
    frame::finish(&area)
}

/// Writes each op's name beside its point, kept clear of the other names, the
/// points and the legend (see [`labels::place`]).
fn draw_names<DB: DrawingBackend>(
    chart: &Chart<'_, DB>,
    ops: &[&OpCost],
    legend_rows: usize,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let screen = chart.plotting_area().use_screen_coord();
    let (x_pixels, y_pixels) = chart.plotting_area().get_pixel_range();
    let inside = (
        x_pixels.start + 2,
        y_pixels.start,
        x_pixels.end,
        y_pixels.end - 2,
    );
    let font = style.font(TICK_FONT);

    let points: Vec<(i32, i32)> = ops
        .iter()
        .map(|o| chart.backend_coord(&(o.params, o.flops)))
        .collect();
    let mut sizes = Vec::with_capacity(ops.len());
    for op in ops {
        let (width, height) = screen.estimate_text_size(&op.op, &font)?;
        sizes.push((width as i32, height as i32 + style.px(3.0)));
    }
    let legend = (
        inside.0,
        inside.1,
        inside.0 + style.px(LEGEND_WIDTH),
        inside.1 + style.px(LEGEND_ROW * legend_rows as f64 + 24.0),
    );
    let placements = labels::place(
        &points,
        &sizes,
        inside,
        vec![legend],
        style.px(7.0),
        style.px(9.0),
    );

    let anchor = Pos::new(HPos::Left, VPos::Center);
    for ((op, placement), &(x, y)) in ops.iter().zip(placements).zip(&points) {
        let (left, top, right, bottom) = placement.bounds;
        let centre = (top + bottom) / 2;
        if placement.leader {
            let end = if left > x {
                left - style.px(2.0)
            } else {
                right + style.px(2.0)
            };
            screen.draw(&PathElement::new(
                vec![(x, y), (end, centre)],
                style.stroke(palette::MUTED, 0.75),
            ))?;
        }
        screen.draw(&Text::new(op.op.clone(), (left, centre), font.pos(anchor)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{has_text, preview, render, text_y};

    /// The seven ops at width 32 on 8x8 inputs. The plain convs are exact
    /// (weights and bias: 32·32·9 + 32 = 9,248 parameters and 8·8·32·32·9 =
    /// 589,824 multiply-adds for conv3x3); the other costs are only in the right
    /// proportions, with pools and the identity at zero parameters as in the space.
    fn search_space_ops() -> OpsScatterData {
        let op = |op: &str, kind, params: f64, flops: f64| OpCost {
            op: op.into(),
            kind,
            params,
            flops,
        };
        OpsScatterData {
            ops: vec![
                op("conv3x3", OpKind::Conv, 9248.0, 589_824.0),
                op("conv5x5", OpKind::Conv, 25_632.0, 1_638_400.0),
                op("dw_conv3x3", OpKind::Conv, 1_440.0, 83_968.0),
                op("dw_conv5x5", OpKind::Conv, 1_952.0, 116_736.0),
                op("max_pool3x3", OpKind::Pool, 0.0, 0.0),
                op("avg_pool3x3", OpKind::Pool, 0.0, 18_432.0),
                op("identity", OpKind::Skip, 0.0, 0.0),
            ],
        }
    }

    #[test]
    fn the_scatter_names_every_op_and_has_its_title_and_axes() {
        let data = search_space_ops();

        let svg = render(|b| draw_ops_scatter(b, &data, &ChartStyle::default())).unwrap();
        preview("ops_scatter", &svg);

        for op in &data.ops {
            assert!(has_text(&svg, &op.op), "{} missing", op.op);
        }
        for text in [
            TITLE,
            "parameters",
            "FLOPs (multiply-adds)",
            "conv",
            "pool",
            "skip",
        ] {
            assert!(has_text(&svg, text), "{text} missing");
        }
    }

    #[test]
    fn ops_at_the_same_point_get_separate_labels() {
        let svg =
            render(|b| draw_ops_scatter(b, &search_space_ops(), &ChartStyle::default())).unwrap();

        assert_ne!(text_y(&svg, "max_pool3x3"), text_y(&svg, "identity"));
    }

    #[test]
    fn an_empty_search_space_shows_a_message() {
        let svg =
            render(|b| draw_ops_scatter(b, &OpsScatterData::default(), &ChartStyle::default()))
                .unwrap();

        assert!(svg.contains("No ops to show"));
        assert!(svg.contains(TITLE));
    }

    #[test]
    fn ops_with_unknown_costs_are_left_out_and_counted() {
        let mut data = search_space_ops();
        data.ops[0].params = f64::NAN;
        data.ops[1].flops = f64::INFINITY;

        let svg = render(|b| draw_ops_scatter(b, &data, &ChartStyle::default())).unwrap();

        assert!(svg.contains("2 ops not shown"));
        assert!(!has_text(&svg, "conv3x3"));
    }
}
