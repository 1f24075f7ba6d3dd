//! A self-contained PyTorch source file (it imports only `torch`) whose
//! `NasplayNet` builds the same layers as the engine: the blocks of
//! `model::blocks`, wired as `ChainNet` or `CellNet` wire them. Its main block
//! checks PyTorch's parameter count against ours and runs a forward pass.

use super::network::Network;
use crate::space::{NetShape, Op};

/// Stem and conv ops: conv with bias, batch norm, ReLU (`ConvBlock`).
const CONV_BLOCK: &str = r#"
def conv_block(channels_in, channels_out, kernel):
    """Conv (with bias), batch norm, ReLU; keeps the spatial size."""
    return nn.Sequential(
        nn.Conv2d(channels_in, channels_out, kernel, padding=kernel // 2),
        nn.BatchNorm2d(channels_out),
        nn.ReLU(),
    )
"#;

/// Depthwise-separable ops (`SeparableBlock`).
const SEPARABLE_BLOCK: &str = r#"

def separable_block(channels, kernel):
    """Depthwise conv, batch norm, ReLU, then pointwise 1x1 conv, batch norm, ReLU."""
    return nn.Sequential(
        nn.Conv2d(channels, channels, kernel, padding=kernel // 2, groups=channels),
        nn.BatchNorm2d(channels),
        nn.ReLU(),
        nn.Conv2d(channels, channels, 1),
        nn.BatchNorm2d(channels),
        nn.ReLU(),
    )
"#;

const CHAIN_MODULE: &str = r#"

class NasplayNet(nn.Module):
    """Stem, the ops of ARCHITECTURE in order, global average pooling, linear head."""

    def __init__(self, in_channels=IN_CHANNELS, classes=CLASSES, width=WIDTH):
        super().__init__()
        self.stem = conv_block(in_channels, width, 3)
        self.ops = nn.Sequential(*(OPS[name](width) for name in ARCHITECTURE))
        self.head = nn.Linear(width, classes)

    def forward(self, images):
        """images [batch, in_channels, size, size] -> logits [batch, classes]"""
        x = self.ops(self.stem(images))
        return self.head(x.mean(dim=(2, 3)))
"#;

const CELL_MODULE: &str = r#"

class NasplayNet(nn.Module):
    """Stem, one cell (EDGES over NODES nodes), global average pooling, linear head."""

    def __init__(self, in_channels=IN_CHANNELS, classes=CLASSES, width=WIDTH):
        super().__init__()
        self.stem = conv_block(in_channels, width, 3)
        self.edges = nn.ModuleList(OPS[name](width) for _, _, name in EDGES)
        self.head = nn.Linear(width * (NODES - 1), classes)

    def forward(self, images):
        """images [batch, in_channels, size, size] -> logits [batch, classes]"""
        states = [self.stem(images)]
        for node in range(1, NODES):
            inputs = [
                edge(states[source])
                for (source, target, _), edge in zip(EDGES, self.edges)
                if target == node
            ]
            states.append(torch.stack(inputs).sum(dim=0))
        x = torch.cat(states[1:], dim=1)
        return self.head(x.mean(dim=(2, 3)))
"#;

const MAIN: &str = r#"

if __name__ == "__main__":
    model = NasplayNet()
    count = sum(p.numel() for p in model.parameters())
    assert count == EXPECTED_PARAMETERS, (
        f"PyTorch counts {count} parameters, nasplay counted {EXPECTED_PARAMETERS}"
    )
    model.eval()
    with torch.no_grad():
        logits = model(torch.zeros(2, IN_CHANNELS, INPUT_SIZE, INPUT_SIZE))
    assert tuple(logits.shape) == (2, CLASSES), f"output shape {tuple(logits.shape)}"
    print(f"NasplayNet: {count} parameters, as nasplay counts; output {tuple(logits.shape)}")
"#;

/// The Python source of `network` built for `shape` (checked by the caller
/// with `check_shape`).
pub fn pytorch_source(network: &Network, shape: &NetShape) -> String {
    let params = network.cost(shape).params;
    let ops = used_ops(network);

    let mut source = docstring(network, shape, params);
    source.push_str("\nimport torch\nfrom torch import nn\n\n");
    source.push_str(&format!(
        "IN_CHANNELS = {}\nCLASSES = {}\nWIDTH = {}\nINPUT_SIZE = {}\n",
        shape.in_channels, shape.classes, shape.width, shape.input_size
    ));
    source.push_str(&format!(
        "# Trainable parameters as nasplay counts them (equal to PyTorch's count).\n\
         EXPECTED_PARAMETERS = {params}\n\n"
    ));
    source.push_str(CONV_BLOCK);
    if ops
        .iter()
        .any(|op| matches!(op, Op::DwConv3x3 | Op::DwConv5x5))
    {
        source.push_str(SEPARABLE_BLOCK);
    }
    source.push_str(
        "\n\n# The ops this network uses; each keeps the channels and the spatial size.\n",
    );
    source.push_str("OPS = {\n");
    for op in &ops {
        source.push_str(&format!("    \"{}\": {},\n", op.name(), op_module(*op)));
    }
    source.push_str("}\n\n");
    source.push_str(&layout(network));
    source.push_str(match network {
        Network::Chain(_) => CHAIN_MODULE,
        Network::Cell(_) => CELL_MODULE,
    });
    source.push_str(MAIN);
    source
}

fn docstring(network: &Network, shape: &NetShape, params: usize) -> String {
    let (kind, wiring) = match network {
        Network::Chain(_) => (
            "A chain network",
            "the ops in order (stride 1, same padding, WIDTH channels throughout),\n\
             global average pooling and a linear classifier (the tutorial's NASModel).",
        ),
        Network::Cell(_) => (
            "A DARTS cell network",
            "one cell: node 0 is the stem's output, every later node the sum of its\n\
             kept input edges (one op each, stride 1, same padding); the intermediate\n\
             nodes are concatenated along channels, globally average-pooled and fed\n\
             to a linear classifier.",
        ),
    };
    format!(
        "\"\"\"{kind} found by nasplay: {network}.\n\n\
         Generated by nasplay {version}; it builds the layers nasplay's engine\n\
         builds: a stem (3x3 conv with bias, batch norm, ReLU) to WIDTH channels,\n\
         then {wiring}\n\n\
         Input: images [batch, {channels}, {size}, {size}]; output: logits [batch, {classes}].\n\
         Expected trainable parameters (nasplay's count): {params}.\n\
         The weights are freshly initialised: train the model before use.\n\n\
         Needs only PyTorch. `python3 <this file>` builds the model, checks its\n\
         parameter count against nasplay's and runs a forward pass on zeros.\n\
         \"\"\"\n",
        version = env!("CARGO_PKG_VERSION"),
        channels = shape.in_channels,
        size = shape.input_size,
        classes = shape.classes,
    )
}

/// `ARCHITECTURE` for a chain; `NODES` and `EDGES` for a cell.
fn layout(network: &Network) -> String {
    match network {
        Network::Chain(arch) => {
            let names: Vec<String> = arch.ops().iter().map(|op| format!("\"{op}\"")).collect();
            format!(
                "# The ops between the stem and the head, in order.\nARCHITECTURE = [{}]\n",
                names.join(", ")
            )
        }
        Network::Cell(genotype) => {
            let mut text = format!(
                "# Node 0 is the stem's output; node `to` sums `op` applied to node `from`\n\
                 # over its edges (from, to, op).\nNODES = {}\nEDGES = [\n",
                genotype.nodes()
            );
            for edge in genotype.edges() {
                text.push_str(&format!(
                    "    ({}, {}, \"{}\"),\n",
                    edge.from, edge.to, edge.op
                ));
            }
            text.push_str("]\n");
            text
        }
    }
}

/// The ops `network` uses, once each, in canonical order.
fn used_ops(network: &Network) -> Vec<Op> {
    let uses = |op: Op| match network {
        Network::Chain(arch) => arch.ops().contains(&op),
        Network::Cell(genotype) => genotype.edges().iter().any(|e| e.op == op),
    };
    Op::ALL.into_iter().filter(|&op| uses(op)).collect()
}

/// A Python factory of the op's module at `c` channels, as `OpBlock::new` builds it.
fn op_module(op: Op) -> &'static str {
    match op {
        Op::Conv3x3 => "lambda c: conv_block(c, c, 3)",
        Op::Conv5x5 => "lambda c: conv_block(c, c, 5)",
        Op::DwConv3x3 => "lambda c: separable_block(c, 3)",
        Op::DwConv5x5 => "lambda c: separable_block(c, 5)",
        Op::MaxPool3x3 => "lambda c: nn.MaxPool2d(3, stride=1, padding=1)",
        // PyTorch's default counts the zero padding in the average, as ours does.
        Op::AvgPool3x3 => "lambda c: nn.AvgPool2d(3, stride=1, padding=1)",
        Op::Identity => "lambda c: nn.Identity()",
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::process::{Command, Stdio};

    use super::*;

    fn source(text: &str, shape: NetShape) -> String {
        pytorch_source(&text.parse().unwrap(), &shape)
    }

    fn rgb() -> NetShape {
        NetShape {
            in_channels: 3,
            ..NetShape::DIGITS
        }
    }

    #[test]
    fn the_tutorial_chain_states_pytorchs_parameter_count_and_its_shape() {
        let text = source("conv3x3,max_pool3x3,conv5x5,identity", rgb());

        assert!(text.contains("EXPECTED_PARAMETERS = 36298\n"), "{text}");
        assert!(text.contains("(nasplay's count): 36298."));
        assert!(text.contains("IN_CHANNELS = 3\nCLASSES = 10\nWIDTH = 32\nINPUT_SIZE = 8\n"));
        assert!(
            text.contains(
                "ARCHITECTURE = [\"conv3x3\", \"max_pool3x3\", \"conv5x5\", \"identity\"]"
            )
        );
        assert!(text.contains("class NasplayNet(nn.Module):"));
        assert!(text.contains("if __name__ == \"__main__\":"));
    }

    #[test]
    fn only_the_ops_used_are_defined() {
        let text = source("max_pool3x3,conv3x3,max_pool3x3", NetShape::DIGITS);

        let defined: Vec<&str> = text
            .lines()
            .filter(|line| line.starts_with("    \"") && line.contains("lambda"))
            .collect();
        assert_eq!(defined.len(), 2, "{defined:?}");
        assert!(defined[0].starts_with("    \"conv3x3\""));
        assert!(!text.contains("def separable_block"));
        assert!(source("dw_conv5x5", NetShape::DIGITS).contains("groups=channels"));
    }

    #[test]
    fn a_cell_lists_its_edges_and_concatenates_its_intermediate_nodes() {
        let genotype = "n1 = conv3x3(n0) | n2 = dw_conv5x5(n0) + max_pool3x3(n1) | \
                        n3 = conv5x5(n0) + identity(n1)";
        let network: Network = genotype.parse().unwrap();
        let shape = NetShape { width: 6, ..rgb() };

        let text = pytorch_source(&network, &shape);

        let expected = network.cost(&shape).params;
        assert!(text.contains(&format!("EXPECTED_PARAMETERS = {expected}\n")));
        assert!(text.contains("NODES = 4\nEDGES = [\n    (0, 1, \"conv3x3\"),\n"));
        assert!(text.contains("    (1, 3, \"identity\"),\n]\n"));
        assert!(text.contains("nn.Linear(width * (NODES - 1), classes)"));
        assert!(text.contains("torch.cat(states[1:], dim=1)"));
        assert!(text.contains(&format!("found by nasplay: {genotype}.")));
    }

    #[test]
    fn the_source_imports_only_torch() {
        let text = source("dw_conv3x3,avg_pool3x3,identity", NetShape::DIGITS);
        let imports: Vec<&str> = text
            .lines()
            .filter(|line| line.starts_with("import ") || line.starts_with("from "))
            .collect();
        assert_eq!(imports, ["import torch", "from torch import nn"]);
    }

    #[test]
    fn python_parses_every_export_when_python3_is_installed() {
        let exports = [
            source("conv3x3,max_pool3x3,conv5x5,identity", rgb()),
            source("dw_conv3x3,dw_conv5x5,avg_pool3x3", NetShape::DIGITS),
            source(
                "n1 = conv3x3(n0) | n2 = identity(n0) + dw_conv3x3(n1)",
                NetShape::DIGITS,
            ),
        ];
        for text in exports {
            let child = Command::new("python3")
                .args(["-c", "import ast, sys; ast.parse(sys.stdin.read())"])
                .stdin(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn();
            let Ok(mut child) = child else {
                eprintln!("note: python3 is not installed; the export's syntax was not checked");
                return;
            };
            let mut stdin = child.stdin.take().expect("stdin is piped");
            stdin
                .write_all(text.as_bytes())
                .expect("python3 reads stdin");
            drop(stdin);
            let output = child.wait_with_output().expect("python3 runs");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "{stderr}\n{text}");
        }
    }
}
