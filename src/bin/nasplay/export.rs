//! `export ARCH`: an architecture (chain or DARTS cell text form) as a
//! self-contained PyTorch source file, or with `--json` as the versioned
//! JSON document the page also downloads.

use clap::Args;

use nasplay::export::{Network, architecture_json, check_shape, pytorch_source};
use nasplay::space::NetShape;

use super::{Failure, bad_argument, print_json};

#[derive(Args)]
pub struct ExportArgs {
    /// Ops joined by commas (conv3x3,identity), or a cell as
    /// "n1 = conv3x3(n0) | n2 = identity(n0) + conv5x5(n1)"
    arch: String,
    #[arg(long, default_value_t = 1)]
    in_channels: usize,
    #[arg(long, default_value_t = 10)]
    classes: usize,
    #[arg(long, default_value_t = 32)]
    width: usize,
    /// Height and width of the square input image.
    #[arg(long, default_value_t = 8)]
    input_size: usize,
    /// Print the PyTorch source (the default).
    #[arg(long, conflicts_with = "json")]
    pytorch: bool,
    /// Print the architecture as JSON instead.
    #[arg(long)]
    json: bool,
}

pub fn export(args: &ExportArgs) -> Result<(), Failure> {
    let network: Network = args.arch.parse().map_err(bad_argument("ARCH"))?;
    let shape = NetShape {
        in_channels: args.in_channels,
        classes: args.classes,
        width: args.width,
        input_size: args.input_size,
    };
    check_shape(&shape).map_err(|e| Failure(2, e.to_string()))?;

    match args.json {
        true => print_json(&architecture_json(&network, &shape)),
        false => print!("{}", pytorch_source(&network, &shape)),
    }
    Ok(())
}
