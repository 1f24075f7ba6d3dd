//! The objectives a candidate is judged on, each with the direction that is
//! better, and the trait that reads them from a candidate.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::train::Evaluation;

/// Whether more or less of an objective is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Maximize,
    Minimize,
}

/// One axis of a multi-objective comparison. The string form (`accuracy`,
/// `latency_ms`, `params`, `flops`) is the one used on the command line, in
/// JSON and in the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Accuracy as a fraction in `[0, 1]`; higher is better.
    Accuracy,
    /// Latency of one forward pass in milliseconds; lower is better.
    LatencyMs,
    /// Trainable parameters, as a count (not millions); lower is better.
    Params,
    /// Multiply-adds of one forward pass, as a count; lower is better.
    Flops,
}

impl Objective {
    pub const ALL: [Objective; 4] = [
        Objective::Accuracy,
        Objective::LatencyMs,
        Objective::Params,
        Objective::Flops,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Objective::Accuracy => "accuracy",
            Objective::LatencyMs => "latency_ms",
            Objective::Params => "params",
            Objective::Flops => "flops",
        }
    }

    pub fn direction(self) -> Direction {
        match self {
            Objective::Accuracy => Direction::Maximize,
            _ => Direction::Minimize,
        }
    }

    /// The accepted names, for error messages.
    pub fn known_names() -> String {
        Objective::ALL.map(Objective::name).join(", ")
    }

    /// Parses a comma-separated list such as `accuracy,latency_ms`. The list
    /// must name at least one objective and none twice: a repeated objective
    /// would only hide a typo.
    pub fn parse_list(text: &str) -> Result<Vec<Objective>> {
        let objectives = text
            .split(',')
            .enumerate()
            .map(|(i, item)| parse_item(item.trim(), i + 1))
            .collect::<Result<Vec<_>>>()?;
        check_list(&objectives)?;
        Ok(objectives)
    }
}

fn parse_item(item: &str, position: usize) -> Result<Objective> {
    match item.is_empty() {
        true => Err(Error::bad_setting(
            "objectives",
            format!(
                "item {position} is empty; write names separated by single commas, \
                 from: {}",
                Objective::known_names()
            ),
        )),
        false => item.parse(),
    }
}

/// Rejects an empty list or one that names an objective twice.
pub(crate) fn check_list(objectives: &[Objective]) -> Result<()> {
    if objectives.is_empty() {
        return Err(Error::bad_setting(
            "objectives",
            format!(
                "give at least one objective, from: {}",
                Objective::known_names()
            ),
        ));
    }
    for (i, objective) in objectives.iter().enumerate() {
        if objectives[..i].contains(objective) {
            return Err(Error::bad_setting(
                "objectives",
                format!("\"{objective}\" is named twice; name each objective once"),
            ));
        }
    }
    Ok(())
}

impl fmt::Display for Objective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Objective {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        Objective::ALL
            .into_iter()
            .find(|objective| objective.name() == text)
            .ok_or_else(|| {
                Error::bad_setting(
                    "objective",
                    format!(
                        "unknown objective \"{text}\"; accepted: {}",
                        Objective::known_names()
                    ),
                )
            })
    }
}

/// Anything with objective values: a trained candidate, a benchmark row.
pub trait Scored {
    /// The value of `objective` in the units `Objective` documents; NaN when
    /// the candidate has none (it is then left out of fronts and rankings).
    fn value(&self, objective: Objective) -> f64;

    /// False for a candidate that failed; failed candidates are left out
    /// whatever their values, so a half-trained net never sits on a front.
    fn succeeded(&self) -> bool {
        true
    }
}

impl<T: Scored + ?Sized> Scored for &T {
    fn value(&self, objective: Objective) -> f64 {
        (**self).value(objective)
    }

    fn succeeded(&self) -> bool {
        (**self).succeeded()
    }
}

impl Scored for Evaluation {
    fn value(&self, objective: Objective) -> f64 {
        match objective {
            Objective::Accuracy => self.accuracy,
            Objective::LatencyMs => self.latency_ms,
            Objective::Params => self.params as f64,
            Objective::Flops => self.flops as f64,
        }
    }

    fn succeeded(&self) -> bool {
        self.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_objective_round_trips_through_its_name_and_json() {
        for objective in Objective::ALL {
            assert_eq!(objective.name().parse::<Objective>().unwrap(), objective);
            let json = serde_json::to_string(&objective).unwrap();
            assert_eq!(json, format!("\"{}\"", objective.name()));
        }
    }

    #[test]
    fn an_unknown_objective_is_named_with_the_accepted_ones() {
        let err = "latency".parse::<Objective>().unwrap_err().to_string();
        assert!(err.contains("\"latency\""), "{err}");
        assert!(err.contains("accuracy, latency_ms, params, flops"), "{err}");
    }

    #[test]
    fn only_accuracy_is_maximized() {
        let maximized: Vec<_> = Objective::ALL
            .into_iter()
            .filter(|o| o.direction() == Direction::Maximize)
            .collect();
        assert_eq!(maximized, [Objective::Accuracy]);
    }

    #[test]
    fn an_evaluation_gives_its_own_fields_and_a_failed_one_does_not_succeed() {
        let arch: crate::space::Architecture = "identity".parse().unwrap();
        let trained = crate::train::fake_evaluation(&arch, 0.8);

        assert_eq!(trained.value(Objective::Accuracy), 0.8);
        assert_eq!(trained.value(Objective::LatencyMs), trained.latency_ms);
        assert!(trained.succeeded());
        assert!(!crate::train::fake_evaluation(&arch, f64::NAN).succeeded());
    }

    #[test]
    fn a_list_parses_in_order_and_rejects_repeats_and_gaps() {
        let list = Objective::parse_list("accuracy, latency_ms").unwrap();
        assert_eq!(list, [Objective::Accuracy, Objective::LatencyMs]);
        let err = Objective::parse_list("accuracy,accuracy")
            .unwrap_err()
            .to_string();
        assert!(err.contains("named twice"), "{err}");
        let err = Objective::parse_list("accuracy,,flops")
            .unwrap_err()
            .to_string();
        assert!(err.contains("item 2 is empty"), "{err}");
    }
}
