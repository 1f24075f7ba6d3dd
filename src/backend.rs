//! Which compute backend trains candidates: the CPU (Burn's flex) or a GPU
//! through wgpu (WebGPU in the browser).

use burn::prelude::Device;
use serde::{Deserialize, Serialize};

/// The two backends, with the one string form used by the UI, URL and JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    Cpu,
    #[serde(rename = "webgpu")]
    WebGpu,
}

impl BackendKind {
    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Cpu => "cpu",
            BackendKind::WebGpu => "webgpu",
        }
    }
}

/// A device together with the backend it belongs to.
#[derive(Debug, Clone)]
pub struct Compute {
    pub device: Device,
    pub kind: BackendKind,
}

impl Compute {
    /// The CPU backend; always available.
    pub fn cpu() -> Self {
        Self {
            device: Device::flex(),
            kind: BackendKind::Cpu,
        }
    }

    /// A wgpu device on a native GPU (or a software Vulkan), for the CLI.
    #[cfg(all(not(target_arch = "wasm32"), feature = "gpu"))]
    pub fn native_gpu() -> crate::Result<Self> {
        let device = Device::wgpu_options().init().map_err(|e| {
            crate::Error::Backend(format!("no wgpu adapter could be initialised: {e}"))
        })?;
        Ok(Self {
            device,
            kind: BackendKind::WebGpu,
        })
    }

    /// Without the `gpu` feature there is no native GPU backend; say how to get one.
    #[cfg(all(not(target_arch = "wasm32"), not(feature = "gpu")))]
    pub fn native_gpu() -> crate::Result<Self> {
        Err(crate::Error::Backend(
            "this build has no GPU backend; rebuild with `cargo build --release --features gpu`"
                .into(),
        ))
    }
}
