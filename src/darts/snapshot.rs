//! A module's tensors as plain numbers, and back.
//!
//! Burn's own records read tensors synchronously, which WebGPU in a browser
//! cannot do, and rebuild optimizer state on the default device, which in the
//! wasm build is WebGPU even on a page that trains on the CPU. A snapshot is
//! read with awaited reads on whatever device the run uses and is written back
//! onto the module's own devices, so a checkpoint works on both backends.
//!
//! Tensors are kept in the order a module visits them (its parameters and
//! running statistics), not by parameter id: a rebuilt run has new ids but
//! the same structure.

use burn::module::{ModuleMapper, ModuleVisitor, Param};
use burn::prelude::*;

use super::checkpoint::damaged;
use crate::error::Result;
use crate::train::read_floats;

/// One tensor's shape and values.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedTensor {
    pub dims: Vec<usize>,
    pub values: Vec<f32>,
}

impl SavedTensor {
    /// This tensor on `device`, if it has `dims`; `what` names it in the error.
    pub fn to_tensor<const D: usize>(
        &self,
        dims: [usize; D],
        device: &Device,
        what: &str,
    ) -> Result<Tensor<D>> {
        if self.dims != dims {
            return Err(damaged(format!(
                "{what} has shape {:?} in the checkpoint, {:?} in this run",
                self.dims, dims
            )));
        }
        Ok(Tensor::from_data(
            TensorData::new(self.values.clone(), dims),
            device,
        ))
    }

    /// Appends this tensor as rank, dimensions and little-endian floats.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.dims.len() as u32).to_le_bytes());
        for &dim in &self.dims {
            out.extend_from_slice(&(dim as u64).to_le_bytes());
        }
        for value in &self.values {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }

    /// Reads one tensor written by `encode` off the front of `bytes`.
    pub fn decode(bytes: &mut Reader) -> Decoded<Self> {
        let rank = bytes.u32()? as usize;
        if rank > 8 {
            return Err(format!("a tensor claims rank {rank}"));
        }
        let dims = (0..rank)
            .map(|_| {
                let dim = bytes.u64()?;
                usize::try_from(dim).map_err(|_| format!("a tensor claims a dimension of {dim}"))
            })
            .collect::<Decoded<Vec<_>>>()?;
        let count = dims
            .iter()
            .try_fold(1usize, |n, &d| n.checked_mul(d))
            .filter(|&n| n.checked_mul(4).is_some_and(|b| b <= bytes.remaining()))
            .ok_or_else(|| format!("a tensor of shape {dims:?} does not fit in it"))?;
        let values = bytes
            .take(count * 4)?
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes")))
            .collect();
        Ok(Self { dims, values })
    }
}

/// A decoding result; the error says what is wrong with the bytes.
pub type Decoded<T> = std::result::Result<T, String>;

/// Reads fixed-size fields off the front of a byte slice.
pub struct Reader<'a> {
    pub rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn remaining(&self) -> usize {
        self.rest.len()
    }

    pub fn take(&mut self, n: usize) -> Decoded<&'a [u8]> {
        if n > self.rest.len() {
            return Err("it ends early".into());
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    pub fn u32(&mut self) -> Decoded<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    pub fn u64(&mut self) -> Decoded<u64> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
}

/// Writes `tensors` as a count and then each tensor.
pub fn encode_all(tensors: &[SavedTensor]) -> Vec<u8> {
    let mut out = (tensors.len() as u32).to_le_bytes().to_vec();
    for tensor in tensors {
        tensor.encode(&mut out);
    }
    out
}

/// Reads what `encode_all` wrote; `part` names the section in errors.
pub fn decode_all(bytes: &[u8], part: &str) -> Result<Vec<SavedTensor>> {
    let mut reader = Reader { rest: bytes };
    let tensors = reader
        .u32()
        .and_then(|count| {
            (0..count)
                .map(|_| SavedTensor::decode(&mut reader))
                .collect::<Decoded<Vec<_>>>()
        })
        .map_err(|e| damaged(format!("its {part} cannot be read: {e}")))?;
    if reader.remaining() != 0 {
        return Err(damaged(format!(
            "its {part} has bytes after its last tensor"
        )));
    }
    Ok(tensors)
}

/// Every float tensor of `module`, in visiting order, read back.
pub async fn read_module<M: Module>(module: &M) -> Result<Vec<SavedTensor>> {
    let mut visitor = Collect(Vec::new());
    module.visit(&mut visitor);
    read_all(visitor.0).await
}

/// Reads back flattened tensors (each with its shape, as `flat` gives them)
/// in one awaited read of them all joined: on WebGPU each read waits for the
/// device, and a supernet has hundreds of tensors.
pub async fn read_all(tensors: Vec<(Vec<usize>, Tensor<1>)>) -> Result<Vec<SavedTensor>> {
    let (shapes, flats): (Vec<_>, Vec<_>) = tensors.into_iter().unzip();
    let mut values = if flats.is_empty() {
        Vec::new()
    } else {
        read_floats(Tensor::cat(flats, 0)).await?
    }
    .into_iter();
    Ok(shapes
        .into_iter()
        .map(|dims| {
            let count = dims.iter().product();
            let values = values.by_ref().take(count).collect();
            SavedTensor { dims, values }
        })
        .collect())
}

