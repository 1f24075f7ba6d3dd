//! The JSON form of one exported design: what it is, the shape it is built
//! for and its exact cost, under a format name and version that an import
//! checks first.

use serde_json::{Value, json};

use super::network::Network;
use crate::space::NetShape;

/// The `format` field of an exported architecture.
pub const ARCHITECTURE_FORMAT: &str = "nasplay-architecture";
/// The `version` field; bumped when a field changes meaning.
pub const ARCHITECTURE_VERSION: u32 = 1;

/// `{format, version, kind, arch, shape, params, flops}` plus the layout:
/// `ops` for a chain, `nodes` and `edges` for a cell.
pub fn architecture_json(network: &Network, shape: &NetShape) -> Value {
    let cost = network.cost(shape);
    let mut document = json!({
        "format": ARCHITECTURE_FORMAT,
        "version": ARCHITECTURE_VERSION,
        "kind": network.kind(),
        "arch": network.to_string(),
        "shape": shape,
        "params": cost.params,
        "flops": cost.flops,
    });
    match network {
        Network::Chain(arch) => document["ops"] = json!(arch.ops()),
        Network::Cell(genotype) => {
            document["nodes"] = json!(genotype.nodes());
            document["edges"] = json!(genotype.edges());
        }
    }
    document
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_lists_its_ops_shape_and_cost() {
        let net: Network = "conv3x3,max_pool3x3,conv5x5,identity".parse().unwrap();
        let shape = NetShape {
            in_channels: 3,
            ..NetShape::DIGITS
        };

        let document = architecture_json(&net, &shape);

        assert_eq!(document["format"], "nasplay-architecture");
        assert_eq!(document["version"], 1);
        assert_eq!(document["kind"], "chain");
        assert_eq!(document["ops"][1], "max_pool3x3");
        assert_eq!(document["shape"]["in_channels"], 3);
        assert_eq!(document["params"], 36_298);
    }

    #[test]
    fn a_cell_lists_its_nodes_and_edges() {
        let net: Network = "n1 = conv3x3(n0) | n2 = identity(n0) + avg_pool3x3(n1)"
            .parse()
            .unwrap();

        let document = architecture_json(&net, &NetShape::DIGITS);

        assert_eq!(document["kind"], "cell");
        assert_eq!(document["nodes"], 3);
        assert_eq!(
            document["edges"][2],
            json!({"from": 1, "to": 2, "op": "avg_pool3x3"})
        );
        assert_eq!(document["params"], net.cost(&NetShape::DIGITS).params);
    }
}
