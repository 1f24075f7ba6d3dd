//! Adam for the DARTS run, with its moments held here rather than in Burn's
//! `ModuleOptimizer`, so that a checkpoint can read them with awaited reads
//! and put them back on the run's own device (see `snapshot`). Each update is
//! Burn's own `Adam` step, so the numbers are Burn's to the bit.

use std::any::Any;
use std::collections::HashMap;

use burn::module::{ModuleMapper, ModuleVisitor, Param, ParamId};
use burn::optim::{
    Adam, AdamConfig, AdamState, AdaptiveMomentumState, GradientsParams, LearningRate, Optimizer,
};
use burn::prelude::*;

use super::checkpoint::damaged;
use super::snapshot::{Decoded, Reader, SavedTensor, flat, read_all};
use crate::error::Result;

/// One parameter's moments, read back: the steps taken and both moments.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedMoments {
    pub time: u64,
    pub first: SavedTensor,
    pub second: SavedTensor,
}

/// Adam (Burn's defaults) over the parameters of one module. AMSGrad is off
/// in those defaults, so its running maximum is neither used nor saved.
pub struct ModuleAdam {
    adam: Adam,
    /// Each parameter's `AdamState<D>`, boxed because parameters differ in rank.
    moments: HashMap<ParamId, Box<dyn Any>>,
}

impl Default for ModuleAdam {
    fn default() -> Self {
        Self {
            adam: AdamConfig::new().build(),
            moments: HashMap::new(),
        }
    }
}

impl ModuleAdam {
    /// `module` after one Adam step at rate `lr` along `grads`.
    pub fn step<M: Module>(&mut self, lr: LearningRate, module: M, grads: GradientsParams) -> M {
        module.map(&mut Stepper {
            optimizer: self,
            lr,
            grads,
        })
    }

    /// The moments of each float tensor of `module`, in visiting order (none
    /// for a tensor that has not stepped, such as a running statistic).
    pub async fn read<M: Module>(&self, module: &M) -> Result<Vec<Option<SavedMoments>>> {
        let mut visitor = CollectMoments {
            moments: &self.moments,
            found: Vec::new(),
        };
        module.visit(&mut visitor);
        let times: Vec<Option<u64>> = (visitor.found.iter())
            .map(|found| found.as_ref().map(|(time, ..)| *time))
            .collect();
        let moments = visitor
            .found
            .into_iter()
            .flatten()
            .flat_map(|(_, first, second)| [first, second])
            .collect();
        let mut tensors = read_all(moments).await?.into_iter();
        Ok(times
            .into_iter()
            .map(|time| {
                time.map(|time| SavedMoments {
                    time,
                    first: tensors.next().expect("a first moment per stepped tensor"),
                    second: tensors.next().expect("a second moment per stepped tensor"),
                })
            })
            .collect())
    }

    /// An Adam holding `saved` (from [`read`](Self::read) of a module of the
    /// same structure) for the parameters of `module`, on `device`.
    pub fn restore<M: Module>(
        module: &M,
        saved: &[Option<SavedMoments>],
        device: &Device,
        part: &str,
    ) -> Result<Self> {
        let mut visitor = RestoreMoments {
            saved,
            next: 0,
            device,
            part,
            moments: HashMap::new(),
            error: None,
        };
        module.visit(&mut visitor);
        if let Some(error) = visitor.error {
            return Err(error);
        }
        if visitor.next != saved.len() {
            return Err(damaged(format!(
                "its {part} optimizer holds {} tensors, this run's {part} has {}",
                saved.len(),
                visitor.next
            )));
        }
        Ok(Self {
            adam: AdamConfig::new().build(),
            moments: visitor.moments,
        })
    }
}

/// Writes `moments` as a count, then per tensor a presence byte and, when
/// present, the step count and both moments.
pub fn encode_moments(moments: &[Option<SavedMoments>]) -> Vec<u8> {
    let mut out = (moments.len() as u32).to_le_bytes().to_vec();
    for entry in moments {
        match entry {
            None => out.push(0),
            Some(saved) => {
                out.push(1);
                out.extend_from_slice(&saved.time.to_le_bytes());
                saved.first.encode(&mut out);
                saved.second.encode(&mut out);
            }
        }
    }
    out
}

/// Reads what `encode_moments` wrote; `part` names the optimizer in errors.
pub fn decode_moments(bytes: &[u8], part: &str) -> Result<Vec<Option<SavedMoments>>> {
    let mut reader = Reader { rest: bytes };
    let decoded = decode_entries(&mut reader)
        .map_err(|e| damaged(format!("its {part} optimizer cannot be read: {e}")))?;
    if reader.remaining() != 0 {
        return Err(damaged(format!(
            "its {part} optimizer has bytes after its end"
        )));
    }
    Ok(decoded)
}

