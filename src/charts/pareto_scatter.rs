//! Accuracy against one cost (latency, parameters) for every candidate the page
//! evaluated, with the Pareto front: the candidates that no other candidate
//! beats on both at once, joined by the step line of the best accuracy each
//! budget buys.

use std::ops::Range;

use plotters::chart::SeriesLabelPosition;
use plotters::prelude::{Circle, Color, DrawingBackend, PathElement, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Serialize;

use super::axis::{Axes, Chart, Ticks};
use super::frame::Bounds;
use super::pareto_points::{ParetoPoint, ParetoScatterData, SortedPoints};
use super::style::{LEGEND_FONT, TICK_FONT};
use super::{ChartError, ChartStyle, axis, frame, labels, legend, palette};
use crate::pareto::Objective;

/// Where a drawn point landed, in the backend's device pixels: what the page
/// needs to find the point under a click.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PointPosition {
    /// The point's position in the chart's data.
    pub index: usize,
    pub x: i32,
    pub y: i32,
}

/// Names on the front beyond this many would bury the points.
const MAX_LABELS: usize = 40;
/// Candidates named beside one front point before the rest are counted.
const MAX_NAMES_PER_POINT: usize = 3;

/// Draws every drawable candidate at (cost, accuracy), coloured by method, the
/// front's points larger and outlined, joined by a step line, each front
/// point named; returns where each drawn point landed.
///
/// The front is that of [`ParetoScatterData::sort_out`]: exact under ties and
/// duplicates, identical candidates being one front point whose name lists
/// them all. Failed candidates and those without a usable accuracy or cost are
/// left out and counted in a note.
///
/// # Errors
/// [`ChartError::BadData`] when `x` is accuracy, which is not a cost;
/// [`ChartError::Draw`] when the backend fails.
pub fn draw_pareto_scatter<DB: DrawingBackend>(
    backend: DB,
    data: &ParetoScatterData,
    style: &ChartStyle,
) -> Result<Vec<PointPosition>, ChartError> {
    let sorted = data.sort_out()?;
    let x_range = axis::from_zero(sorted.shown.iter().map(|&i| data.at(i).0), 0.08);
    let y_range = accuracy_range(sorted.shown.iter().map(|&i| data.at(i).1));

    let area = frame::page(backend, &title(data.x), &sorted.notes, style)?;
    let (Some(x_range), Some(y_range)) = (x_range, y_range) else {
        frame::notice(
            &area,
            "No trained candidates yet — run a search above",
            style,
        )?;
        return Ok(Vec::new());
    };
    if frame::too_small(&area, style) {
        frame::notice(&area, frame::TOO_SMALL, style)?;
        return Ok(Vec::new());
    }
    let points = sorted.shown.iter().map(|&i| data.at(i));
    let corner = legend::quietest_corner(points, &x_range, &y_range);
    let axes = Axes {
        x_title: x_title(data.x),
        y_title: "validation accuracy",
        x_ticks: match data.x {
            Objective::LatencyMs => Ticks::Number(axis::decimals_for(x_range.end)),
            _ => Ticks::Count(x_range.end),
        },
        y_ticks: Ticks::Fraction(axis::decimals_for(y_range.end - y_range.start)),
    };
    let mut chart = axis::cartesian(&area, x_range, y_range, style)?;
    axis::draw_axes(&mut chart, &axes, style)?;

    let corners: Vec<(f64, f64)> = sorted.front.iter().map(|step| data.at(step[0])).collect();
    chart.draw_series(std::iter::once(PathElement::new(
        staircase(&corners),
        style.stroke(palette::INK, 1.5),
    )))?;
    let mut legend_labels = draw_points(&mut chart, data, &sorted, style)?;
    legend::entry(
        &mut chart,
        FRONT_LEGEND,
        legend::line_icon(palette::INK, style),
    )?;
    legend_labels.push(FRONT_LEGEND.into());
    let mut obstacles = markers(&chart, data, &sorted.shown, style);
    obstacles.push(legend_bounds(&chart, &corner, &legend_labels, style)?);
    draw_front_names(&chart, data, &sorted.front, obstacles, style)?;
    legend::draw(&mut chart, corner, style)?;

    let positions = sorted
        .shown
        .iter()
        .map(|&i| {
            let (x, y) = chart.backend_coord(&data.at(i));
            PointPosition { index: i, x, y }
        })
        .collect();
    frame::finish(&area)?;
    Ok(positions)
}

