//! An architecture drawn as the chain it is: input, stem, the chosen ops, the
//! classifier head, output.

use plotters::coord::Shift;
use plotters::prelude::{
    Color, DrawingArea, DrawingBackend, PathElement, Polygon, Rectangle, Text,
};
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::frame::Bounds;
use super::rows::{Rows, Spacing};
use super::style::LEGEND_FONT;
use super::{ChartError, ChartStyle, OpKind, frame, palette};

/// Data of the `"arch_graph"` chart: the op names of a chain architecture, in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArchGraphData {
    /// Op names as in the architecture's text form (`conv3x3`, `identity`).
    pub ops: Vec<String>,
}

const BOX_FONT: f64 = 14.0;
/// Longer op names are cut so one name cannot push every box off the chart.
const MAX_NAME_CHARS: usize = 20;

/// One box of the chain: its text lines and colour.
struct Node {
    lines: Vec<String>,
    color: RGBColor,
}

/// Draws the architecture left to right as boxes joined by arrows, op boxes
/// coloured by kind, wrapping onto further rows when one row would squeeze the
/// names.
///
/// The stem and head are drawn as the fixed parts of every candidate, so the
/// picture matches the network that is actually trained.
pub fn draw_arch_graph<DB: DrawingBackend>(
    backend: DB,
    data: &ArchGraphData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let title = format!("Architecture: {}", frame::count_of(data.ops.len(), "op"));
    let area = frame::page(backend, &title, &[], style)?;
    if data.ops.is_empty() {
        return frame::notice(&area, "No ops in this architecture — add one", style);
    }

    let nodes = chain(&data.ops);
    let (width, height) = area.dim_in_pixel();
    let legend_height = style.px(30.0);
    let margin = style.px(16.0);
    let room = (
        width as i32 - 2 * margin,
        height as i32 - legend_height - margin,
    );
    let Some((rows, font_size)) = fit(&area, &nodes, room, style)? else {
        return frame::notice(
            &area,
            "Not enough room to draw this architecture — make the chart larger",
            style,
        );
    };

    let boxes = rows.place(width as i32, (room.1 - rows.height()) / 2);
    for (node, &bounds) in nodes.iter().zip(&boxes) {
        draw_box(&area, node, bounds, font_size, style)?;
    }
    for pair in boxes.windows(2) {
        draw_link(&area, pair[0], pair[1], style)?;
    }
    draw_key(&area, &data.ops, height as i32 - legend_height, style)?;
    frame::finish(&area)
}

/// The whole network as boxes: the fixed stem and head around the chosen ops.
fn chain(ops: &[String]) -> Vec<Node> {
    let fixed = |lines: &[&str]| Node {
        lines: lines.iter().map(|l| l.to_string()).collect(),
        color: palette::NEUTRAL,
    };
    let op_node = |op: &String| {
        let name = if op.chars().count() > MAX_NAME_CHARS {
            format!(
                "{}…",
                op.chars().take(MAX_NAME_CHARS - 1).collect::<String>()
            )
        } else if op.trim().is_empty() {
            "?".to_string()
        } else {
            op.clone()
        };
        let color = OpKind::of_op(op).map_or(palette::PURPLE, OpKind::color);
        Node {
            lines: vec![name],
            color,
        }
    };

    let mut nodes = vec![fixed(&["Input"]), fixed(&["stem", "conv3x3"])];
    nodes.extend(ops.iter().map(op_node));
    nodes.push(fixed(&["global pool", "+ linear"]));
    nodes.push(fixed(&["Output"]));
    nodes
}

/// Text sizes (as a fraction of [`BOX_FONT`]) and row limits to try, in order:
/// the whole chain on one row, slightly smaller if need be, as a chain reads
/// best in one line; then full size wrapped onto more rows; then smaller still
/// for long chains on small canvases.
const ATTEMPTS: [(f64, usize); 5] = [
    (1.0, 1),
    (0.8, 1),
    (1.0, usize::MAX),
    (0.8, usize::MAX),
    (0.65, usize::MAX),
];

/// Sizes the boxes for their text and wraps the chain into rows that fit in
/// `room`, trying each of [`ATTEMPTS`]. Returns the rows and the font size
/// used, or `None` when even the smallest boxes do not fit.
fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    nodes: &[Node],
    room: (i32, i32),
    style: &ChartStyle,
) -> Result<Option<(Rows, f64)>, ChartError> {
    for (density, most_rows) in ATTEMPTS {
        let font_size = BOX_FONT * density;
        let font = style.font(font_size);
        let mut widths = Vec::with_capacity(nodes.len());
        for node in nodes {
            let mut widest = 0;
            for line in &node.lines {
                widest = widest.max(area.estimate_text_size(line, &font)?.0 as i32);
            }
            widths.push(widest + style.px(20.0 * density));
        }
        let spacing = Spacing {
            box_height: style.px(font_size * 2.6 + 12.0 * density),
            gap: style.px(28.0 * density),
            row_gap: style.px(34.0 * density),
        };
        if let Some(rows) = Rows::wrap(widths, spacing, room, most_rows) {
            return Ok(Some((rows, font_size)));
        }
    }
    Ok(None)
}

fn draw_box<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    node: &Node,
    (left, top, right, bottom): Bounds,
    font_size: f64,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    area.draw(&Rectangle::new(
        [(left, top), (right, bottom)],
        node.color.mix(0.18).filled(),
    ))?;
    area.draw(&Rectangle::new(
        [(left, top), (right, bottom)],
        style.stroke(node.color, 2.0),
    ))?;

    let font = style
        .font(font_size)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let line_height = style.px(font_size * 1.3);
    let first = (top + bottom) / 2 - line_height * (node.lines.len() as i32 - 1) / 2;
    for (index, line) in node.lines.iter().enumerate() {
        let y = first + index as i32 * line_height;
        area.draw(&Text::new(
            line.clone(),
            ((left + right) / 2, y),
            font.clone(),
        ))?;
    }
    Ok(())
}

