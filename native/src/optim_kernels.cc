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

// The scalars of one Adam/AdamW update, already cast to the tensor's precision.
template <typename T>
struct AdamArgs {
  T* p;
  const T* g;
  T* m;
  T* v;
  T* vmax;
  T decay, wd, b1, omb1, b2, omb2, bc2s, eps, negStep;
};

// One element range of an Adam/AdamW update. The variants are compile-time so the loop has no branches and
// vectorizes; AdamW's decay multiplies by 1 when there is none (exact), L2 and AMSGrad get their own loops.
template <typename T, bool L2, bool AMS>
__attribute__((always_inline)) inline void AdamRange(const AdamArgs<T>& a, int64_t begin, int64_t end) {
  for (int64_t i = begin; i < end; i++) {
    const T pi = a.p[i] * a.decay;               // AdamW: param.mul_(1 - lr·wd)
    const T gi = L2 ? a.g[i] + a.wd * pi : a.g[i];  // Adam: grad.add(param, alpha=wd)
    const T mi = a.m[i] * a.b1 + a.omb1 * gi;    // exp_avg.mul_(β1).add_(grad, alpha=1-β1)
    const T vi = a.v[i] * a.b2 + a.omb2 * gi * gi;  // exp_avg_sq.mul_(β2).addcmul_(grad, grad, value=1-β2)
    a.m[i] = mi;
    a.v[i] = vi;
    T d = vi;
    if (AMS) {                                   // torch.maximum(max_exp_avg_sq, exp_avg_sq)
      d = std::isnan(vi) || vi > a.vmax[i] ? vi : a.vmax[i];
      a.vmax[i] = d;
    }
    const T denom = std::sqrt(d) / a.bc2s + a.eps;  // (v.sqrt() / √bc2).add_(eps)
    a.p[i] = pi + a.negStep * mi / denom;        // param.addcdiv_(exp_avg, denom, value=-lr/bc1)
  }
}

// Compiled for AVX2 and for the baseline; the loader picks the one the CPU runs. No FMA contraction
// (-std=c++17), so both give the same bits.
template <typename T>
__attribute__((target_clones("avx2", "default"))) void AdamChunk(const AdamArgs<T>& a, int64_t begin, int64_t end,
                                                                  int variant) {
  switch (variant) {
    case 0: AdamRange<T, false, false>(a, begin, end); break;
    case 1: AdamRange<T, true, false>(a, begin, end); break;
    case 2: AdamRange<T, false, true>(a, begin, end); break;
    default: AdamRange<T, true, true>(a, begin, end); break;
  }
}

template <typename T>
void AdamCpu(OptimKind kind, const OptimHyper& h, const at::Tensor& p, const at::Tensor& g, ParamState& s) {
  const double bc1 = 1 - std::pow(h.beta1, static_cast<double>(s.step));
  const double bc2 = 1 - std::pow(h.beta2, static_cast<double>(s.step));
  const bool adamw = kind == OptimKind::AdamW;
  const bool l2 = !adamw && h.weightDecay != 0;
  AdamArgs<T> a{p.data_ptr<T>(),
                g.data_ptr<T>(),
                Buffer(s.expAvg, p).data_ptr<T>(),
                Buffer(s.expAvgSq, p).data_ptr<T>(),
                h.amsgrad ? Buffer(s.maxExpAvgSq, p).data_ptr<T>() : nullptr,
                static_cast<T>(adamw ? 1 - h.lr * h.weightDecay : 1),
                static_cast<T>(h.weightDecay),
                static_cast<T>(h.beta1),
                static_cast<T>(1 - h.beta1),
                static_cast<T>(h.beta2),
                static_cast<T>(1 - h.beta2),
                static_cast<T>(std::sqrt(bc2)),
                static_cast<T>(h.eps),
                static_cast<T>(-(h.lr / bc1))};
  const int variant = (l2 ? 1 : 0) + (h.amsgrad ? 2 : 0);
  at::parallel_for(0, p.numel(), kGrain,
                   [&](int64_t begin, int64_t end) { AdamChunk<T>(a, begin, end, variant); });
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
__attribute__((target_clones("avx2", "default"))) double SumOfSquaresRaw(const T* x, int64_t n) {
  double acc[4] = {0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (int k = 0; k < 4; k++) acc[k] += static_cast<double>(x[i + k]) * static_cast<double>(x[i + k]);
  for (; i < n; i++) acc[0] += static_cast<double>(x[i]) * static_cast<double>(x[i]);
  return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

template <typename T>
double SumOfSquares(const at::Tensor& g) {
  return SumOfSquaresRaw<T>(g.data_ptr<T>(), g.numel());
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
