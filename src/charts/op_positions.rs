//! Where in the chain each op sits in the best architectures: early layers may
//! favour other operations than late ones.

use plotters::prelude::{Circle, Color, DrawingBackend, PathElement, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::TICK_FONT;
use super::top_ops::{TopArchitecturesData, draw_row_axes, op_color, row_chart, row_y};
use super::{ChartError, ChartStyle, frame, palette};

/// Half the height of a box, and of a whisker's cap, in rows.
const HALF_BOX: f64 = 0.28;
const HALF_CAP: f64 = 0.14;

/// The five numbers a box shows.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Summary {
    min: f64,
    lower: f64,
    median: f64,
    upper: f64,
    max: f64,
}

impl Summary {
    /// The summary of `values` (sorted ascending), quartiles interpolated
    /// linearly between ranks (the default of R and NumPy); `None` when empty.
    fn of_sorted(values: &[f64]) -> Option<Summary> {
        let (&min, &max) = (values.first()?, values.last()?);
        let quantile = |p: f64| {
            let rank = (values.len() - 1) as f64 * p;
            let below = rank.floor() as usize;
            let above = (below + 1).min(values.len() - 1);
            values[below] + (rank - below as f64) * (values[above] - values[below])
        };
        Some(Summary {
            min,
            lower: quantile(0.25),
            median: quantile(0.5),
            upper: quantile(0.75),
            max,
        })
    }
}

/// The 1-based layers at which `op` appears over all `architectures`, sorted.
fn layers_of(data: &TopArchitecturesData, op: &str) -> Vec<f64> {
    let mut layers: Vec<f64> = data
        .architectures
        .iter()
        .flat_map(|arch| {
            arch.iter()
                .enumerate()
                .filter(move |(_, o)| *o == op)
                .map(|(i, _)| i as f64 + 1.0)
        })
        .collect();
    layers.sort_by(f64::total_cmp);
    layers
}