const FRONT_LEGEND: &str = "Pareto front";

/// Draws the shown candidates, one colour per method in order of first
/// appearance, front members larger and outlined, each method with a legend
/// entry; returns the legend's labels.
fn draw_points<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart<'a, DB>,
    data: &ParetoScatterData,
    sorted: &SortedPoints,
    style: &'a ChartStyle,
) -> Result<Vec<String>, ChartError> {
    let on_front = |i: &usize| sorted.front.iter().any(|step| step.contains(i));
    let (small, large) = (style.px(4.0), style.px(6.5));
    let mut labels = Vec::new();
    for (index, group) in groups(&data.points, &sorted.shown).iter().enumerate() {
        let color = palette::series_color(index);
        let members = sorted
            .shown
            .iter()
            .copied()
            .filter(|&i| data.points[i].group == *group);
        let (front, others): (Vec<usize>, Vec<usize>) = members.partition(on_front);
        let dot = |i: &usize| Circle::new(data.at(*i), small, color.mix(0.55).filled());
        chart.draw_series(others.iter().map(dot))?;
        chart.draw_series(
            front
                .iter()
                .map(|&i| Circle::new(data.at(i), large, color.filled())),
        )?;
        let outline = style.stroke(palette::INK, 1.5);
        chart.draw_series(
            front
                .iter()
                .map(|&i| Circle::new(data.at(i), large, outline)),
        )?;
        let label = group_label(group);
        legend::entry(chart, &label, legend::dot_icon(color, style))?;
        labels.push(label);
    }
    Ok(labels)
}

/// The boxes of the drawn markers, in device pixels, for keeping names off them.
fn markers<DB: DrawingBackend>(
    chart: &Chart<'_, DB>,
    data: &ParetoScatterData,
    shown: &[usize],
    style: &ChartStyle,
) -> Vec<Bounds> {
    let r = style.px(4.0);
    shown
        .iter()
        .map(|&i| {
            let (x, y) = chart.backend_coord(&data.at(i));
            (x - r, y - r, x + r, y + r)
        })
        .collect()
}

fn title(x: Objective) -> String {
    let cost = match x {
        Objective::LatencyMs => "latency",
        Objective::Params => "parameters",
        Objective::Flops | Objective::Accuracy => "FLOPs",
    };
    format!("Accuracy against {cost}")
}

fn x_title(x: Objective) -> &'static str {
    match x {
        Objective::LatencyMs => "latency per image (ms)",
        Objective::Params => "parameters",
        Objective::Flops | Objective::Accuracy => "FLOPs per image (multiply-adds)",
    }
}

/// The corners of the step line through front points given cheapest first:
/// flat to the next point's cost, then up to its accuracy.
fn staircase(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut corners = Vec::with_capacity(points.len() * 2);
    for (i, &point) in points.iter().enumerate() {
        if i > 0 {
            corners.push((point.0, points[i - 1].1));
        }
        corners.push(point);
    }
    corners
}

/// A range around the accuracies drawn, so close accuracies stay apart, kept
/// within the padded unit range; `None` when there are none.
fn accuracy_range(values: impl Iterator<Item = f64>) -> Option<Range<f64>> {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if lo > hi {
        return None;
    }
    let pad = (hi - lo).max(0.02) * 0.15;
    let unit = axis::unit();
    Some((lo - pad).max(unit.start)..(hi + pad).min(unit.end))
}

/// The methods among the shown points, in order of first appearance.
fn groups(points: &[ParetoPoint], shown: &[usize]) -> Vec<String> {
    let mut groups: Vec<String> = Vec::new();
    for &i in shown {
        if !groups.contains(&points[i].group) {
            groups.push(points[i].group.clone());
        }
    }
    groups
}

fn group_label(group: &str) -> String {
    if group.trim().is_empty() {
        "(no method)".into()
    } else {
        group.to_string()
    }
}

