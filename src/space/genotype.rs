//! The discrete cell a DARTS search derives: which op runs on which edge of a
//! small DAG of nodes, and its exact cost when built as a classifier.

use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

use super::cost::{Cost, NetShape};
use super::op::Op;
use crate::error::{Error, Result};

/// The most nodes a cell may have (input node included).
pub const MAX_CELL_NODES: usize = 6;

/// One kept edge: node `to` receives `op` applied to node `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct CellEdge {
    pub from: usize,
    pub to: usize,
    pub op: Op,
}

/// A cell of `nodes` nodes: node 0 is the stem's output, every later node is
/// the sum of its kept incoming edges, and the cell's output concatenates the
/// intermediate nodes 1..nodes along channels.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Genotype {
    nodes: usize,
    /// Sorted by (to, from).
    edges: Vec<CellEdge>,
}

impl Genotype {
    /// Checks that every edge goes forward between existing nodes, appears
    /// once, and that every intermediate node has at least one input.
    pub fn new(nodes: usize, mut edges: Vec<CellEdge>) -> Result<Self> {
        if !(2..=MAX_CELL_NODES).contains(&nodes) {
            return Err(Error::out_of_range("cell nodes", 2, MAX_CELL_NODES, nodes));
        }
        if let Some(bad) = edges.iter().find(|e| e.from >= e.to || e.to >= nodes) {
            return Err(Error::bad_setting(
                "genotype",
                format!(
                    "edge {}→{} does not go forward between nodes 0..{}",
                    bad.from,
                    bad.to,
                    nodes - 1
                ),
            ));
        }
        edges.sort_by_key(|e| (e.to, e.from));
        if let Some(pair) = edges
            .windows(2)
            .find(|w| (w[0].from, w[0].to) == (w[1].from, w[1].to))
        {
            return Err(Error::bad_setting(
                "genotype",
                format!("edge {}→{} appears twice", pair[0].from, pair[0].to),
            ));
        }
        if let Some(node) = (1..nodes).find(|&n| !edges.iter().any(|e| e.to == n)) {
            return Err(Error::bad_setting(
                "genotype",
                format!("node {node} has no incoming edge"),
            ));
        }
        Ok(Self { nodes, edges })
    }

    /// Nodes including the input node.
    pub fn nodes(&self) -> usize {
        self.nodes
    }

    pub fn edges(&self) -> &[CellEdge] {
        &self.edges
    }

    /// Trainable parameters and FLOPs of stem + cell + global pool + linear
    /// head, as `CellNet` builds them.
    pub fn cost(&self, shape: &NetShape) -> Cost {
        let NetShape {
            in_channels,
            classes,
            width,
            input_size,
        } = *shape;
        let hw = input_size * input_size;
        let concat = width * (self.nodes - 1);

        let stem_params = in_channels * width * 9 + width + 2 * width;
        let stem_flops = hw * in_channels * width * 9;
        let edge_params: usize = self.edges.iter().map(|e| e.op.params(width)).sum();
        let edge_flops: usize = self
            .edges
            .iter()
            .map(|e| e.op.flops(width, input_size))
            .sum();
        // Summing k inputs into a node takes k - 1 additions per value.
        let node_adds = (self.edges.len() - (self.nodes - 1)) * hw * width;
        let head_params = concat * classes + classes;
        let head_flops = hw * concat + concat * classes;
        Cost {
            params: stem_params + edge_params + head_params,
            flops: stem_flops + edge_flops + node_adds + head_flops,
        }
    }
}

/// `n1 = conv3x3(n0) | n2 = conv5x5(n0) + identity(n1) | …`
impl fmt::Display for Genotype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for node in 1..self.nodes {
            if node > 1 {
                f.write_str(" | ")?;
            }
            write!(f, "n{node} = ")?;
            let inputs: Vec<String> = self
                .edges
                .iter()
                .filter(|e| e.to == node)
                .map(|e| format!("{}(n{})", e.op, e.from))
                .collect();
            f.write_str(&inputs.join(" + "))?;
        }
        Ok(())
    }
}

impl FromStr for Genotype {
    type Err = Error;

    /// Parses the text form `Display` writes, one `|`-separated part per node
    /// in order: `n1 = conv3x3(n0) | n2 = identity(n0) + conv5x5(n1)`.
    /// Errors name the part and the input that is wrong.
    fn from_str(text: &str) -> Result<Self> {
        let mut edges = Vec::new();
        let parts: Vec<&str> = text.split('|').collect();
        for (i, part) in parts.iter().enumerate() {
            let node = i + 1;
            let inputs = part
                .split_once('=')
                .filter(|(name, _)| name.trim() == format!("n{node}"))
                .map(|(_, inputs)| inputs)
                .ok_or_else(|| {
                    cell_text(format!(
                        "part {node} is \"{}\"; expected \"n{node} = op(n0) + ...\"",
                        part.trim()
                    ))
                })?;
            for (j, input) in inputs.split('+').enumerate() {
                edges.push(parse_input(input.trim(), node, j + 1)?);
            }
        }
        Genotype::new(parts.len() + 1, edges)
    }
}

