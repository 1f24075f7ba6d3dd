//! Taking a design out of nasplay: a self-contained PyTorch module that builds
//! the same network, and a versioned JSON document of the design and its cost.

mod json;
mod network;
mod pytorch;

pub use json::{ARCHITECTURE_FORMAT, ARCHITECTURE_VERSION, architecture_json};
pub use network::{Network, check_shape};
pub use pytorch::pytorch_source;
