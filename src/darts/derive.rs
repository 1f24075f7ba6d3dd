//! From α to a discrete cell: the strongest op of each edge, the strongest
//! incoming edges of each node, and the checks that tell a user when the
//! result should not be trusted (undecided edges, the parameter-free collapse).

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::cell_edges;
use crate::space::{CellEdge, Genotype, Op, OpKind};

/// An edge whose probabilities all lie within this of uniform has not
/// chosen anything yet.
pub const UNDECIDED_TOLERANCE: f64 = 1e-3;

/// Incoming edges kept per intermediate node (the first node has only one).
pub const EDGES_PER_NODE: usize = 2;

/// One supernet edge as the search left it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgeChoice {
    pub from: usize,
    pub to: usize,
    /// The op with the highest softmax probability; the first in canonical
    /// order on a tie.
    pub best_op: Op,
    pub probability: f64,
    /// Every probability is within [`UNDECIDED_TOLERANCE`] of uniform.
    pub undecided: bool,
    /// The edge is in the genotype.
    pub kept: bool,
    /// The op the genotype runs on this edge, when kept; differs from
    /// `best_op` only where the identity cap replaced it.
    pub chosen: Option<Op>,
}

/// The genotype and how it was reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Derivation {
    pub genotype: Genotype,
    pub edges: Vec<EdgeChoice>,
    /// Set when parameter-free ops won most kept edges.
    pub collapse_warning: Option<String>,
    /// Set when the identity cap was asked for; says what it changed.
    pub cap_note: Option<String>,
}

/// Derives the cell from per-edge softmax probabilities (`[edges][ops]`,
/// edges in `cell_edges` order, ops in canonical order). Edges are ranked by
/// probability, never by raw α: raw values are not comparable across edges,
/// since softmax ignores each row's offset.
pub fn derive_genotype(
    probabilities: &[Vec<f64>],
    ops: &[Op],
    nodes: usize,
    identity_cap: Option<usize>,
) -> Result<Derivation> {
    check_table(probabilities, ops, nodes)?;
    let mut edges: Vec<EdgeChoice> = cell_edges(nodes)
        .into_iter()
        .zip(probabilities)
        .map(|((from, to), row)| edge_choice(from, to, row, ops))
        .collect();
    keep_strongest_inputs(&mut edges, nodes);
    let collapse_warning = collapse_warning(&edges);
    let cap_note = identity_cap.map(|cap| apply_identity_cap(&mut edges, probabilities, ops, cap));
    let kept = edges
        .iter()
        .filter_map(|e| {
            e.chosen.map(|op| CellEdge {
                from: e.from,
                to: e.to,
                op,
            })
        })
        .collect();
    Ok(Derivation {
        genotype: Genotype::new(nodes, kept)?,
        edges,
        collapse_warning,
        cap_note,
    })
}

fn check_table(probabilities: &[Vec<f64>], ops: &[Op], nodes: usize) -> Result<()> {
    let expected = cell_edges(nodes).len();
    let bad = |detail: String| Err(Error::bad_setting("architecture weights", detail));
    if ops.is_empty() {
        return bad("no ops".into());
    }
    if probabilities.len() != expected {
        return bad(format!(
            "{} edges given, a {nodes}-node cell has {expected}",
            probabilities.len()
        ));
    }
    for (edge, row) in probabilities.iter().enumerate() {
        if row.len() != ops.len() {
            return bad(format!(
                "edge {edge} has {} values for {} ops",
                row.len(),
                ops.len()
            ));
        }
        if row.iter().any(|p| !p.is_finite()) {
            return bad(format!(
                "edge {edge} has a value that is not a finite number; the search diverged"
            ));
        }
    }
    Ok(())
}

fn edge_choice(from: usize, to: usize, row: &[f64], ops: &[Op]) -> EdgeChoice {
    let best = strongest(row, |_| true).expect("rows are non-empty");
    let uniform = 1.0 / row.len() as f64;
    EdgeChoice {
        from,
        to,
        best_op: ops[best],
        probability: row[best],
        undecided: row
            .iter()
            .all(|p| (p - uniform).abs() <= UNDECIDED_TOLERANCE),
        kept: false,
        chosen: None,
    }
}

