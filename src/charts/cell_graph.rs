//! A derived DARTS cell as a graph: its nodes in a row, each kept edge an arc
//! from an earlier node to a later one, labelled with its op and coloured by
//! the op's family.

use plotters::coord::Shift;
use plotters::prelude::{Circle, Color, DrawingArea, DrawingBackend, PathElement, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::op_kind::OpKind;
use super::style::{LEGEND_FONT, TICK_FONT};
use super::{ChartError, ChartStyle, frame, palette};

/// Data of the `"cell_graph"` chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CellGraphData {
    /// Nodes, the input node included.
    pub nodes: usize,
    pub edges: Vec<CellGraphEdge>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellGraphEdge {
    pub from: usize,
    pub to: usize,
    pub op: String,
}

/// Points along each arc: enough for a smooth curve at any size.
const ARC_STEPS: usize = 32;

pub fn draw_cell_graph<DB: DrawingBackend>(
    backend: DB,
    data: &CellGraphData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let bad = data
        .edges
        .iter()
        .filter(|e| e.from >= e.to || e.to >= data.nodes)
        .count();
    let notes = match bad {
        0 => vec![format!(
            "output = concatenation of n1…n{}, then global pooling and a linear layer",
            data.nodes.saturating_sub(1)
        )],
        n => vec![format!(
            "{} not shown: not between two nodes, forward",
            frame::count_of(n, "edge")
        )],
    };
    let area = frame::page(backend, "Derived cell", &notes, style)?;
    if data.nodes < 2 || data.edges.is_empty() {
        return frame::notice(&area, "No cell yet — run DARTS to derive one", style);
    }
    if frame::too_small(&area, style) {
        return frame::notice(&area, frame::TOO_SMALL, style);
    }
    draw_graph(&area, data, style)?;
    frame::finish(&area)
}

fn draw_graph<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &CellGraphData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let (width, height) = area.dim_in_pixel();
    let (width, height) = (width as f64, height as f64);
    let margin = style.px(48.0) as f64;
    let gap = (width - 2.0 * margin) / (data.nodes - 1) as f64;
    let base = height * 0.78;
    let x_of = |node: usize| margin + gap * node as f64;
    let longest = data.nodes - 1;
    let rise = |span: usize| (base - style.px(24.0) as f64) * span as f64 / longest as f64;

    let label_font = style
        .font(TICK_FONT)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    for edge in data
        .edges
        .iter()
        .filter(|e| e.from < e.to && e.to < data.nodes)
    {
        let color = OpKind::of_op(&edge.op).map_or(palette::NEUTRAL, OpKind::color);
        let (x0, x1) = (x_of(edge.from), x_of(edge.to));
        let height = rise(edge.to - edge.from);
        let arc: Vec<(i32, i32)> = (0..=ARC_STEPS)
            .map(|i| {
                let t = i as f64 / ARC_STEPS as f64;
                let y = base - height * 4.0 * t * (1.0 - t);
                ((x0 + (x1 - x0) * t) as i32, y as i32)
            })
            .collect();
        area.draw(&PathElement::new(arc, style.stroke(color, 2.5)))?;
        let apex = (
            ((x0 + x1) / 2.0) as i32,
            (base - height) as i32 - style.px(3.0),
        );
        area.draw(&Text::new(
            edge.op.clone(),
            apex,
            label_font.clone().color(&color),
        ))?;
    }

    let radius = style.px(15.0);
    let name_font = style
        .font_in(LEGEND_FONT, palette::PAPER)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let under_font = style
        .font_in(LEGEND_FONT, palette::MUTED)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for node in 0..data.nodes {
        let center = (x_of(node) as i32, base as i32);
        area.draw(&Circle::new(center, radius, palette::INK.filled()))?;
        area.draw(&Text::new(format!("n{node}"), center, name_font.clone()))?;
        if node == 0 {
            let below = (center.0, center.1 + radius + style.px(4.0));
            area.draw(&Text::new("input (stem)", below, under_font.clone()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::charts::testing::{has_text, preview, render_json};

    #[test]
    fn every_node_and_kept_op_is_drawn() {
        let svg = render_json(
            "cell_graph",
            r#"{"nodes": 4, "edges": [
                {"from": 0, "to": 1, "op": "conv3x3"},
                {"from": 0, "to": 2, "op": "identity"}, {"from": 1, "to": 2, "op": "max_pool3x3"},
                {"from": 0, "to": 3, "op": "dw_conv5x5"}, {"from": 2, "to": 3, "op": "conv5x5"}]}"#,
        )
        .unwrap();
        preview("cell_graph", &svg);
        for text in [
            "n0",
            "n3",
            "conv3x3",
            "identity",
            "max_pool3x3",
            "dw_conv5x5",
            "input (stem)",
        ] {
            assert!(has_text(&svg, text), "missing {text}");
        }
    }

    #[test]
    fn empty_and_malformed_cells_do_not_panic() {
        let empty = render_json("cell_graph", r#"{"nodes": 0, "edges": []}"#).unwrap();
        assert!(has_text(&empty, "No cell yet — run DARTS to derive one"));
        let backwards = render_json(
            "cell_graph",
            r#"{"nodes": 3, "edges": [{"from": 2, "to": 1, "op": "conv3x3"},
                {"from": 0, "to": 9, "op": "conv3x3"}, {"from": 0, "to": 1, "op": "identity"}]}"#,
        )
        .unwrap();
        assert!(has_text(
            &backwards,
            "2 edges not shown: not between two nodes, forward"
        ));
    }
}