/// `module` holding `saved` (from [`read_module`] of a module of the same
/// structure), each tensor on the device its own one is on; `part` names the
/// module in errors.
pub fn write_module<M: Module>(module: M, saved: &[SavedTensor], part: &str) -> Result<M> {
    let mut writer = Write {
        saved,
        next: 0,
        part,
        error: None,
    };
    let module = module.map(&mut writer);
    if let Some(error) = writer.error {
        return Err(error);
    }
    if writer.next != saved.len() {
        return Err(damaged(format!(
            "its {part} holds {} tensors, this run's has {}",
            saved.len(),
            writer.next
        )));
    }
    Ok(module)
}

/// `tensor`'s shape, and the tensor as one row of its values.
pub fn flat<const D: usize>(tensor: Tensor<D>) -> (Vec<usize>, Tensor<1>) {
    let dims = tensor.dims().to_vec();
    let count = tensor.shape().num_elements();
    (dims, tensor.reshape([count]))
}

/// Clones of a module's float tensors, flattened, in visiting order.
struct Collect(Vec<(Vec<usize>, Tensor<1>)>);

impl ModuleVisitor for Collect {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        self.0.push(flat(param.val().detach()));
    }
}

/// Replaces each float tensor with the next saved one; the first mismatch
/// is kept and the rest of the module left as it was.
struct Write<'a> {
    saved: &'a [SavedTensor],
    next: usize,
    part: &'a str,
    error: Option<crate::error::Error>,
}

impl ModuleMapper for Write<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (id, tensor, mapper) = param.consume();
        let index = self.next;
        self.next += 1;
        if self.error.is_some() {
            return Param::from_mapped_value(id, tensor, mapper);
        }
        let Some(saved) = self.saved.get(index) else {
            return Param::from_mapped_value(id, tensor, mapper);
        };
        let what = format!("tensor {} of its {}", index + 1, self.part);
        match saved.to_tensor(tensor.dims(), &tensor.device(), &what) {
            Ok(loaded) => {
                let loaded = if tensor.is_require_grad() {
                    loaded.require_grad()
                } else {
                    loaded
                };
                Param::from_mapped_value(id, loaded, mapper)
            }
            Err(error) => {
                self.error = Some(error);
                Param::from_mapped_value(id, tensor, mapper)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tensors_round_trip_through_bytes() {
        let tensors = vec![
            SavedTensor {
                dims: vec![2, 3],
                values: vec![1.0, -0.0, f32::MIN_POSITIVE, 3.5, f32::MAX, -7.25],
            },
            SavedTensor {
                dims: vec![0],
                values: vec![],
            },
        ];
        let bytes = encode_all(&tensors);
        assert_eq!(decode_all(&bytes, "net").unwrap(), tensors);
    }

    #[test]
    fn truncated_or_oversized_tensors_are_damage_not_panics() {
        let bytes = encode_all(&[SavedTensor {
            dims: vec![4],
            values: vec![1.0; 4],
        }]);
        for end in 0..bytes.len() {
            let error = decode_all(&bytes[..end], "net").unwrap_err().to_string();
            let early = error.contains("it ends early") || error.contains("does not fit in it");
            assert!(error.contains("its net cannot be read") && early, "{error}");
        }
        let mut huge = 1u32.to_le_bytes().to_vec();
        huge.extend_from_slice(&2u32.to_le_bytes());
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        let error = decode_all(&huge, "net").unwrap_err().to_string();
        assert!(error.contains("does not fit"), "{error}");
    }

    /// Stored bytes can be anything: random ones and mutations of a valid
    /// encoding are decoded or refused, never a panic or a huge allocation.
    #[test]
    fn random_and_mutated_bytes_never_panic() {
        use rand::{RngExt, SeedableRng, rngs::StdRng};
        let mut rng = StdRng::seed_from_u64(11);
        let valid = encode_all(&[
            SavedTensor {
                dims: vec![2, 2],
                values: vec![1.0, 2.0, 3.0, 4.0],
            },
            SavedTensor {
                dims: vec![3],
                values: vec![5.0; 3],
            },
        ]);
        for round in 0..100_000 {
            let bytes: Vec<u8> = if round % 2 == 0 {
                let len = rng.random_range(0..64);
                (0..len).map(|_| rng.random()).collect()
            } else {
                let mut bytes = valid.clone();
                let at = rng.random_range(0..bytes.len());
                bytes[at] = rng.random();
                bytes.truncate(rng.random_range(at..=bytes.len()));
                bytes
            };
            if let Ok(tensors) = decode_all(&bytes, "net") {
                for tensor in tensors {
                    assert_eq!(tensor.values.len(), tensor.dims.iter().product::<usize>());
                }
            }
        }
    }
}
