//! `pareto FILE`: the Pareto front of results that `search ... --json`
//! printed, with what was left out and the hypervolume.

use std::path::{Path, PathBuf};

use clap::Args;
use serde::Deserialize;
use serde_json::{Value, json};

use nasplay::pareto::{
    Excluded, Exclusion, Front, Objective, Scored, default_reference, front, hypervolume,
};

use nasplay::Error;

use super::{Failure, print_json};

/// One result as `search --json` prints it. Every field may be missing or
/// null (a failed candidate's accuracy is null): such values count as NaN and
/// leave the result out of the front, counted and named.
#[derive(Deserialize)]
struct Record {
    index: Option<usize>,
    arch: Option<String>,
    status: Option<String>,
    accuracy: Option<f64>,
    latency_ms: Option<f64>,
    params: Option<f64>,
    flops: Option<f64>,
}

impl Scored for Record {
    fn value(&self, objective: Objective) -> f64 {
        let value = match objective {
            Objective::Accuracy => self.accuracy,
            Objective::LatencyMs => self.latency_ms,
            Objective::Params => self.params,
            Objective::Flops => self.flops,
        };
        value.unwrap_or(f64::NAN)
    }

    fn succeeded(&self) -> bool {
        self.status.as_deref() != Some("failed")
    }
}

impl Record {
    /// How the result is named in output: its 1-based index in the search.
    fn label(&self, position: usize) -> Value {
        json!({"index": self.index.unwrap_or(position + 1), "arch": self.arch})
    }

    fn short(&self, position: usize) -> String {
        let index = self.index.unwrap_or(position + 1);
        format!("#{index} {}", self.arch.as_deref().unwrap_or("(no arch)"))
    }
}

/// The options of `nasplay pareto`.
#[derive(Args)]
pub struct ParetoArgs {
    /// A JSON file: the document `search ... --json` prints, or its list of evaluations.
    file: PathBuf,
    /// Comma-separated, from: accuracy (max), latency_ms, params, flops (min).
    #[arg(long, default_value = "accuracy,latency_ms")]
    objectives: String,
    /// Hypervolume reference point, one value per objective in natural units
    /// (e.g. 0,50). Default: accuracy 0, 1.1 × the largest front value otherwise.
    #[arg(long)]
    reference: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn pareto(args: &ParetoArgs) -> Result<(), Failure> {
    let objectives = Objective::parse_list(&args.objectives).map_err(setting("--objectives"))?;
    let records = read_records(&args.file)?;
    let front = front(&records, &objectives).map_err(setting("--objectives"))?;
    let volume = match (objectives.len(), args.reference.as_deref()) {
        (2, reference) => Some(volume(&front, reference)?),
        (_, None) => None,
        (n, Some(_)) => {
            let message =
                format!("--reference: the hypervolume needs exactly 2 objectives, got {n}");
            return Err(Failure(2, message));
        }
    };
    match args.json {
        true => print_json(&as_json(&args.file, &records, &front, volume.as_ref())),
        false => print_text(&records, &front, volume.as_ref()),
    }
    Ok(())
}

/// A settings error as a bad argument, without repeating the setting's name.
fn setting(flag: &'static str) -> impl Fn(Error) -> Failure {
    move |error| match error {
        Error::BadSetting { detail, .. } => Failure(2, format!("{flag}: {detail}")),
        other => Failure(2, format!("{flag}: {other}")),
    }
}

/// Accepts a bare list of results or a whole `search --json` document.
fn read_records(path: &Path) -> Result<Vec<Record>, Failure> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure(2, format!("FILE: cannot read {shown}: {e}")))?;
    let document: Value = serde_json::from_str(&text)
        .map_err(|e| Failure(2, format!("FILE: {shown} is not valid JSON: {e}")))?;
    let list = match document {
        Value::Array(list) => list,
        Value::Object(mut fields) => match fields.remove("evaluations") {
            Some(Value::Array(list)) => list,
            _ => {
                return Err(Failure(
                    2,
                    format!(
                        "FILE: {shown} is a JSON object without an \"evaluations\" list; give the \
                 output of `nasplay search ... --json` (one run, not --seeds) or a list of results"
                    ),
                ));
            }
        },
        _ => {
            return Err(Failure(
                2,
                format!("FILE: {shown} holds neither a list of results nor a search document"),
            ));
        }
    };
    list.into_iter()
        .enumerate()
        .map(|(i, item)| {
            let problem = match &item {
                Value::Object(_) => None,
                _ => Some("it is not a JSON object".to_string()),
            };
            let record = match problem {
                None => serde_json::from_value::<Record>(item).map_err(|e| e.to_string()),
                Some(problem) => Err(problem),
            };
            record.map_err(|problem| {
                let expected = "an object with fields such as accuracy and latency_ms";
                let n = i + 1;
                Failure(
                    2,
                    format!("FILE: result {n} of {shown} should be {expected}: {problem}"),
                )
            })
        })
        .collect()
}

