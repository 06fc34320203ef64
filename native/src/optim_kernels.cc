// Fused optimizer updates and gradient clipping (see optim_kernels.h). The fused loops evaluate PyTorch's
// op sequence element by element in the tensor's own precision, with the scalars cast to it as ATen does,
// so they agree with torch.optim to float rounding.
#include "optim_kernels.h"
#include <ATen/Parallel.h>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace mmtl {

namespace {

constexpr int64_t kGrain = 1 << 15;  // elements per parallel chunk (small tensors stay on one thread)

bool Fusable(const at::Tensor& p, const at::Tensor& g) {
  auto st = p.scalar_type();
  return p.device().is_cpu() && g.device().is_cpu() && (st == at::kFloat || st == at::kDouble) &&
         g.scalar_type() == st && p.layout() == at::kStrided && g.layout() == at::kStrided &&
         p.is_contiguous() && g.is_contiguous() && p.numel() == g.numel();
}

at::Tensor Buffer(at::Tensor& slot, const at::Tensor& p) {
  if (!slot.defined()) slot = at::zeros_like(p, at::MemoryFormat::Contiguous);
  return slot;
}

template <typename T>
void AdamCpu(OptimKind kind, const OptimHyper& h, const at::Tensor& p, const at::Tensor& g, ParamState& s) {
  const double bc1 = 1 - std::pow(h.beta1, static_cast<double>(s.step));
  const double bc2 = 1 - std::pow(h.beta2, static_cast<double>(s.step));
  const bool adamw = kind == OptimKind::AdamW;
  const T decay = static_cast<T>(1 - h.lr * h.weightDecay);  // AdamW: param.mul_(1 - lr·wd)
  const T wd = static_cast<T>(h.weightDecay), b1 = static_cast<T>(h.beta1), b2 = static_cast<T>(h.beta2);
  const T omb1 = static_cast<T>(1 - h.beta1), omb2 = static_cast<T>(1 - h.beta2);
  const T bc2s = static_cast<T>(std::sqrt(bc2)), eps = static_cast<T>(h.eps);
  const T negStep = static_cast<T>(-(h.lr / bc1));
  const bool l2 = !adamw && h.weightDecay != 0, decoupled = adamw && h.weightDecay != 0;
  T* pp = p.data_ptr<T>();
  const T* gp = g.data_ptr<T>();
  T* mp = Buffer(s.expAvg, p).data_ptr<T>();
  T* vp = Buffer(s.expAvgSq, p).data_ptr<T>();
  T* vmax = h.amsgrad ? Buffer(s.maxExpAvgSq, p).data_ptr<T>() : nullptr;
  at::parallel_for(0, p.numel(), kGrain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i++) {
      T pi = pp[i];
      T gi = gp[i];
      if (decoupled) pi = pi * decay;
      if (l2) gi = gi + wd * pi;                    // grad.add(param, alpha=wd)
      const T mi = mp[i] * b1 + omb1 * gi;          // exp_avg.mul_(β1).add_(grad, alpha=1-β1)
      const T vi = vp[i] * b2 + omb2 * gi * gi;     // exp_avg_sq.mul_(β2).addcmul_(grad, grad, value=1-β2)
      mp[i] = mi;
      vp[i] = vi;
      T d = vi;
      if (vmax != nullptr) {                        // torch.maximum(max_exp_avg_sq, exp_avg_sq)
        d = std::isnan(vi) || vi > vmax[i] ? vi : vmax[i];
        vmax[i] = d;
      }
      const T denom = std::sqrt(d) / bc2s + eps;    // (v.sqrt() / √bc2).add_(eps)
      pp[i] = pi + negStep * mi / denom;            // param.addcdiv_(exp_avg, denom, value=-lr/bc1)
    }
  });
}

template <typename T>
void SgdCpu(const OptimHyper& h, const at::Tensor& p, const at::Tensor& g, ParamState& s) {
  const T wd = static_cast<T>(h.weightDecay), mom = static_cast<T>(h.momentum);
  const T omd = static_cast<T>(1 - h.dampening), negLr = static_cast<T>(-h.lr);
  const bool useMomentum = h.momentum != 0, first = !s.momentumBuffer.defined();
  T* pp = p.data_ptr<T>();
  const T* gp = g.data_ptr<T>();
  T* bp = useMomentum ? Buffer(s.momentumBuffer, p).data_ptr<T>() : nullptr;
  at::parallel_for(0, p.numel(), kGrain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i++) {
      T d = gp[i];
      if (h.weightDecay != 0) d = d + wd * pp[i];   // d_p.add(param, alpha=wd)
      if (bp != nullptr) {
        const T buf = first ? d : bp[i] * mom + omd * d;  // clone(d_p) | buf.mul_(μ).add_(d_p, alpha=1-τ)
        bp[i] = buf;
        d = h.nesterov ? d + mom * buf : buf;
      }
      pp[i] = pp[i] + negLr * d;                    // param.add_(d_p, alpha=-lr)
    }
  });
}

