//! A NAS-Bench-201 cell: four nodes, and on each of the six edges from an
//! earlier node to a later one, one of five ops. 5^6 = 15,625 cells in all.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::op::EdgeOp;
use crate::error::{Error, Result};

/// Number of edges in a cell.
pub const EDGE_COUNT: usize = 6;

/// Number of distinct cells: every op on every edge.
pub const CELL_COUNT: usize = 15_625;

/// The (to, from) nodes of each edge, in the order of the text form.
pub const EDGES: [(usize, usize); EDGE_COUNT] = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)];

/// The text form a cell must follow, for error messages.
const FORM: &str = "|op~0|+|op~0|op~1|+|op~0|op~1|op~2|";

/// The ops of the six edges, in the order of `EDGES`. Its serde form is the
/// benchmark's text form, e.g. `|nor_conv_3x3~0|+|none~0|skip_connect~1|+|…|`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cell {
    edges: [EdgeOp; EDGE_COUNT],
}

impl Cell {
    pub fn new(edges: [EdgeOp; EDGE_COUNT]) -> Self {
        Self { edges }
    }

    pub fn edges(&self) -> &[EdgeOp; EDGE_COUNT] {
        &self.edges
    }

    /// This cell with edge `edge` (0-based, in the order of `EDGES`) set to `op`.
    ///
    /// # Panics
    /// If `edge` is not below `EDGE_COUNT`.
    pub fn with_edge(&self, edge: usize, op: EdgeOp) -> Self {
        let mut edges = self.edges;
        edges[edge] = op;
        Self { edges }
    }

    /// How many edges carry `op`.
    pub fn count(&self, op: EdgeOp) -> usize {
        self.edges.iter().filter(|&&e| e == op).count()
    }

    /// The cell's position among all cells when read as a base-5 number, the
    /// first edge most significant: a dense key in `0..CELL_COUNT`. (Not the
    /// benchmark's own index, which the table gives.)
    pub fn code(&self) -> usize {
        self.edges
            .iter()
            .fold(0, |code, op| code * EdgeOp::ALL.len() + op.digit())
    }

    /// The cell whose `code` is `code`; `None` when it is `CELL_COUNT` or more.
    pub fn from_code(code: usize) -> Option<Self> {
        if code >= CELL_COUNT {
            return None;
        }
        let mut edges = [EdgeOp::None; EDGE_COUNT];
        let mut rest = code;
        for edge in edges.iter_mut().rev() {
            *edge = EdgeOp::ALL[rest % EdgeOp::ALL.len()];
            rest /= EdgeOp::ALL.len();
        }
        Some(Self { edges })
    }
}

impl fmt::Display for Cell {
    /// `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`, exactly as the benchmark writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (&(to, from), op)) in EDGES.iter().zip(&self.edges).enumerate() {
            if i > 0 && from == 0 {
                f.write_str("+")?;
            }
            write!(f, "|{op}~{from}")?;
            if from + 1 == to {
                f.write_str("|")?;
            }
        }
        Ok(())
    }
}

impl FromStr for Cell {
    type Err = Error;

    /// Parses the benchmark's text form strictly: three node groups joined by
    /// `+`, node `n` listing its `n` inputs `op~0` … `op~(n-1)` in order, each
    /// group between `|` bars. Errors name the node and the part that is wrong.
    fn from_str(text: &str) -> Result<Self> {
        let groups: Vec<&str> = text.split('+').collect();
        if groups.len() != 3 {
            let problem = format!(
                "found {} node groups joined by '+', expected 3",
                groups.len()
            );
            return Err(bad_cell(text, &problem));
        }
        let mut edges = Vec::with_capacity(EDGE_COUNT);
        for (g, group) in groups.iter().enumerate() {
            edges.extend(parse_node(text, group, g + 1)?);
        }
        let edges: [EdgeOp; EDGE_COUNT] = edges.try_into().expect("1 + 2 + 3 edges parsed");
        Ok(Self { edges })
    }
}

/// The ops of node `node`'s group, e.g. `|nor_conv_1x1~0|skip_connect~1|`.
fn parse_node(text: &str, group: &str, node: usize) -> Result<Vec<EdgeOp>> {
    let inner = group.strip_prefix('|').and_then(|g| g.strip_suffix('|'));
    let Some(inner) = inner.filter(|inner| !inner.is_empty()) else {
        let problem = format!("node {node}'s group \"{group}\" must start and end with '|'");
        return Err(bad_cell(text, &problem));
    };
    let items: Vec<&str> = inner.split('|').collect();
    if items.len() != node {
        let problem = format!(
            "node {node}'s group \"{group}\" has {} edges, expected {node} (inputs ~0 to ~{})",
            items.len(),
            node - 1
        );
        return Err(bad_cell(text, &problem));
    }
    items
        .iter()
        .enumerate()
        .map(|(from, item)| parse_edge(text, item, node, from))
        .collect()
}

