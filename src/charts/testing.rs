//! Helpers for the chart tests: render to an SVG string, find text in it, and
//! keep a copy of each sample chart to look at.

use std::path::PathBuf;

use plotters::backend::SVGBackend;

use super::{ChartError, ChartStyle, TopArchitecturesData, draw_json};

/// Top architectures over the four chain ops, each written as `op,op,…`.
pub(super) fn top(architectures: &[&str]) -> TopArchitecturesData {
    TopArchitecturesData {
        ops: ["conv3x3", "conv5x5", "max_pool3x3", "identity"]
            .map(String::from)
            .to_vec(),
        architectures: architectures
            .iter()
            .map(|a| a.split(',').map(String::from).collect())
            .collect(),
    }
}

/// The size of a chart on the page, in CSS pixels.
pub(super) const SIZE: (u32, u32) = (640, 400);

/// Renders a chart at [`SIZE`] and returns its SVG text.
pub(super) fn render(
    draw: impl FnOnce(SVGBackend<'_>) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    render_sized(SIZE, draw)
}

/// Renders a chart at `size` device pixels and returns its SVG text.
pub(super) fn render_sized(
    size: (u32, u32),
    draw: impl FnOnce(SVGBackend<'_>) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    let mut svg = String::new();
    draw(SVGBackend::with_string(&mut svg, size))?;
    Ok(svg)
}

/// Renders the chart `kind` from JSON at [`SIZE`] and scale 1.
pub(super) fn render_json(kind: &str, json: &str) -> Result<String, ChartError> {
    render(|backend| draw_json(backend, kind, json, &ChartStyle::default()))
}

/// Whether the SVG holds a text element reading exactly `text`.
pub(super) fn has_text(svg: &str, text: &str) -> bool {
    svg.contains(&format!(">\n{text}\n</text>"))
}

/// The y coordinate of the text element reading exactly `text`.
pub(super) fn text_y(svg: &str, text: &str) -> Option<i32> {
    let end = svg.find(&format!(">\n{text}\n</text>"))?;
    let tag = &svg[svg[..end].rfind("<text")?..end];
    let y = &tag[tag.find(" y=\"")? + 4..];
    y[..y.find('"')?].parse().ok()
}

/// The largest `font-size` in the SVG.
pub(super) fn largest_font(svg: &str) -> f64 {
    svg.split("font-size=\"")
        .skip(1)
        .filter_map(|rest| rest[..rest.find('"')?].parse::<f64>().ok())
        .fold(0.0, f64::max)
}

/// Saves a sample chart for a person to look at: under `$CHART_PREVIEW_DIR` when
/// set, else `target/chart-previews`.
pub(super) fn preview(name: &str, svg: &str) {
    let dir = std::env::var_os("CHART_PREVIEW_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/chart-previews"));
    let path = dir.join(format!("{name}.svg"));
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&path, svg))
        .unwrap_or_else(|e| panic!("cannot write preview {}: {e}", path.display()));
}

/// Lists of values that charts commonly trip over: nothing, one value, equal
/// values, NaN, infinities, negatives, huge and tiny numbers, very many values.
fn awkward_values() -> Vec<(&'static str, Vec<f64>)> {
    let many = (0..10_000)
        .map(|i| ((i * 7919) % 1000) as f64 / 1000.0)
        .collect();
    vec![
        ("empty", vec![]),
        ("one value", vec![0.5]),
        ("equal values", vec![0.7; 5]),
        ("zeros", vec![0.0; 3]),
        ("all NaN", vec![f64::NAN; 4]),
        ("NaN among values", vec![0.3, f64::NAN, 0.8]),
        ("infinities", vec![f64::INFINITY, 0.4, f64::NEG_INFINITY]),
        ("negatives", vec![-3.0, -0.5, 0.2]),
        ("huge", vec![f64::MAX, -f64::MAX, 1e300]),
        ("tiny", vec![1e-300, 2e-300]),
        ("10k values", many),
    ]
}