void AdamOps(OptimKind kind, const OptimHyper& h, const at::Tensor& p, const at::Tensor& g, ParamState& s) {
  const double bc1 = 1 - std::pow(h.beta1, static_cast<double>(s.step));
  const double bc2 = 1 - std::pow(h.beta2, static_cast<double>(s.step));
  if (s.expAvg.defined() == false) s.expAvg = at::zeros_like(p, at::MemoryFormat::Preserve);
  if (s.expAvgSq.defined() == false) s.expAvgSq = at::zeros_like(p, at::MemoryFormat::Preserve);
  at::Tensor grad = g;
  if (kind == OptimKind::AdamW) {
    if (h.weightDecay != 0) p.mul_(1 - h.lr * h.weightDecay);
  } else if (h.weightDecay != 0) {
    grad = g.add(p, h.weightDecay);
  }
  s.expAvg.mul_(h.beta1).add_(grad, 1 - h.beta1);
  s.expAvgSq.mul_(h.beta2).addcmul_(grad, grad, 1 - h.beta2);
  at::Tensor denom;
  if (h.amsgrad) {
    if (!s.maxExpAvgSq.defined()) s.maxExpAvgSq = at::zeros_like(p, at::MemoryFormat::Preserve);
    at::maximum_out(s.maxExpAvgSq, s.maxExpAvgSq, s.expAvgSq);
    denom = (s.maxExpAvgSq.sqrt() / std::sqrt(bc2)).add_(h.eps);
  } else {
    denom = (s.expAvgSq.sqrt() / std::sqrt(bc2)).add_(h.eps);
  }
  p.addcdiv_(s.expAvg, denom, -(h.lr / bc1));
}

void SgdOps(const OptimHyper& h, const at::Tensor& p, const at::Tensor& g, ParamState& s) {
  at::Tensor d = h.weightDecay != 0 ? g.add(p, h.weightDecay) : g;
  if (h.momentum != 0) {
    if (!s.momentumBuffer.defined()) {
      s.momentumBuffer = d.clone().detach();
    } else {
      s.momentumBuffer.mul_(h.momentum).add_(d, 1 - h.dampening);
    }
    d = h.nesterov ? d.add(s.momentumBuffer, h.momentum) : s.momentumBuffer;
  }
  p.add_(d, -h.lr);
}

template <typename T>
double SumOfSquares(const at::Tensor& g) {
  const T* x = g.data_ptr<T>();
  const int64_t n = g.numel();
  double acc[4] = {0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (int k = 0; k < 4; k++) acc[k] += static_cast<double>(x[i + k]) * static_cast<double>(x[i + k]);
  for (; i < n; i++) acc[0] += static_cast<double>(x[i]) * static_cast<double>(x[i]);
  return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

template <typename T>
void ScaleCpu(const at::Tensor& g, T coef) {
  T* x = g.data_ptr<T>();
  at::parallel_for(0, g.numel(), kGrain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i++) x[i] = x[i] * coef;
  });
}

}  // namespace

void UpdateParam(OptimKind kind, const OptimHyper& h, const at::Tensor& p, const at::Tensor& g, ParamState& s) {
  if (g.is_sparse()) {
    throw std::invalid_argument("the optimizer got a sparse gradient; use dense embeddings");
  }
  s.step++;
  at::NoGradGuard noGrad;
  if (Fusable(p, g)) {
    if (kind == OptimKind::Sgd) {
      AT_DISPATCH_FLOATING_TYPES(p.scalar_type(), "sgd_cpu", [&] { SgdCpu<scalar_t>(h, p, g, s); });
    } else {
      AT_DISPATCH_FLOATING_TYPES(p.scalar_type(), "adam_cpu", [&] { AdamCpu<scalar_t>(kind, h, p, g, s); });
    }
    p.unsafeGetTensorImpl()->bump_version();  // as an in-place op would: autograd sees the change
    return;
  }
  if (kind == OptimKind::Sgd) SgdOps(h, p, g, s);
  else AdamOps(kind, h, p, g, s);
}

at::Tensor ClipGradNorm(const std::vector<at::Tensor>& grads, double maxNorm, double normType) {
  at::NoGradGuard noGrad;
  if (grads.empty()) return at::zeros({}, at::kFloat);
  const auto st = grads[0].scalar_type();
  bool fused = normType == 2.0;
  for (const auto& g : grads) fused = fused && g.scalar_type() == st && Fusable(g, g);
  if (fused) {
    // per-gradient norms rounded to the dtype, then the norm of those: torch.norm(stack([norm(g)]))
    double total = 0;
    AT_DISPATCH_FLOATING_TYPES(st, "clip_norm_cpu", [&] {
      for (const auto& g : grads) {
        const auto ni = static_cast<double>(static_cast<scalar_t>(std::sqrt(SumOfSquares<scalar_t>(g))));
        total += ni * ni;
      }
      const auto tot = static_cast<scalar_t>(std::sqrt(total));
      const scalar_t coef = std::min(static_cast<scalar_t>(maxNorm) / (tot + static_cast<scalar_t>(1e-6)),
                                     static_cast<scalar_t>(1));
      if (coef != static_cast<scalar_t>(1)) {
        for (const auto& g : grads) {
          ScaleCpu<scalar_t>(g, coef);
          g.unsafeGetTensorImpl()->bump_version();
        }
      }
      total = static_cast<double>(tot);
    });
    return at::scalar_tensor(total, at::TensorOptions().dtype(st));
  }
  at::Tensor total;
  if (std::isinf(normType)) {
    std::vector<at::Tensor> norms;
    for (const auto& g : grads) norms.push_back(g.abs().max());
    total = norms.size() == 1 ? norms[0] : at::stack(norms).max();
  } else {
    std::vector<at::Tensor> norms;
    for (const auto& g : grads) norms.push_back(at::norm(g, normType));
    total = at::norm(at::stack(norms), normType);
  }
  auto coef = at::clamp_max(maxNorm / (total + 1e-6), 1.0);
  for (const auto& g : grads) g.mul_(coef.to(g.device()));
  return total;
}

}  // namespace mmtl
