//! Latency of the best architectures on several devices side by side: one
//! group of bars per architecture, one bar per device or table.

use plotters::prelude::{Color, DrawingBackend, Rectangle};
use serde::{Deserialize, Serialize};

use super::json::numbers_or_nan;
use super::{ChartError, ChartStyle, axis, frame, legend, palette};

/// Data of the `"latency_bars"` chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LatencyBarsData {
    /// One label per architecture (its number on the page, e.g. "#3").
    pub groups: Vec<String>,
    /// One series per device or table, one value per group, in ms; `null`
    /// where there is no value (a table without the op, a failed run).
    pub series: Vec<LatencySeries>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LatencySeries {
    pub name: String,
    #[serde(deserialize_with = "numbers_or_nan")]
    pub values: Vec<f64>,
}

/// Share of a group's width the bars fill; the rest separates groups.
const GROUP_FILL: f64 = 0.8;

pub fn draw_latency_bars<DB: DrawingBackend>(
    backend: DB,
    data: &LatencyBarsData,
    style: &ChartStyle,
) -> Result<(), ChartError> {
    let groups = data.groups.len();
    let usable = |v: f64| v.is_finite() && v > 0.0;
    let missing = data
        .series
        .iter()
        .flat_map(|s| (0..groups).map(|g| s.values.get(g).copied().unwrap_or(f64::NAN)))
        .filter(|&v| !usable(v))
        .count();
    let notes = match missing {
        0 => Vec::new(),
        n => vec![format!(
            "{} not shown: no latency known for that device",
            frame::count_of(n, "bar")
        )],
    };
    let area = frame::page(backend, "Latency by device", &notes, style)?;
    let values: Vec<f64> = data
        .series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .filter(|&v| usable(v))
        .collect();
    if groups == 0 || data.series.is_empty() || values.is_empty() {
        return frame::notice(&area, "No latencies yet — run a search above", style);
    }
    if frame::too_small(&area, style) {
        return frame::notice(&area, frame::TOO_SMALL, style);
    }
    let y_range = axis::from_zero(values.iter().copied(), 0.15).unwrap_or(0.0..1.0);
    let decimals = axis::decimals_for(y_range.end - y_range.start);
    let mut chart = axis::cartesian(&area, 0.5..groups as f64 + 0.5, y_range, style)?;
    let labels = |v: &f64| {
        let index = v.round() as usize;
        match (v.fract().abs() < 1e-9, index.checked_sub(1)) {
            (true, Some(i)) if i < groups => data.groups[i].clone(),
            _ => String::new(),
        }
    };
    chart
        .configure_mesh()
        .x_desc("architecture (its number in the tables above)")
        .y_desc("latency (ms)")
        .x_label_formatter(&labels)
        .x_labels(groups + 2)
        .y_label_formatter(&|v: &f64| axis::number_to(*v, decimals))
        .disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(style.stroke(palette::GRID, 1.0))
        .axis_style(style.stroke(palette::INK, 1.0))
        .label_style(style.font(super::style::TICK_FONT))
        .axis_desc_style(style.font(super::style::AXIS_FONT))
        .draw()?;
    let width = GROUP_FILL / data.series.len() as f64;
    for (k, series) in data.series.iter().enumerate() {
        let color = palette::series_color(k);
        let bars = (0..groups).filter_map(|g| {
            let v = series.values.get(g).copied().filter(|&v| usable(v))?;
            let left = g as f64 + 1.0 - GROUP_FILL / 2.0 + k as f64 * width;
            Some(Rectangle::new(
                [(left, 0.0), (left + width * 0.92, v)],
                color.filled(),
            ))
        });
        chart.draw_series(bars)?;
        legend::entry(&mut chart, &series.name, legend::box_icon(color, style))?;
    }
    legend::draw(
        &mut chart,
        plotters::chart::SeriesLabelPosition::UpperRight,
        style,
    )?;
    frame::finish(&area)
}

#[cfg(test)]
mod tests {
    use crate::charts::testing::{has_text, preview, render_json};

    #[test]
    fn groups_and_devices_are_labelled() {
        let svg = render_json(
            "latency_bars",
            r##"{"groups": ["#3", "#1"], "series": [
                {"name": "mobile (illustrative table)", "values": [7.6, 9.0]},
                {"name": "this device, estimated", "values": [0.21, null]},
                {"name": "this device, measured", "values": [0.25, 0.3]}]}"##,
        )
        .unwrap();
        preview("latency_bars", &svg);
        for text in [
            "#3",
            "#1",
            "mobile (illustrative table)",
            "latency (ms)",
            "1 bar not shown: no latency known for that device",
        ] {
            assert!(has_text(&svg, text), "missing {text}");
        }
    }

    #[test]
    fn nothing_usable_says_what_to_do() {
        for json in [
            r##"{"groups": [], "series": []}"##,
            r##"{"groups": ["#1"], "series": [{"name": "a", "values": [null]}]}"##,
            r##"{"groups": ["#1"], "series": [{"name": "a", "values": [0.0]}]}"##,
        ] {
            let svg = render_json("latency_bars", json).unwrap();
            assert!(
                has_text(&svg, "No latencies yet — run a search above"),
                "{json}"
            );
        }
        let short = render_json(
            "latency_bars",
            r##"{"groups": ["#1", "#2"], "series": [{"name": "a", "values": [1.0]}]}"##,
        );
        assert!(short.is_ok());
    }
}
