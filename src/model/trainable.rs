//! Counting trainable parameters the way PyTorch's `sum(p.numel() for p in
//! model.parameters())` does.

use burn::module::{ModuleVisitor, Param};
use burn::prelude::*;

/// Number of trainable values in `module`.
///
/// Burn's `num_params` also counts batch norm's running mean and variance,
/// which PyTorch keeps as buffers, not parameters. Those are the only values
/// that never require a gradient, so on an autodiff device counting the
/// values that do require one gives PyTorch's number.
///
/// # Panics
/// If `module` does not live on an autodiff device: there every value reads
/// as not requiring a gradient and the count would silently be zero.
pub fn trainable_params<M: Module>(module: &M) -> usize {
    let mut counter = Counter::default();
    module.visit(&mut counter);
    assert!(
        counter.total == 0 || counter.trainable > 0,
        "trainable_params needs a module on an autodiff device ({} values, none trainable)",
        counter.total
    );
    counter.trainable
}

#[derive(Default)]
struct Counter {
    trainable: usize,
    total: usize,
}

impl ModuleVisitor for Counter {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let values = param.lazy_shape().num_elements();
        self.total += values;
        if param.val().is_require_grad() {
            self.trainable += values;
        }
    }
}