/// Index of the largest value among those `allowed`, the first on a tie.
fn strongest(row: &[f64], allowed: impl Fn(usize) -> bool) -> Option<usize> {
    (0..row.len())
        .filter(|&k| allowed(k))
        .fold(None, |best, k| match best {
            Some(b) if row[b] >= row[k] => Some(b),
            _ => Some(k),
        })
}

/// Marks the [`EDGES_PER_NODE`] incoming edges of each node whose best op
/// is most probable; ties go to the edge from the earlier node.
fn keep_strongest_inputs(edges: &mut [EdgeChoice], nodes: usize) {
    for to in 1..nodes {
        let mut incoming: Vec<usize> = (0..edges.len()).filter(|&i| edges[i].to == to).collect();
        // Stable: equal probabilities keep the by-source order.
        incoming.sort_by(|&a, &b| edges[b].probability.total_cmp(&edges[a].probability));
        for &i in incoming.iter().take(EDGES_PER_NODE) {
            edges[i].kept = true;
            edges[i].chosen = Some(edges[i].best_op);
        }
    }
}

fn is_parameter_free(op: Op) -> bool {
    op.kind() != OpKind::Conv
}

/// The warning when parameter-free ops won most kept edges: the known DARTS
/// failure where skips and pools win early because they need no training.
fn collapse_warning(edges: &[EdgeChoice]) -> Option<String> {
    let kept: Vec<&EdgeChoice> = edges.iter().filter(|e| e.kept).collect();
    let free = kept.iter().filter(|e| is_parameter_free(e.best_op)).count();
    (free * 2 > kept.len()).then(|| {
        format!(
            "parameter-free ops (identity, pooling) won {free} of the {} kept edges. This is \
             the known DARTS collapse: they win early because they need no training, not \
             because the cell is better with them. Try more search epochs, a lower α learning \
             rate, or the identity cap.",
            kept.len()
        )
    })
}

