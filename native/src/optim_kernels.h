// Update rules of SGD, Adam and AdamW (PyTorch 1.13's single-tensor formulas, element by element) and global
// gradient-norm clipping. On CPU float32/float64 contiguous tensors each update is one fused pass over the
// raw buffers (one call instead of ~8 dispatched ops per parameter); anything else (GPU, other dtypes or
// layouts) runs the same formulas as ATen ops.
#pragma once
#include <ATen/ATen.h>
#include <vector>

namespace mmtl {

enum class OptimKind { Sgd, Adam, AdamW };

// Hyperparameters of one parameter group. Every field is set by the caller (the TypeScript layer owns the
// defaults); there are no defaults here.
struct OptimHyper {
  double lr, momentum, dampening, weightDecay, beta1, beta2, eps;
  bool nesterov, amsgrad;
};

// Per-parameter state: the step count and the buffers of the update rule (undefined until first used).
struct ParamState {
  int64_t step = 0;
  at::Tensor expAvg, expAvgSq, maxExpAvgSq, momentumBuffer;
};

// One update of `p` from its gradient `g` (dense, same shape); increments `s.step` first, as PyTorch does.
void UpdateParam(OptimKind kind, const OptimHyper& h, const at::Tensor& p, const at::Tensor& g, ParamState& s);

// PyTorch's clip_grad_norm_: scales every gradient by min(1, maxNorm / (total + 1e-6)) where total is the
// normType-norm of the per-gradient norms. Returns the total norm before clipping as a 0-d tensor (no device
// sync; `.item()` it only when the value is needed).
at::Tensor ClipGradNorm(const std::vector<at::Tensor>& grads, double maxNorm, double normType);

}  // namespace mmtl
