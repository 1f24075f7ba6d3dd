//! How often each op is chosen in the best architectures: which operations
//! the task rewards.

use plotters::prelude::{Color, DrawingBackend, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::TICK_FONT;
use super::top_ops::{TopArchitecturesData, draw_row_axes, op_color, row_chart, row_y};
use super::{ChartError, ChartStyle, OpKind, frame, legend, palette};

/// Half the height of a bar, in rows.
const HALF_BAR: f64 = 0.32;

/// Draws one horizontal bar per op: the number of layers holding it over all
/// the given architectures, with that count and its share of all layers at
/// the bar's end. The x axis title states the denominator, the number of
/// layers in the top N, so the shares can be read without guessing.
pub fn draw_op_frequency<DB: DrawingBackend>(
    backend: DB,
    data: &TopArchitecturesData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let rows = data.rows();
    let positions = data.positions();
    let counts = counts(data, &rows);
    let title = match data.architectures.len() {
        0 => "Op frequency in the top architectures".to_string(),
        n => format!("Op frequency in the top {n}"),
    };

    let area = frame::page(backend, &title, &[], style)?;
    if positions == 0 || rows.is_empty() {
        return frame::notice(&area, "No architectures yet — run a search above", style);
    }
    if frame::too_small(&area, style) {
        return frame::notice(&area, frame::TOO_SMALL, style);
    }
    let largest = counts.iter().copied().max().unwrap_or(0) as f64;
    // Room on the right for the count written at the end of the longest bar.
    let x_range = -largest * 0.01..(largest * 1.3).max(1.0);
    let Some(mut chart) = row_chart(&area, &rows, x_range.clone(), style)? else {
        return frame::notice(&area, "Too many ops to list — make the chart taller", style);
    };
    let x_title = format!("layers holding the op, of {} in {}", positions, data.top());
    draw_row_axes(&area, &mut chart, &rows, &x_title, largest, style)?;

    let font = style
        .font_in(TICK_FONT, palette::INK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let gap = style.px(6.0);
    for (index, (op, &count)) in rows.iter().zip(&counts).enumerate() {
        let y = row_y(index, rows.len());
        let color = op_color(op);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, y - HALF_BAR), (count as f64, y + HALF_BAR)],
            color.mix(0.85).filled(),
        )))?;
        let share = 100.0 * count as f64 / positions as f64;
        let (x, y) = chart.backend_coord(&(count as f64, y));
        chart.plotting_area().use_screen_coord().draw(&Text::new(
            format!("{count} ({share:.0}%)"),
            (x + gap, y),
            font.clone(),
        ))?;
    }

    let bars = rows
        .iter()
        .zip(&counts)
        .enumerate()
        .flat_map(|(index, (_, &n))| {
            let y = row_y(index, rows.len());
            let n = n as f64;
            [(0.0, y), (n / 2.0, y), (n, y), (n * 1.25, y)]
        });
    let y_range = -0.5..rows.len() as f64 - 0.5;
    let corner = legend::quietest_corner(bars, &x_range, &y_range);
    for kind in OpKind::ALL {
        if rows.iter().any(|op| OpKind::of_op(op) == Some(kind)) {
            legend::entry(
                &mut chart,
                kind.label(),
                legend::box_icon(kind.color(), style),
            )?;
        }
    }
    legend::draw(&mut chart, corner, style)?;
    frame::finish(&area)
}

/// How many layers of all the architectures hold each op of `rows`.
fn counts(data: &TopArchitecturesData, rows: &[String]) -> Vec<usize> {
    rows.iter()
        .map(|op| {
            data.architectures
                .iter()
                .flatten()
                .filter(|o| *o == op)
                .count()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{has_text, preview, render, top};

    #[test]
    fn counts_and_the_denominator_are_written_on_the_chart() {
        // 3 architectures of 4 layers: 12 positions; conv3x3 holds 5 of them.
        let data = top(&[
            "conv3x3,conv3x3,max_pool3x3,identity",
            "conv3x3,conv5x5,conv3x3,identity",
            "conv5x5,conv3x3,max_pool3x3,max_pool3x3",
        ]);

        let svg = render(|b| draw_op_frequency(b, &data, &ChartStyle::default())).unwrap();
        preview("op_frequency", &svg);

        for text in [
            "Op frequency in the top 3",
            "layers holding the op, of 12 in the top 3 architectures",
            "conv3x3",
            "5 (42%)",
            "2 (17%)",
            "conv",
            "pool",
            "skip",
        ] {
            assert!(has_text(&svg, text), "{text} missing");
        }
    }

    #[test]
    fn an_op_no_top_architecture_uses_gets_an_empty_row() {
        let svg =
            render(|b| draw_op_frequency(b, &top(&["conv3x3,identity"]), &ChartStyle::default()))
                .unwrap();

        assert!(has_text(&svg, "conv5x5"));
        assert!(has_text(&svg, "0 (0%)"));
        assert!(has_text(
            &svg,
            "layers holding the op, of 2 in the top architecture"
        ));
    }

    #[test]
    fn every_layer_is_counted_once_under_its_op() {
        let data = top(&["conv3x3,identity,attention", "identity"]);

        let counts = counts(&data, &data.rows());

        assert_eq!(counts, [1, 0, 0, 2, 1]);
        assert_eq!(counts.iter().sum::<usize>(), data.positions());
    }

    #[test]
    fn no_architectures_show_a_message() {
        for data in [top(&[]), TopArchitecturesData::default()] {
            let svg = render(|b| draw_op_frequency(b, &data, &ChartStyle::default())).unwrap();

            assert!(svg.contains("No architectures yet"));
        }
    }
}