fn decode_entries(reader: &mut Reader) -> Decoded<Vec<Option<SavedMoments>>> {
    let count = reader.u32()?;
    (0..count)
        .map(|_| match reader.take(1)?[0] {
            0 => Ok(None),
            1 => Ok(Some(SavedMoments {
                time: step_count(reader.u64()?)?,
                first: SavedTensor::decode(reader)?,
                second: SavedTensor::decode(reader)?,
            })),
            other => Err(format!("a tensor's presence byte is {other}")),
        })
        .collect()
}

/// A saved step count, if Adam can go on from it: at least one step, and
/// few enough that its bias correction (`powi` of an `i32`) stays exact.
fn step_count(time: u64) -> Decoded<u64> {
    if time == 0 || time > i32::MAX as u64 {
        return Err(format!("a tensor claims {time} Adam steps"));
    }
    Ok(time)
}

/// Applies one Adam step to every parameter that has a gradient, as Burn's
/// `ModuleOptimizer` does: on the inner (non-autodiff) tensors, the moments
/// moved to the gradient's device, the autodiff settings put back after.
struct Stepper<'a> {
    optimizer: &'a mut ModuleAdam,
    lr: LearningRate,
    grads: GradientsParams,
}

impl ModuleMapper for Stepper<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (id, tensor, mapper) = param.consume();
        let Some(grad) = self.grads.remove::<D>(id) else {
            return Param::from_mapped_value(id, tensor, mapper);
        };
        let device = grad.device();
        let require_grad = tensor.is_require_grad();
        let checkpointing = tensor.gradient_checkpointing_strategy();
        let state = self.optimizer.moments.remove(&id).map(|state| {
            let state = *state
                .downcast::<AdamState<D>>()
                .expect("a parameter keeps its rank");
            <Adam as Optimizer>::to_device(state, &device)
        });
        let inner = tensor.inner();
        let inner = if inner.device() == device {
            inner
        } else {
            inner.to_device(&device)
        };
        let (updated, state) = self.optimizer.adam.step(self.lr, inner, grad, state);
        if let Some(state) = state {
            self.optimizer.moments.insert(id, Box::new(state));
        }
        let mut updated = Tensor::from_inner(updated);
        if let Some(strategy) = checkpointing {
            updated = updated.with_gradient_checkpointing_strategy(strategy);
        }
        if require_grad {
            updated = updated.require_grad();
        }
        Param::from_mapped_value(id, updated, mapper)
    }
}

/// A found parameter's step count and moments (each as `flat` gives it).
type FoundMoments = Option<(u64, (Vec<usize>, Tensor<1>), (Vec<usize>, Tensor<1>))>;

struct CollectMoments<'a> {
    moments: &'a HashMap<ParamId, Box<dyn Any>>,
    found: Vec<FoundMoments>,
}

impl ModuleVisitor for CollectMoments<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let state = self
            .moments
            .get(&param.id)
            .and_then(|state| state.downcast_ref::<AdamState<D>>());
        self.found.push(state.map(|state| {
            let momentum = &state.momentum;
            (
                momentum.time as u64,
                flat(momentum.moment_1.clone()),
                flat(momentum.moment_2.clone()),
            )
        }));
    }
}

struct RestoreMoments<'a> {
    saved: &'a [Option<SavedMoments>],
    next: usize,
    device: &'a Device,
    part: &'a str,
    moments: HashMap<ParamId, Box<dyn Any>>,
    error: Option<crate::error::Error>,
}