/// One `op~from` item, which must read from node `from`.
fn parse_edge(text: &str, item: &str, node: usize, from: usize) -> Result<EdgeOp> {
    let Some((name, input)) = item.split_once('~') else {
        let problem = format!("edge \"{item}\" of node {node} lacks its input, e.g. ~{from}");
        return Err(bad_cell(text, &problem));
    };
    if input != from.to_string() {
        let problem =
            format!("edge \"{item}\" of node {node} should read from node {from} (write ~{from})");
        return Err(bad_cell(text, &problem));
    }
    name.parse::<EdgeOp>().map_err(|_| {
        let problem = format!(
            "edge \"{item}\" of node {node} has unknown op \"{name}\" (known: {})",
            EdgeOp::known_names()
        );
        bad_cell(text, &problem)
    })
}

fn bad_cell(text: &str, problem: &str) -> Error {
    Error::bad_setting(
        "cell",
        format!("{problem} in \"{text}\"; write a cell as {FORM}"),
    )
}

impl TryFrom<String> for Cell {
    type Error = Error;
    fn try_from(text: String) -> Result<Self> {
        text.parse()
    }
}

impl From<Cell> for String {
    fn from(cell: Cell) -> String {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIRST_ROW: &str = concat!(
        "|avg_pool_3x3~0|",
        "+|nor_conv_1x1~0|skip_connect~1|",
        "+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|"
    );

    fn err(text: &str) -> String {
        text.parse::<Cell>().unwrap_err().to_string()
    }

    #[test]
    fn the_text_form_round_trips() {
        let cell: Cell = FIRST_ROW.parse().unwrap();

        assert_eq!(cell.to_string(), FIRST_ROW);
        assert_eq!(cell.edges()[0], EdgeOp::AvgPool3x3);
        assert_eq!(cell.count(EdgeOp::SkipConnect), 3);
    }

    #[test]
    fn codes_cover_every_cell_once_and_invert() {
        for code in 0..CELL_COUNT {
            assert_eq!(Cell::from_code(code).unwrap().code(), code);
        }
        assert!(Cell::from_code(CELL_COUNT).is_none());
    }

    #[test]
    fn a_missing_node_group_is_counted() {
        let e = err("|none~0|+|none~0|none~1|");
        assert!(
            e.contains("found 2 node groups joined by '+', expected 3"),
            "{e}"
        );
    }

    #[test]
    fn a_node_with_the_wrong_number_of_edges_is_named() {
        let e = err("|none~0|+|none~0|+|none~0|none~1|none~2|");
        assert!(
            e.contains("node 2's group \"|none~0|\" has 1 edges, expected 2"),
            "{e}"
        );
    }

    #[test]
    fn a_bad_op_or_input_is_named_with_its_node() {
        let e = err("|none~0|+|none~0|conv~1|+|none~0|none~1|none~2|");
        assert!(
            e.contains("edge \"conv~1\" of node 2 has unknown op \"conv\""),
            "{e}"
        );
        let e = err("|none~0|+|none~0|none~1|+|none~0|none~2|none~2|");
        assert!(
            e.contains("edge \"none~2\" of node 3 should read from node 1"),
            "{e}"
        );
        let e = err("|none~0|+|none~0|none|+|none~0|none~1|none~2|");
        assert!(e.contains("edge \"none\" of node 2 lacks its input"), "{e}");
    }

    #[test]
    fn missing_bars_are_an_error_that_shows_the_form() {
        let e = err("none~0+|none~0|none~1|+|none~0|none~1|none~2|");
        assert!(e.contains("must start and end with '|'"), "{e}");
        assert!(e.contains(FORM), "{e}");
    }

    #[test]
    fn serde_uses_the_text_form() {
        let cell: Cell = FIRST_ROW.parse().unwrap();
        let json = serde_json::to_string(&cell).unwrap();
        assert_eq!(json, format!("\"{FIRST_ROW}\""));
        assert_eq!(serde_json::from_str::<Cell>(&json).unwrap(), cell);
    }
}