/// Replaces identity on the weakest kept identity edges beyond `cap` by each
/// edge's most probable parametric op; returns what it did.
fn apply_identity_cap(
    edges: &mut [EdgeChoice],
    probabilities: &[Vec<f64>],
    ops: &[Op],
    cap: usize,
) -> String {
    let mut identity: Vec<usize> = (0..edges.len())
        .filter(|&i| edges[i].chosen == Some(Op::Identity))
        .collect();
    if identity.len() <= cap {
        return format!(
            "identity cap {cap}: the genotype has {} identity edges, nothing changed",
            identity.len()
        );
    }
    identity.sort_by(|&a, &b| edges[a].probability.total_cmp(&edges[b].probability));
    let excess = identity.len() - cap;
    let mut changes = Vec::new();
    for &i in identity.iter().take(excess) {
        let Some(k) = strongest(&probabilities[i], |k| !is_parameter_free(ops[k])) else {
            return format!(
                "identity cap {cap}: no parametric op is enabled, so identity could not be replaced"
            );
        };
        edges[i].chosen = Some(ops[k]);
        changes.push(format!("{}→{} now {}", edges[i].from, edges[i].to, ops[k]));
    }
    format!(
        "identity cap {cap} changed the genotype: {} (the weakest identity edges got their \
         most probable parametric op)",
        changes.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::darts::softmax_rows;

    const OPS3: [Op; 3] = [Op::Conv3x3, Op::MaxPool3x3, Op::Identity];

    fn rows(values: &[[f64; 3]]) -> Vec<Vec<f64>> {
        values.iter().map(|r| r.to_vec()).collect()
    }

    #[test]
    fn softmax_ranking_wins_where_raw_alpha_disagrees() {
        // Three nodes: edges 0→1, 0→2, 1→2; node 2 keeps both of its inputs,
        // so use a 4-node cell where node 3 must pick 2 of 3.
        // Edge 0→3 has the largest raw α (2.0) but splits it between two ops
        // (p = 0.468); edge 1→3 has raw 1.5 on one op (p = 0.691); edge 2→3
        // has raw 1.8 on one op and 1.6 on another (p = 0.50).
        let alpha = rows(&[
            [1.0, 0.0, 0.0],
            [1.0, 0.0, 0.0],
            [1.0, 0.0, 0.0],
            [2.0, 2.0, 0.0],
            [1.5, 0.0, 0.0],
            [1.8, 1.6, 0.0],
        ]);
        let d = derive_genotype(&softmax_rows(&alpha), &OPS3, 4, None).unwrap();
        let into3: Vec<(usize, bool)> = d.edges[3..].iter().map(|e| (e.from, e.kept)).collect();
        assert_eq!(into3, [(0, false), (1, true), (2, true)]);
        assert_eq!(d.genotype.edges().len(), 5);
    }

    #[test]
    fn ties_go_to_the_first_op_and_the_earlier_edge() {
        let probabilities = rows(&[[0.4, 0.4, 0.2], [0.5, 0.25, 0.25], [0.5, 0.25, 0.25]]);
        let d = derive_genotype(&probabilities, &OPS3, 3, None).unwrap();
        assert_eq!(d.edges[0].best_op, Op::Conv3x3);
        // Node 2 keeps both (only two inputs); node 1 keeps its one.
        assert!(d.edges.iter().all(|e| e.kept));

        let alpha = rows(&[
            [1.0, 0.0, 0.0],
            [0.0, 0.0, 1.0],
            [0.0, 0.0, 0.0],
            [0.0, 3.0, 0.0],
            [0.0, 3.0, 0.0],
            [0.0, 3.0, 0.0],
        ]);
        let d = derive_genotype(&softmax_rows(&alpha), &OPS3, 4, None).unwrap();
        let into3: Vec<bool> = d.edges[3..].iter().map(|e| e.kept).collect();
        assert_eq!(into3, [true, true, false]);
    }

    #[test]
    fn a_uniform_edge_is_marked_undecided() {
        let third = 1.0 / 3.0;
        let probabilities = rows(&[
            [third, third + 0.0005, third - 0.0005],
            [0.6, 0.2, 0.2],
            [0.2, 0.2, 0.6],
        ]);
        let d = derive_genotype(&probabilities, &OPS3, 3, None).unwrap();
        let undecided: Vec<bool> = d.edges.iter().map(|e| e.undecided).collect();
        assert_eq!(undecided, [true, false, false]);
        assert_eq!(d.edges[0].best_op, Op::MaxPool3x3);
    }

    #[test]
    fn collapse_is_reported_with_the_count() {
        let probabilities = rows(&[[0.1, 0.1, 0.8], [0.1, 0.8, 0.1], [0.8, 0.1, 0.1]]);
        let d = derive_genotype(&probabilities, &OPS3, 3, None).unwrap();
        let warning = d.collapse_warning.unwrap();
        assert!(warning.contains("won 2 of the 3 kept edges"), "{warning}");
        let balanced = rows(&[[0.8, 0.1, 0.1], [0.1, 0.1, 0.8], [0.8, 0.1, 0.1]]);
        assert!(
            derive_genotype(&balanced, &OPS3, 3, None)
                .unwrap()
                .collapse_warning
                .is_none()
        );
    }

    #[test]
    fn identity_cap_replaces_the_weakest_identity_edges() {
        let probabilities = rows(&[[0.1, 0.1, 0.8], [0.3, 0.1, 0.6], [0.1, 0.2, 0.7]]);
        let d = derive_genotype(&probabilities, &OPS3, 3, Some(1)).unwrap();
        let chosen: Vec<Op> = d.edges.iter().map(|e| e.chosen.unwrap()).collect();
        assert_eq!(chosen, [Op::Identity, Op::Conv3x3, Op::Conv3x3]);
        let note = d.cap_note.unwrap();
        assert!(
            note.contains("0→2 now conv3x3") && note.contains("1→2 now conv3x3"),
            "{note}"
        );

        let untouched = derive_genotype(&probabilities, &OPS3, 3, Some(3)).unwrap();
        assert!(untouched.cap_note.unwrap().contains("nothing changed"));
        assert!(
            derive_genotype(&probabilities, &OPS3, 3, None)
                .unwrap()
                .cap_note
                .is_none()
        );
    }

    #[test]
    fn malformed_tables_are_errors() {
        assert!(derive_genotype(&rows(&[[0.5, 0.5, 0.0]]), &OPS3, 3, None).is_err());
        let nan = rows(&[[f64::NAN, 0.5, 0.5], [0.2, 0.2, 0.6], [0.2, 0.2, 0.6]]);
        let err = derive_genotype(&nan, &OPS3, 3, None).unwrap_err();
        assert!(err.to_string().contains("diverged"), "{err}");
    }
}