/// A generous estimate of the legend's box (plotters does not report it), so
/// names beside front points keep clear of it.
fn legend_bounds<DB: DrawingBackend>(
    chart: &Chart<'_, DB>,
    corner: &SeriesLabelPosition,
    labels: &[String],
    style: &ChartStyle,
) -> Result<Bounds, ChartError> {
    let area = chart.plotting_area();
    let font = style.font(LEGEND_FONT);
    let mut widest = 0;
    for label in labels {
        widest = widest.max(area.estimate_text_size(label, &font)?.0 as i32);
    }
    let (x_pixels, y_pixels) = area.get_pixel_range();
    let width = widest + style.px(50.0);
    let height = style.px(18.0) * labels.len() as i32 + style.px(24.0);
    let left = match corner {
        SeriesLabelPosition::UpperLeft | SeriesLabelPosition::LowerLeft => x_pixels.start,
        _ => x_pixels.end - width,
    };
    let top = match corner {
        SeriesLabelPosition::UpperLeft | SeriesLabelPosition::UpperRight => y_pixels.start,
        _ => y_pixels.end - height,
    };
    Ok((left, top, left + width, top + height))
}

/// The text beside one front point: its candidates' labels, the first few
/// named and the rest counted.
fn front_name(points: &[ParetoPoint], step: &[usize]) -> String {
    let labels: Vec<&str> = step
        .iter()
        .map(|&i| points[i].label.as_str())
        .filter(|l| !l.trim().is_empty())
        .collect();
    let mut name = labels[..labels.len().min(MAX_NAMES_PER_POINT)].join(", ");
    if labels.len() > MAX_NAMES_PER_POINT {
        name.push_str(&format!(" +{}", labels.len() - MAX_NAMES_PER_POINT));
    }
    name
}

