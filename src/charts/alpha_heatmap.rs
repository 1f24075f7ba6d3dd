//! DARTS's architecture weights as a table of colours: one column per edge,
//! one row per op, each cell the softmax probability with its number written
//! in, the genotype's choices outlined and undecided edges marked.

use plotters::coord::Shift;
use plotters::prelude::{Color, DrawingArea, DrawingBackend, Rectangle, Text};
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Deserializer, Serialize};

use super::style::{LEGEND_FONT, TICK_FONT};
use super::{ChartError, ChartStyle, frame, palette};

/// Data of the `"alpha_heatmap"` chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AlphaHeatmapData {
    /// Column labels, e.g. "0→1".
    pub edges: Vec<String>,
    /// Row labels: the ops, in α's column order.
    pub ops: Vec<String>,
    /// `[edge][op]` softmax probabilities; `null` reads as NaN.
    #[serde(deserialize_with = "rows_or_nan")]
    pub probabilities: Vec<Vec<f64>>,
    /// Per edge, the op the genotype runs there (an index into `ops`), if kept.
    #[serde(default)]
    pub chosen: Vec<Option<usize>>,
    /// Per edge, whether it is still within tolerance of uniform.
    #[serde(default)]
    pub undecided: Vec<bool>,
    /// The epoch the table is from; 0 or absent is the start.
    #[serde(default)]
    pub epoch: usize,
}

fn rows_or_nan<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Vec<f64>>, D::Error> {
    let rows = Vec::<Vec<Option<f64>>>::deserialize(deserializer)?;
    Ok(rows
        .into_iter()
        .map(|row| row.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect())
        .collect())
}

/// Pale yellow to deep red: the darker the cell, the more weight the op has.
const LOW: RGBColor = RGBColor(255, 247, 204);
const HIGH: RGBColor = RGBColor(189, 0, 38);

/// Draws the table. The colour scale runs from 0 to the largest probability
/// shown (stated beside the table), so that small early movements are
/// visible; the numbers in the cells are absolute.
pub fn draw_alpha_heatmap<DB: DrawingBackend>(
    backend: DB,
    data: &AlphaHeatmapData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let title = match data.epoch {
        0 => "softmax(α) at the start".to_string(),
        n => format!("softmax(α) after epoch {n}"),
    };
    let shape_ok = !data.probabilities.is_empty()
        && data.probabilities.len() == data.edges.len()
        && data.probabilities.iter().all(|r| r.len() == data.ops.len());
    let missing = data
        .probabilities
        .iter()
        .flatten()
        .filter(|p| !p.is_finite())
        .count();
    let notes = match missing {
        0 => vec![
            "columns: edges from node → to node; outlined: the op the derived cell keeps there"
                .to_string(),
        ],
        n => vec![format!(
            "{} not a number (the search diverged)",
            frame::count_of(n, "value")
        )],
    };
    let area = frame::page(backend, &title, &notes, style)?;
    if data.probabilities.is_empty() {
        return frame::notice(&area, "No architecture weights yet — run DARTS", style);
    }
    if !shape_ok {
        return frame::notice(
            &area,
            "The weights do not match the edges and ops given",
            style,
        );
    }
    if frame::too_small(&area, style) {
        return frame::notice(&area, frame::TOO_SMALL, style);
    }
    draw_table(&area, data, style)?;
    frame::finish(&area)
}

fn draw_table<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &AlphaHeatmapData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let (width, height) = area.dim_in_pixel();
    let (width, height) = (width as i32, height as i32);
    let label_width = style.px(96.0);
    let bar_width = style.px(64.0);
    let footer = style.px(40.0);
    let (columns, rows) = (data.edges.len() as i32, data.ops.len() as i32);
    let cell_w = ((width - label_width - bar_width) / columns).max(1);
    let cell_h = ((height - footer) / rows).max(1);
    let top_of = |row: i32| row * cell_h;
    let left_of = |column: i32| label_width + column * cell_w;

    let largest = data
        .probabilities
        .iter()
        .flatten()
        .copied()
        .filter(|p| p.is_finite())
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    let number_font = style
        .font(TICK_FONT)
        .pos(Pos::new(HPos::Center, VPos::Center));
    for (column, row_values) in data.probabilities.iter().enumerate() {
        let column = column as i32;
        for (row, &p) in row_values.iter().enumerate() {
            let (x0, y0) = (left_of(column), top_of(row as i32));
            let color = if p.is_finite() {
                blend(p / largest)
            } else {
                palette::GRID
            };
            area.draw(&Rectangle::new(
                [(x0, y0), (x0 + cell_w - 1, y0 + cell_h - 1)],
                color.filled(),
            ))?;
            let text = if p.is_finite() {
                format!("{p:.2}")
            } else {
                "–".to_string()
            };
            let ink = if p.is_finite() && p / largest > 0.6 {
                palette::PAPER
            } else {
                palette::INK
            };
            area.draw(&Text::new(
                text,
                (x0 + cell_w / 2, y0 + cell_h / 2),
                number_font.clone().color(&ink),
            ))?;
        }
        if let Some(&Some(op)) = data.chosen.get(column as usize)
            && op < data.ops.len()
        {
            let (x0, y0) = (left_of(column), top_of(op as i32));
            area.draw(&Rectangle::new(
                [(x0 + 1, y0 + 1), (x0 + cell_w - 2, y0 + cell_h - 2)],
                style.stroke(palette::INK, 3.0),
            ))?;
        }
    }
    draw_labels(area, data, (cell_w, cell_h, label_width, rows), style)?;
    draw_scale(area, largest, (left_of(columns), height - footer), style)
}

