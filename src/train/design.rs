//! What the trainer can build and cost: a chain architecture or a DARTS cell.

use burn::prelude::Device;
use std::fmt;

use crate::model::{CellNet, ChainNet, Classifier};
use crate::space::{Architecture, Cost, Genotype, NetShape, network_cost};

/// A network design that becomes a trainable classifier.
pub trait Design: Clone + fmt::Display {
    type Net: Classifier;

    /// The network with fresh weights from the device's RNG.
    fn build(&self, shape: &NetShape, device: &Device) -> Self::Net;

    /// Exact trainable parameters and FLOPs of the built network.
    fn cost(&self, shape: &NetShape) -> Cost;
}

impl Design for Architecture {
    type Net = ChainNet;

    fn build(&self, shape: &NetShape, device: &Device) -> ChainNet {
        ChainNet::new(self, shape, device)
    }

    fn cost(&self, shape: &NetShape) -> Cost {
        network_cost(self, shape)
    }
}

impl Design for Genotype {
    type Net = CellNet;

    fn build(&self, shape: &NetShape, device: &Device) -> CellNet {
        CellNet::new(self, shape, device)
    }

    fn cost(&self, shape: &NetShape) -> Cost {
        Genotype::cost(self, shape)
    }
}