/// Writes each front point's name beside it, kept clear of the other names,
/// the front points and `obstacles` (the other points, the legend; see
/// [`labels::place`]).
fn draw_front_names<DB: DrawingBackend>(
    chart: &Chart<'_, DB>,
    data: &ParetoScatterData,
    front: &[Vec<usize>],
    obstacles: Vec<Bounds>,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let named: Vec<(String, (i32, i32))> = front
        .iter()
        .take(MAX_LABELS)
        .map(|step| {
            let name = front_name(&data.points, step);
            (name, chart.backend_coord(&data.at(step[0])))
        })
        .filter(|(name, _)| !name.is_empty())
        .collect();
    let screen = chart.plotting_area().use_screen_coord();
    let (x_pixels, y_pixels) = chart.plotting_area().get_pixel_range();
    let inside = (
        x_pixels.start + 2,
        y_pixels.start,
        x_pixels.end,
        y_pixels.end - 2,
    );
    let font = style.font(TICK_FONT);
    let mut sizes = Vec::with_capacity(named.len());
    for (name, _) in &named {
        let (width, height) = screen.estimate_text_size(name, &font)?;
        sizes.push((width as i32, height as i32 + style.px(3.0)));
    }
    let anchors: Vec<(i32, i32)> = named.iter().map(|(_, at)| *at).collect();
    let placements = labels::place(
        &anchors,
        &sizes,
        inside,
        obstacles,
        style.px(8.0),
        style.px(9.0),
    );

    let anchor = Pos::new(HPos::Left, VPos::Center);
    for ((name, (x, y)), placement) in named.iter().zip(placements) {
        let (left, top, right, bottom) = placement.bounds;
        let centre = (top + bottom) / 2;
        if placement.leader {
            let end = if left > *x {
                left - style.px(2.0)
            } else {
                right + style.px(2.0)
            };
            screen.draw(&PathElement::new(
                vec![(*x, *y), (end, centre)],
                style.stroke(palette::MUTED, 0.75),
            ))?;
        }
        screen.draw(&Text::new(name.clone(), (left, centre), font.pos(anchor)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::pareto_points::tests::{point, searches};
    use crate::charts::testing::{has_text, preview, render};
    use crate::train::Status;

    fn draw(x: Objective, points: Vec<ParetoPoint>) -> (String, Vec<PointPosition>) {
        let data = ParetoScatterData { x, points };
        let mut positions = Vec::new();
        let svg = render(|b| {
            positions = draw_pareto_scatter(b, &data, &ChartStyle::default())?;
            Ok(())
        })
        .unwrap();
        (svg, positions)
    }

    #[test]
    fn the_step_line_goes_flat_then_up_between_front_points() {
        let corners = staircase(&[(0.4, 0.7), (1.0, 0.9), (2.0, 0.95)]);

        assert_eq!(
            corners,
            [(0.4, 0.7), (1.0, 0.7), (1.0, 0.9), (2.0, 0.9), (2.0, 0.95)]
        );
    }

    #[test]
    fn a_front_point_of_many_candidates_names_a_few_and_counts_the_rest() {
        let points: Vec<ParetoPoint> = (1..=5)
            .map(|n| point("random", &format!("#{n}"), 0.5, 1.0, 1.0))
            .collect();

        assert_eq!(front_name(&points, &[0, 1]), "#1, #2");
        assert_eq!(front_name(&points, &[0, 1, 2, 3, 4]), "#1, #2, #3 +2");
    }

    #[test]
    fn a_latency_chart_has_units_a_legend_and_names_only_front_points() {
        let (svg, _) = draw(Objective::LatencyMs, searches());
        preview("pareto_scatter_latency", &svg);

        for text in [
            "Accuracy against latency",
            "latency per image (ms)",
            "validation accuracy",
            "random",
            "evolution",
            "Pareto front",
            "#1",
            "#3",
            "#4",
        ] {
            assert!(has_text(&svg, text), "{text} missing");
        }
        assert!(!has_text(&svg, "#2"), "a beaten candidate is named");
    }

    #[test]
    fn the_parameter_chart_has_its_own_front() {
        let (svg, _) = draw(Objective::Params, searches());
        preview("pareto_scatter_params", &svg);

        assert!(has_text(&svg, "Accuracy against parameters"));
        assert!(has_text(&svg, "parameters"));
        assert!(has_text(&svg, "#3"));
        assert!(!has_text(&svg, "#1"));
    }

    #[test]
    fn identical_candidates_are_named_together() {
        let mut points = searches();
        points.push(point("darts", "#5", 0.9, 1.0, 1.0));

        let (svg, positions) = draw(Objective::LatencyMs, points);

        assert!(has_text(&svg, "#1, #5"));
        assert!(has_text(&svg, "darts"));
        assert_eq!(positions[0].x, positions[4].x);
    }

    #[test]
    fn every_drawn_point_reports_where_it_landed() {
        let (_, positions) = draw(Objective::LatencyMs, searches());

        let indices: Vec<usize> = positions.iter().map(|p| p.index).collect();
        assert_eq!(indices, [0, 1, 2, 3]);
        let (cheap, costly) = (positions[3], positions[2]);
        assert!(cheap.x < costly.x, "lower latency lies to the left");
        assert!(costly.y < cheap.y, "higher accuracy lies higher up");
        for p in positions {
            assert!((0..640).contains(&p.x) && (0..400).contains(&p.y), "{p:?}");
        }
    }

    #[test]
    fn candidates_left_out_are_not_drawn_and_are_counted_under_the_chart() {
        let mut points = searches();
        points.push(ParetoPoint {
            status: Status::Failed,
            ..point("random", "#5", f64::NAN, 1.0, 1.0)
        });
        points.push(point("random", "#6", 0.99, f64::NAN, 1.0));

        let (svg, positions) = draw(Objective::LatencyMs, points);

        assert!(svg.contains("2 candidates not shown: 1 failed, 1 with no latency"));
        assert_eq!(positions.len(), 4);
        assert!(!has_text(&svg, "#6"));
    }

    #[test]
    fn one_candidate_is_its_own_front() {
        let (svg, positions) = draw(
            Objective::LatencyMs,
            vec![point("random", "#1", 0.5, 0.0, 0.0)],
        );

        assert!(has_text(&svg, "#1"));
        assert_eq!(positions.len(), 1);
    }

    #[test]
    fn no_candidates_show_a_message_and_no_positions() {
        let (svg, positions) = draw(Objective::Params, vec![]);

        assert!(svg.contains("No trained candidates yet — run a search above"));
        assert!(positions.is_empty());
    }
}