/// One input `op(nK)` of node `to`, the `position`-th (1-based) of its sum.
fn parse_input(input: &str, to: usize, position: usize) -> Result<CellEdge> {
    let (name, from) = input
        .strip_suffix(')')
        .and_then(|call| call.split_once("(n"))
        .ok_or_else(|| {
            cell_text(format!(
                "input {position} of n{to} is \"{input}\"; expected op(nK), e.g. conv3x3(n0)"
            ))
        })?;
    let op = Op::parse_item(name.trim(), position).map_err(|e| cell_text(format!("n{to}: {e}")))?;
    let from = from.trim().parse().map_err(|_| {
        cell_text(format!(
            "input {position} of n{to} reads from \"n{from}\"; expected a node number"
        ))
    })?;
    Ok(CellEdge { from, to, op })
}

fn cell_text(detail: String) -> Error {
    Error::bad_setting("genotype", detail)
}

/// Serialized as its text form, like an `Architecture`.
impl Serialize for Genotype {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(from: usize, to: usize, op: Op) -> CellEdge {
        CellEdge { from, to, op }
    }

    fn sample() -> Genotype {
        Genotype::new(
            4,
            vec![
                edge(1, 3, Op::Identity),
                edge(0, 1, Op::Conv3x3),
                edge(0, 2, Op::DwConv5x5),
                edge(1, 2, Op::MaxPool3x3),
                edge(0, 3, Op::Conv5x5),
            ],
        )
        .unwrap()
    }

    #[test]
    fn text_form_lists_each_node_in_order() {
        assert_eq!(
            sample().to_string(),
            "n1 = conv3x3(n0) | n2 = dw_conv5x5(n0) + max_pool3x3(n1) | \
             n3 = conv5x5(n0) + identity(n1)"
        );
    }

    #[test]
    fn cost_matches_a_hand_count() {
        // Width 4, 1 channel, 10 classes, 8x8: stem 36 + 4 + 8 = 48;
        // conv3x3 144 + 12 = 156; dw_conv5x5 (100 + 12) + (16 + 12) = 140;
        // conv5x5 400 + 12 = 412; head 12 * 10 + 10 = 130. Total 886.
        let shape = NetShape {
            width: 4,
            ..NetShape::DIGITS
        };
        assert_eq!(sample().cost(&shape).params, 886);
    }

    #[test]
    fn text_form_round_trips_through_parsing() {
        let text = sample().to_string();
        assert_eq!(text.parse::<Genotype>().unwrap(), sample());
        let tight: Genotype = "n1=conv3x3(n0)|n2=identity(n1)+avg_pool3x3(n0)"
            .parse()
            .unwrap();
        assert_eq!(tight.nodes(), 3);
        assert_eq!(tight.edges().len(), 3);
    }

    #[test]
    fn malformed_cell_text_names_the_part_or_input() {
        let error = |text: &str| text.parse::<Genotype>().unwrap_err().to_string();
        assert!(error("n2 = conv3x3(n0)").contains("part 1"));
        assert!(error("n1 = conv3x3(n0) | n2 = conv3x3 n1").contains("input 1 of n2"));
        assert!(error("n1 = conv7x7(n0)").contains("unknown op \"conv7x7\""));
        assert!(error("n1 = conv3x3(nx)").contains("\"nx\""));
        assert!(error("n1 = conv3x3(n1)").contains("1→1"));
    }

    #[test]
    fn malformed_cells_are_rejected_with_the_reason() {
        let backwards = Genotype::new(3, vec![edge(1, 1, Op::Identity)]).unwrap_err();
        assert!(backwards.to_string().contains("1→1"), "{backwards}");
        let orphan = Genotype::new(3, vec![edge(0, 1, Op::Identity)]).unwrap_err();
        assert!(orphan.to_string().contains("node 2"), "{orphan}");
        let twice =
            Genotype::new(2, vec![edge(0, 1, Op::Identity), edge(0, 1, Op::Conv3x3)]).unwrap_err();
        assert!(twice.to_string().contains("twice"), "{twice}");
        assert!(Genotype::new(7, vec![]).is_err());
    }
}