impl ModuleVisitor for RestoreMoments<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let index = self.next;
        self.next += 1;
        let Some(Some(saved)) = self.saved.get(index) else {
            return;
        };
        if self.error.is_some() {
            return;
        }
        let dims = param.val().dims();
        let what = |moment| {
            format!(
                "the {moment} moment of tensor {} of its {}",
                index + 1,
                self.part
            )
        };
        let moments = saved
            .first
            .to_tensor(dims, self.device, &what("first"))
            .and_then(|first| {
                let second = saved.second.to_tensor(dims, self.device, &what("second"))?;
                Ok((first, second))
            });
        match moments {
            Ok((first, second)) => {
                let momentum = AdaptiveMomentumState::new(saved.time as usize, first, second);
                let state: AdamState<D> = AdamState::new(momentum);
                self.moments.insert(param.id, Box::new(state));
            }
            Err(error) => self.error = Some(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use burn::nn::{Linear, LinearConfig};
    use burn::tensor::Distribution;

    use super::*;
    use crate::darts::snapshot::read_module;

    #[derive(Module, Debug)]
    struct Tiny {
        first: Linear,
        second: Linear,
    }

    /// The same small net each time (its lazy weights drawn at once).
    fn tiny(device: &Device) -> Tiny {
        device.seed(3);
        let net = Tiny {
            first: LinearConfig::new(4, 5).init(device),
            second: LinearConfig::new(5, 2).init(device),
        };
        futures_lite::future::block_on(weights(&net));
        net
    }

    fn grads_of(net: &Tiny, device: &Device, step: usize) -> GradientsParams {
        device.seed(100 + step as u64);
        let x = Tensor::<2>::random([6, 4], Distribution::Normal(0.0, 1.0), device);
        let loss = net
            .second
            .forward(net.first.forward(x).tanh())
            .powf_scalar(2.0)
            .mean();
        GradientsParams::from_grads(loss.backward(), net)
    }

    async fn weights(net: &Tiny) -> Vec<SavedTensor> {
        read_module(net).await.unwrap()
    }

    #[test]
    fn steps_exactly_as_burns_module_optimizer() {
        let device = Device::default().autodiff();
        let (mut ours, mut burns) = (tiny(&device), tiny(&device));
        let (mut adam, mut reference) = (ModuleAdam::default(), AdamConfig::new().init());
        for step in 0..6 {
            let grads = grads_of(&ours, &device, step);
            ours = adam.step(0.01, ours, grads);
            let grads = grads_of(&burns, &device, step);
            burns = reference.step(0.01, burns, grads);
        }
        let ours = futures_lite::future::block_on(weights(&ours));
        let start = futures_lite::future::block_on(weights(&tiny(&device)));
        assert_ne!(ours, start, "the steps moved the weights");
        assert_eq!(ours, futures_lite::future::block_on(weights(&burns)));
    }

    #[test]
    fn restored_moments_continue_exactly() {
        let device = Device::default().autodiff();
        let mut net = tiny(&device);
        let mut adam = ModuleAdam::default();
        for step in 0..3 {
            let grads = grads_of(&net, &device, step);
            net = adam.step(0.01, net, grads);
        }
        let saved = futures_lite::future::block_on(adam.read(&net)).unwrap();
        assert!(saved.iter().all(Option::is_some), "every parameter stepped");
        let bytes = encode_moments(&saved);
        let decoded = decode_moments(&bytes, "weight").unwrap();
        assert_eq!(decoded, saved);
        let mut restored = ModuleAdam::restore(&net, &decoded, &device, "weight").unwrap();

        let mut copy = net.clone();
        for step in 3..6 {
            let grads = grads_of(&net, &device, step);
            net = adam.step(0.01, net, grads);
            let grads = grads_of(&copy, &device, step);
            copy = restored.step(0.01, copy, grads);
        }
        let net = futures_lite::future::block_on(weights(&net));
        assert_eq!(net, futures_lite::future::block_on(weights(&copy)));
    }

    #[test]
    fn random_and_mutated_moment_bytes_never_panic() {
        use rand::{RngExt, SeedableRng, rngs::StdRng};
        let mut rng = StdRng::seed_from_u64(12);
        let tensor = SavedTensor {
            dims: vec![2],
            values: vec![0.5, -0.5],
        };
        let valid = encode_moments(&[
            None,
            Some(SavedMoments {
                time: 3,
                first: tensor.clone(),
                second: tensor,
            }),
        ]);
        for round in 0..100_000 {
            let mut bytes: Vec<u8> = if round % 2 == 0 {
                (0..rng.random_range(0..48)).map(|_| rng.random()).collect()
            } else {
                valid.clone()
            };
            if !bytes.is_empty() {
                let at = rng.random_range(0..bytes.len());
                bytes[at] = rng.random();
                bytes.truncate(rng.random_range(at..=bytes.len()));
            }
            let _ = decode_moments(&bytes, "weight");
        }
    }

    #[test]
    fn moments_of_another_shape_are_refused() {
        let device = Device::default().autodiff();
        let net = tiny(&device);
        let wrong = SavedTensor {
            dims: vec![3],
            values: vec![0.0; 3],
        };
        let saved = vec![
            Some(SavedMoments {
                time: 1,
                first: wrong.clone(),
                second: wrong,
            }),
            None,
            None,
            None,
        ];
        let error = ModuleAdam::restore(&net, &saved, &device, "weight")
            .err()
            .expect("refused")
            .to_string();
        assert!(error.contains("has shape [3] in the checkpoint"), "{error}");
        let error = ModuleAdam::restore(&net, &[None], &device, "weight")
            .err()
            .expect("refused")
            .to_string();
        assert!(
            error.contains("holds 1 tensors, this run's weight has 4"),
            "{error}"
        );
    }
}