/// The hypervolume with its reference point and where that came from.
struct Volume {
    value: f64,
    reference: Vec<f64>,
    given: bool,
}

fn volume(front: &Front, reference: Option<&str>) -> Result<Volume, Failure> {
    let (reference, given) = match reference {
        Some(text) => (parse_reference(text)?, true),
        None => (default_reference(front), false),
    };
    let value = hypervolume(front, &reference).map_err(setting("--reference"))?;
    Ok(Volume {
        value,
        reference,
        given,
    })
}

fn parse_reference(text: &str) -> Result<Vec<f64>, Failure> {
    text.split(',')
        .map(|item| {
            item.trim().parse::<f64>().map_err(|_| {
                Failure(
                    2,
                    format!("--reference: \"{item}\" is not a number; write e.g. 0,50"),
                )
            })
        })
        .collect()
}

fn why(reason: Exclusion) -> String {
    match reason {
        Exclusion::Failed => "failed".to_string(),
        Exclusion::NotFinite(objective) => format!("{objective} missing or not a finite number"),
    }
}

fn named_values(objectives: &[Objective], values: &[f64]) -> Value {
    let map = objectives
        .iter()
        .zip(values)
        .map(|(o, v)| (o.name().to_string(), json!(v)));
    Value::Object(map.collect())
}

fn as_json(file: &Path, records: &[Record], front: &Front, volume: Option<&Volume>) -> Value {
    let points: Vec<Value> = front
        .points
        .iter()
        .map(|p| {
            let members: Vec<Value> = p.members.iter().map(|&m| records[m].label(m)).collect();
            json!({"values": named_values(&front.objectives, &p.values), "members": members})
        })
        .collect();
    let excluded: Vec<Value> = front
        .excluded
        .iter()
        .map(|&Excluded { index, reason }| {
            let mut label = records[index].label(index);
            label["reason"] = json!(why(reason));
            label
        })
        .collect();
    let objectives: Vec<Value> = front
        .objectives
        .iter()
        .map(|o| json!({"name": o, "direction": o.direction()}))
        .collect();
    json!({
        "file": file.display().to_string(),
        "objectives": objectives,
        "results": records.len(),
        "points": points,
        "excluded": excluded.len(),
        "excluded_results": excluded,
        "hypervolume": volume.map(|v| json!({
            "value": v.value,
            "reference": named_values(&front.objectives, &v.reference),
            "reference_source": if v.given { "given" } else { "default" },
        })),
    })
}

/// A value with the precision its objective needs: counts as integers.
fn shown(objective: Objective, value: f64) -> String {
    match objective {
        Objective::Accuracy => format!("{objective} {value:.4}"),
        Objective::LatencyMs => format!("{objective} {value:.3}"),
        Objective::Params | Objective::Flops => format!("{objective} {value:.0}"),
    }
}

fn print_text(records: &[Record], front: &Front, volume: Option<&Volume>) {
    let axes: Vec<String> = front
        .objectives
        .iter()
        .map(|o| format!("{o} ({:?})", o.direction()).to_lowercase())
        .collect();
    println!(
        "Pareto front of {} results on {}: {} points, {} results",
        records.len(),
        axes.join(", "),
        front.len(),
        front.member_count()
    );
    for point in &front.points {
        let values: Vec<String> = front
            .objectives
            .iter()
            .zip(&point.values)
            .map(|(&o, &v)| shown(o, v))
            .collect();
        let members: Vec<String> = point.members.iter().map(|&m| records[m].short(m)).collect();
        println!("  {}  <- {}", values.join("  "), members.join("; "));
    }
    let excluded: Vec<String> = front
        .excluded
        .iter()
        .map(|e| format!("{} ({})", records[e.index].short(e.index), why(e.reason)))
        .collect();
    match excluded.is_empty() {
        true => println!("excluded: 0"),
        false => println!("excluded: {}: {}", excluded.len(), excluded.join("; ")),
    }
    if front.objectives.len() != 2 {
        println!("hypervolume: computed for exactly 2 objectives only");
    }
    if let Some(v) = volume {
        let reference: Vec<String> = front
            .objectives
            .iter()
            .zip(&v.reference)
            .map(|(o, r)| format!("{o} {}", (r * 1e6).round() / 1e6))
            .collect();
        let source = match v.given {
            true => "given with --reference",
            false => "default: accuracy 0, 1.1 × the largest value on the front otherwise",
        };
        println!(
            "hypervolume {:.6} against the reference {} ({source})",
            v.value,
            reference.join(", ")
        );
    }
}
