//! The architecture weights α: one row per edge, one column per op. The
//! mixing weights are their row-wise softmax.

use burn::module::Param;
use burn::prelude::*;
use burn::tensor::activation::softmax;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Half-width of the uniform noise α starts from: small enough that every
/// edge starts undecided, non-zero so that equal ops do not stay tied.
const INIT_NOISE: f64 = 1e-3;

/// α as a module of its own, so that its optimizer never touches the
/// network's weights and the other way round.
#[derive(Module, Debug)]
pub struct Alphas {
    values: Param<Tensor<2>>,
}

impl Alphas {
    /// A trainable α holding `initial` (`[edges][ops]`).
    pub fn new(initial: &[Vec<f64>], device: &Device) -> Self {
        let shape = [initial.len(), initial.first().map_or(0, Vec::len)];
        let flat: Vec<f32> = initial.iter().flatten().map(|&v| v as f32).collect();
        Self {
            values: Param::from_tensor(Tensor::from_data(TensorData::new(flat, shape), device)),
        }
    }

    /// Mixing weights: softmax over each edge's ops.
    ///
    /// # Shapes
    /// `[edges, ops]`
    pub fn probabilities(&self) -> Tensor<2> {
        softmax(self.values.val(), 1)
    }
}

/// α's starting values for `edges` × `ops`, seeded.
pub fn initial_alpha(edges: usize, ops: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0xa1fa_a1fa_a1fa_a1fa);
    (0..edges)
        .map(|_| {
            (0..ops)
                .map(|_| rng.random_range(-INIT_NOISE..INIT_NOISE))
                .collect()
        })
        .collect()
}

/// Row-wise softmax on the host, stable for large values.
pub fn softmax_rows(alpha: &[Vec<f64>]) -> Vec<Vec<f64>> {
    alpha
        .iter()
        .map(|row| {
            let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let exp: Vec<f64> = row.iter().map(|v| (v - max).exp()).collect();
            let sum: f64 = exp.iter().sum();
            exp.iter().map(|e| e / sum).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_softmax_agrees_with_the_host() {
        let alpha = vec![vec![0.5, -1.0, 2.0], vec![0.0, 0.0, 0.0]];
        let alphas = Alphas::new(&alpha, &Device::flex());
        let device: Vec<f32> = alphas.probabilities().into_data().try_to_vec().unwrap();
        let host: Vec<f64> = softmax_rows(&alpha).concat();
        for (d, h) in device.iter().zip(&host) {
            assert!((*d as f64 - h).abs() < 1e-6, "{device:?} vs {host:?}");
        }
        assert!((host[3] - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn initial_alpha_is_small_and_seeded() {
        let a = initial_alpha(6, 7, 3);
        assert_eq!((a.len(), a[0].len()), (6, 7));
        assert!(a.iter().flatten().all(|v| v.abs() < INIT_NOISE));
        assert_eq!(a, initial_alpha(6, 7, 3));
        assert_ne!(a, initial_alpha(6, 7, 4));
    }
}