/// Every chart kind as JSON-free data built from one list of awkward values.
fn draw_every_kind(
    values: &[f64],
    size: (u32, u32),
    style: &ChartStyle,
) -> Vec<(&'static str, Result<String, ChartError>)> {
    use super::*;
    use crate::pareto::Objective;

    let series = |name: &str| AccuracySeries {
        name: name.into(),
        values: values.to_vec(),
    };
    let scatter = OpsScatterData {
        ops: values
            .iter()
            .enumerate()
            .map(|(i, &v)| OpCost {
                op: format!("op{i}"),
                kind: OpKind::ALL[i % 3],
                params: v,
                flops: v * 3.0,
            })
            .collect(),
    };
    let graph = ArchGraphData {
        ops: (0..values.len().min(40))
            .map(|i| format!("conv{i}"))
            .collect(),
    };
    let best = BestSoFarData {
        series: vec![series("Random"), series("")],
    };
    let progress = EvolutionProgressData {
        best: values.to_vec(),
        mean: values.iter().map(|v| v * 0.9).collect(),
    };
    let diversity = DiversityData {
        values: values.to_vec(),
    };
    let histogram = AccuracyHistogramData {
        series: vec![series("Random"), series("Evolution")],
    };
    let pareto = |x| ParetoScatterData {
        x,
        points: values
            .iter()
            .enumerate()
            .map(|(i, &v)| ParetoPoint {
                group: ["random", "evolution", ""][i % 3].into(),
                label: format!("#{i}"),
                status: if i % 7 == 6 {
                    crate::train::Status::Failed
                } else {
                    crate::train::Status::Ok
                },
                accuracy: v,
                latency_ms: v * 3.0,
                params: v * 1e4,
                flops: f64::NAN,
            })
            .collect(),
    };
    let top = TopArchitecturesData {
        ops: vec!["conv3x3".into(), "identity".into()],
        architectures: values
            .iter()
            .enumerate()
            .map(|(i, _)| {
                (0..i % 6)
                    .map(|layer| format!("op{}", (i + layer) % 9))
                    .collect()
            })
            .collect(),
    };
    let race = StrategyRaceData {
        strategies: vec![RaceCurves {
            name: "Random".into(),
            median: values.to_vec(),
            lower: values.iter().map(|v| v * 0.9).collect(),
            upper: values.to_vec(),
        }],
        optimum: values.first().copied(),
        seeds: 20,
    };
    let guesses = PredictedVsTrueData {
        predicted: values.to_vec(),
        actual: values.iter().rev().copied().collect(),
        spread: values.iter().map(|v| v * 0.1).collect(),
        round: (0..values.len()).map(|i| i % 4).collect(),
        kendall: values.first().copied(),
        spearman: values.last().copied(),
    };
    let quality = RankQualityData {
        kendall: values.iter().map(|v| v * 2.0 - 1.0).collect(),
        spearman: values.to_vec(),
        proxy_kendall: values.iter().map(|v| -v).collect(),
        seeds: 20,
    };

    vec![
        (
            "ops_scatter",
            render_sized(size, |b| draw_ops_scatter(b, &scatter, style)),
        ),
        (
            "arch_graph",
            render_sized(size, |b| draw_arch_graph(b, &graph, style)),
        ),
        (
            "best_so_far",
            render_sized(size, |b| draw_best_so_far(b, &best, style)),
        ),
        (
            "evolution_progress",
            render_sized(size, |b| draw_evolution_progress(b, &progress, style)),
        ),
        (
            "diversity",
            render_sized(size, |b| draw_diversity(b, &diversity, style)),
        ),
        (
            "accuracy_histogram",
            render_sized(size, |b| draw_accuracy_histogram(b, &histogram, style)),
        ),
        (
            "pareto_scatter",
            render_sized(size, |b| {
                draw_pareto_scatter(b, &pareto(Objective::LatencyMs), style).map(drop)
            }),
        ),
        (
            "pareto_scatter",
            render_sized(size, |b| {
                draw_pareto_scatter(b, &pareto(Objective::Params), style).map(drop)
            }),
        ),
        (
            "op_frequency",
            render_sized(size, |b| draw_op_frequency(b, &top, style)),
        ),
        (
            "op_positions",
            render_sized(size, |b| draw_op_positions(b, &top, style)),
        ),
        (
            "strategy_race",
            render_sized(size, |b| draw_strategy_race(b, &race, style)),
        ),
        (
            "predicted_vs_true",
            render_sized(size, |b| draw_predicted_vs_true(b, &guesses, style)),
        ),
        (
            "rank_quality",
            render_sized(size, |b| draw_rank_quality(b, &quality, style)),
        ),
    ]
}

#[test]
fn no_chart_panics_or_fails_on_awkward_data() {
    for (case, values) in awkward_values() {
        for (kind, result) in draw_every_kind(&values, SIZE, &ChartStyle::default()) {
            let svg = result.unwrap_or_else(|e| panic!("{kind} with {case}: {e}"));
            assert!(svg.contains("</svg>"), "{kind} with {case}: unfinished SVG");
        }
    }
}

#[test]
fn no_chart_panics_on_tiny_huge_or_odd_canvases_and_scales() {
    let sizes = [(0, 0), (1, 1), (90, 60), (200, 120), (4000, 2500)];
    let scales = [0.0, -1.0, f64::NAN, f64::INFINITY, 0.5, 3.0, 100.0];
    let values = [0.2, f64::NAN, 0.9];

    for size in sizes {
        for scale in scales {
            for (kind, result) in draw_every_kind(&values, size, &ChartStyle { scale }) {
                result.unwrap_or_else(|e| panic!("{kind} at {size:?}, scale {scale}: {e}"));
            }
        }
    }
}

#[test]
fn every_chart_without_data_has_its_title_and_says_what_to_do() {
    let titles = [
        "Cost of each op",
        "Architecture: 0 ops",
        "Best accuracy so far",
        "Accuracy per generation",
        "Population diversity",
        "Accuracy distribution",
        "Accuracy against latency",
        "Accuracy against parameters",
        "Op frequency in the top architectures",
        "Where each op sits in the top architectures",
        "Best accuracy found, median over seeds",
        "Predicted against true accuracy",
        "How well the guesses rank, per round",
    ];

    for ((kind, result), title) in draw_every_kind(&[], SIZE, &ChartStyle::default())
        .into_iter()
        .zip(titles)
    {
        let svg = result.unwrap();
        assert!(has_text(&svg, title), "{kind}: no title {title:?}");
        assert!(svg.contains(" — "), "{kind}: no message");
    }
}

#[test]
fn a_larger_scale_draws_larger_text() {
    let values = [0.5, 0.6, 0.8];

    let normal = draw_every_kind(&values, (640, 400), &ChartStyle { scale: 1.0 });
    let doubled = draw_every_kind(&values, (1280, 800), &ChartStyle { scale: 2.0 });

    for ((kind, normal), (_, doubled)) in normal.into_iter().zip(doubled) {
        let (normal, doubled) = (
            largest_font(&normal.unwrap()),
            largest_font(&doubled.unwrap()),
        );
        assert!(
            doubled > normal,
            "{kind}: font {doubled} at scale 2 is not larger than {normal}"
        );
    }
}