fn draw_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &AlphaHeatmapData,
    (cell_w, cell_h, label_width, rows): (i32, i32, i32, i32),
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let op_font = style
        .font(TICK_FONT)
        .pos(Pos::new(HPos::Right, VPos::Center));
    for (row, op) in data.ops.iter().enumerate() {
        area.draw(&Text::new(
            op.clone(),
            (
                label_width - style.px(6.0),
                row as i32 * cell_h + cell_h / 2,
            ),
            op_font.clone(),
        ))?;
    }
    let edge_font = style.font(TICK_FONT).pos(Pos::new(HPos::Center, VPos::Top));
    let undecided_font = style
        .font_in(LEGEND_FONT * 0.85, palette::MUTED)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let bottom = rows * cell_h;
    for (column, edge) in data.edges.iter().enumerate() {
        let x = label_width + column as i32 * cell_w + cell_w / 2;
        area.draw(&Text::new(
            edge.clone(),
            (x, bottom + style.px(4.0)),
            edge_font.clone(),
        ))?;
        if data.undecided.get(column).copied().unwrap_or(false) {
            area.draw(&Text::new(
                "undecided",
                (x, bottom + style.px(20.0)),
                undecided_font.clone(),
            ))?;
        }
    }
    Ok(())
}

/// The colour bar: what the palest and the deepest cell mean.
fn draw_scale<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    largest: f64,
    (left, bottom): (i32, i32),
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let (x0, x1) = (left + style.px(12.0), left + style.px(26.0));
    let steps = 24;
    let span = bottom.max(steps);
    for i in 0..steps {
        let y0 = span * i / steps;
        let y1 = span * (i + 1) / steps;
        let share = 1.0 - i as f64 / (steps - 1) as f64;
        area.draw(&Rectangle::new([(x0, y0), (x1, y1)], blend(share).filled()))?;
    }
    let font = style
        .font(TICK_FONT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let x = x1 + style.px(4.0);
    area.draw(&Text::new(
        format!("{largest:.2}"),
        (x, style.px(8.0)),
        font.clone(),
    ))?;
    area.draw(&Text::new("0", (x, span - style.px(8.0)), font))?;
    Ok(())
}

fn blend(share: f64) -> RGBColor {
    let t = share.clamp(0.0, 1.0);
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
    RGBColor(mix(LOW.0, HIGH.0), mix(LOW.1, HIGH.1), mix(LOW.2, HIGH.2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{has_text, preview, render, render_json};

    fn sample() -> AlphaHeatmapData {
        AlphaHeatmapData {
            edges: vec!["0→1".into(), "0→2".into(), "1→2".into()],
            ops: vec!["conv3x3".into(), "max_pool3x3".into(), "identity".into()],
            probabilities: vec![
                vec![0.6, 0.3, 0.1],
                vec![0.334, 0.333, 0.333],
                vec![0.2, 0.2, 0.6],
            ],
            chosen: vec![Some(0), Some(0), Some(2)],
            undecided: vec![false, true, false],
            epoch: 3,
        }
    }

    #[test]
    fn cells_carry_their_numbers_and_edges_their_state() {
        let svg = render(|b| draw_alpha_heatmap(b, &sample(), &ChartStyle::default())).unwrap();
        preview("alpha_heatmap", &svg);
        for text in [
            "softmax(α) after epoch 3",
            "0.60",
            "0.33",
            "0→2",
            "undecided",
            "max_pool3x3",
        ] {
            assert!(has_text(&svg, text), "missing {text}");
        }
    }

    #[test]
    fn empty_mismatched_and_nan_tables_do_not_panic() {
        let empty = render_json(
            "alpha_heatmap",
            r#"{"edges": [], "ops": [], "probabilities": []}"#,
        )
        .unwrap();
        assert!(has_text(&empty, "No architecture weights yet — run DARTS"));
        let mismatched = AlphaHeatmapData {
            ops: vec!["conv3x3".into()],
            ..sample()
        };
        let svg = render(|b| draw_alpha_heatmap(b, &mismatched, &ChartStyle::default())).unwrap();
        assert!(has_text(
            &svg,
            "The weights do not match the edges and ops given"
        ));
        let nan = render_json(
            "alpha_heatmap",
            r#"{"edges": ["0→1"], "ops": ["a", "b"], "probabilities": [[null, 0.5]], "chosen": [5]}"#,
        )
        .unwrap();
        assert!(has_text(&nan, "1 value not a number (the search diverged)"));
    }
}