/// Draws, for each op, a box plot of the layers it occupies over all the given
/// architectures: the box spans the middle half, the thick line is the median,
/// the whiskers reach the first and the last layer it was found at, and the
/// dots are the layers themselves. The count beside each box says how many
/// layers it summarises; an op that never appears says so.
pub fn draw_op_positions<DB: DrawingBackend>(
    backend: DB,
    data: &TopArchitecturesData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let rows = data.rows();
    let depth = data.architectures.iter().map(Vec::len).max().unwrap_or(0);
    let title = match data.architectures.len() {
        0 => "Where each op sits in the top architectures".to_string(),
        n => format!("Where each op sits in the top {n}"),
    };

    let area = frame::page(backend, &title, &[], style)?;
    if depth == 0 || rows.is_empty() {
        return frame::notice(&area, "No architectures yet — run a search above", style);
    }
    if frame::too_small(&area, style) {
        return frame::notice(&area, frame::TOO_SMALL, style);
    }
    let depth = depth as f64;
    // Room on the right for the count written after the last whisker.
    let x_range = 0.5..depth + 0.5 + (depth * 0.15).max(0.8);
    let Some(mut chart) = row_chart(&area, &rows, x_range, style)? else {
        return frame::notice(&area, "Too many ops to list — make the chart taller", style);
    };
    draw_row_axes(
        &area,
        &mut chart,
        &rows,
        "layer (1 = first after the stem)",
        depth,
        style,
    )?;

    let font = style
        .font(TICK_FONT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let muted = style
        .font_in(TICK_FONT, palette::MUTED)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let gap = style.px(8.0);
    let line = |color| style.stroke(color, 1.5);
    for (index, op) in rows.iter().enumerate() {
        let y = row_y(index, rows.len());
        let layers = layers_of(data, op);
        let Some(summary) = Summary::of_sorted(&layers) else {
            let (x, y) = chart.backend_coord(&(1.0, y));
            chart.plotting_area().use_screen_coord().draw(&Text::new(
                format!("not in {}", data.top()),
                (x - gap, y),
                muted.clone(),
            ))?;
            continue;
        };
        let color = op_color(op);
        let segment = |points: Vec<(f64, f64)>, stroke| PathElement::new(points, stroke);
        chart.draw_series([
            segment(vec![(summary.min, y), (summary.max, y)], line(color)),
            segment(
                vec![(summary.min, y - HALF_CAP), (summary.min, y + HALF_CAP)],
                line(color),
            ),
            segment(
                vec![(summary.max, y - HALF_CAP), (summary.max, y + HALF_CAP)],
                line(color),
            ),
        ])?;
        let corners = [(summary.lower, y - HALF_BOX), (summary.upper, y + HALF_BOX)];
        chart.draw_series([
            Rectangle::new(corners, color.mix(0.3).filled()),
            Rectangle::new(corners, line(color)),
        ])?;
        chart.draw_series(std::iter::once(segment(
            vec![
                (summary.median, y - HALF_BOX),
                (summary.median, y + HALF_BOX),
            ],
            style.stroke(palette::INK, 3.0),
        )))?;
        let radius = style.px(2.5);
        chart.draw_series(
            layers
                .iter()
                .map(|&layer| Circle::new((layer, y), radius, palette::INK.mix(0.6).filled())),
        )?;
        let (x, y) = chart.backend_coord(&(summary.max, y));
        chart.plotting_area().use_screen_coord().draw(&Text::new(
            format!("n={}", layers.len()),
            (x + gap, y),
            font.clone(),
        ))?;
    }
    frame::finish(&area)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{has_text, preview, render, top};

    #[test]
    fn quartiles_interpolate_between_ranks() {
        // NumPy: np.percentile([1, 2, 3, 4], [25, 50, 75]) = 1.75, 2.5, 3.25.
        let summary = Summary::of_sorted(&[1.0, 2.0, 3.0, 4.0]).unwrap();

        assert_eq!(
            summary,
            Summary {
                min: 1.0,
                lower: 1.75,
                median: 2.5,
                upper: 3.25,
                max: 4.0
            }
        );
    }

    #[test]
    fn one_layer_is_a_box_of_no_width_and_none_is_no_box() {
        let summary = Summary::of_sorted(&[3.0]).unwrap();

        assert_eq!((summary.min, summary.median, summary.max), (3.0, 3.0, 3.0));
        assert_eq!(Summary::of_sorted(&[]), None);
    }

    #[test]
    fn layers_count_from_one_over_every_architecture() {
        let data = top(&["conv3x3,identity,conv3x3", "identity,conv3x3"]);

        assert_eq!(layers_of(&data, "conv3x3"), [1.0, 2.0, 3.0]);
        assert_eq!(layers_of(&data, "identity"), [1.0, 2.0]);
        assert!(layers_of(&data, "conv5x5").is_empty());
    }

    #[test]
    fn each_op_gets_a_row_with_its_count_or_a_note_that_it_is_missing() {
        let data = top(&[
            "conv3x3,conv3x3,max_pool3x3,identity",
            "conv3x3,max_pool3x3,conv3x3,identity",
            "max_pool3x3,conv3x3,conv3x3,identity",
        ]);

        let svg = render(|b| draw_op_positions(b, &data, &ChartStyle::default())).unwrap();
        preview("op_positions", &svg);

        for text in [
            "Where each op sits in the top 3",
            "layer (1 = first after the stem)",
            "conv3x3",
            "n=6",
            "n=3",
            "not in the top 3 architectures",
        ] {
            assert!(has_text(&svg, text), "{text} missing");
        }
    }

    #[test]
    fn no_architectures_show_a_message() {
        let svg = render(|b| draw_op_positions(b, &top(&[]), &ChartStyle::default())).unwrap();

        assert!(svg.contains("No architectures yet"));
    }
}