/// An arrow from one box to the next: straight within a row, and from the end of
/// a row down and back to the start of the next.
fn draw_link<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    from: Bounds,
    to: Bounds,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let stroke = style.stroke(palette::MUTED, 1.5);
    let head = style.px(8.0);
    if from.1 == to.1 {
        let y = (from.1 + from.3) / 2;
        area.draw(&PathElement::new(
            vec![(from.2, y), (to.0 - head, y)],
            stroke,
        ))?;
        let tip = (to.0 - 1, y);
        let head_shape = vec![
            tip,
            (tip.0 - head, y - head / 2),
            (tip.0 - head, y + head / 2),
        ];
        area.draw(&Polygon::new(head_shape, palette::MUTED.filled()))?;
    } else {
        let (from_x, to_x) = ((from.0 + from.2) / 2, (to.0 + to.2) / 2);
        let turn = (from.3 + to.1) / 2;
        let path = vec![
            (from_x, from.3),
            (from_x, turn),
            (to_x, turn),
            (to_x, to.1 - head),
        ];
        area.draw(&PathElement::new(path, stroke))?;
        let tip = (to_x, to.1 - 1);
        let head_shape = vec![
            tip,
            (to_x - head / 2, tip.1 - head),
            (to_x + head / 2, tip.1 - head),
        ];
        area.draw(&Polygon::new(head_shape, palette::MUTED.filled()))?;
    }
    Ok(())
}

/// The colour key along the bottom: the op kinds, the fixed parts, and "other"
/// when an op name fits no kind.
fn draw_key<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    ops: &[String],
    top: i32,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let mut entries: Vec<(&str, RGBColor)> =
        OpKind::ALL.iter().map(|k| (k.label(), k.color())).collect();
    entries.push(("stem and head", palette::NEUTRAL));
    if ops.iter().any(|op| OpKind::of_op(op).is_none()) {
        entries.push(("other", palette::PURPLE));
    }

    let font = style.font(LEGEND_FONT);
    let (swatch, spacing) = (style.px(12.0), style.px(18.0));
    let mut widths = Vec::with_capacity(entries.len());
    for (label, _) in &entries {
        widths.push(swatch + style.px(6.0) + area.estimate_text_size(label, &font)?.0 as i32);
    }
    let total = widths.iter().sum::<i32>() + spacing * (entries.len() as i32 - 1);
    let mut x = (area.dim_in_pixel().0 as i32 - total) / 2;
    let y = top + style.px(15.0);

    for ((label, color), width) in entries.iter().zip(widths) {
        let square = [(x, y - swatch / 2), (x + swatch, y + swatch / 2)];
        area.draw(&Rectangle::new(square, color.mix(0.18).filled()))?;
        area.draw(&Rectangle::new(square, style.stroke(*color, 2.0)))?;
        let text_at = (x + swatch + style.px(6.0), y);
        area.draw(&Text::new(
            label.to_string(),
            text_at,
            font.pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        x += width + spacing;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{has_text, preview, render, text_y};

    fn arch(ops: &[&str]) -> ArchGraphData {
        ArchGraphData {
            ops: ops.iter().map(|op| op.to_string()).collect(),
        }
    }

    #[test]
    fn the_graph_shows_the_whole_chain_in_order() {
        let data = arch(&["conv3x3", "max_pool3x3", "conv5x5", "identity"]);

        let svg = render(|b| draw_arch_graph(b, &data, &ChartStyle::default())).unwrap();
        preview("arch_graph", &svg);

        assert!(has_text(&svg, "Architecture: 4 ops"));
        let chain = [
            "Input",
            "stem",
            "conv3x3",
            "conv3x3",
            "max_pool3x3",
            "conv5x5",
            "identity",
            "global pool",
            "+ linear",
            "Output",
        ];
        let mut rest = svg.as_str();
        for text in chain {
            let at = rest.find(&format!(">\n{text}\n</text>"));
            let at = at.unwrap_or_else(|| panic!("{text} missing or out of order"));
            rest = &rest[at + 1..];
        }
    }

    #[test]
    fn a_long_chain_wraps_onto_more_rows() {
        let data = arch(&[
            "conv3x3",
            "dw_conv5x5",
            "avg_pool3x3",
            "conv5x5",
            "identity",
            "conv3x3",
            "max_pool3x3",
            "dw_conv3x3",
            "conv5x5",
            "identity",
            "conv3x3",
            "avg_pool3x3",
        ]);

        let svg = render(|b| draw_arch_graph(b, &data, &ChartStyle::default())).unwrap();
        preview("arch_graph_12_ops", &svg);

        assert!(text_y(&svg, "Output") > text_y(&svg, "Input"));
    }

    #[test]
    fn an_op_of_no_known_kind_is_drawn_and_keyed_as_other() {
        let svg =
            render(|b| draw_arch_graph(b, &arch(&["attention"]), &ChartStyle::default())).unwrap();

        assert!(has_text(&svg, "attention"));
        assert!(has_text(&svg, "other"));
    }

    #[test]
    fn an_empty_architecture_shows_a_message() {
        let svg = render(|b| draw_arch_graph(b, &arch(&[]), &ChartStyle::default())).unwrap();

        assert!(svg.contains("No ops in this architecture"));
    }

    #[test]
    fn a_chain_too_long_for_the_canvas_says_so() {
        let ops = vec!["conv3x3"; 200];

        let svg = render(|b| draw_arch_graph(b, &arch(&ops), &ChartStyle::default())).unwrap();

        assert!(svg.contains("Not enough room to draw this architecture"));
    }
}
