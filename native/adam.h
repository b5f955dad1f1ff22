// fastai's Adam step (src/optim/adam.ts) in one pass over memory, for float32 contiguous CPU
// tensors: the op-by-op form reads and writes each parameter-sized buffer about eight times (weight
// decay, lerp, mul, addcmul, div, sqrt, add, addcdiv); this reads four and writes three. The float
// operations are those of the aten ops, in their order, so results agree with the op-by-op path to
// rounding (aten's kernels may fuse a multiply-add where this does not).
#pragma once

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/variable.h>

#include <cmath>
#include <cstdint>

// The addon builds with -O2, whose vectoriser (GCC 12) takes only loops without a remainder:
// this file's loops get -O3's.
#pragma GCC push_options
#pragma GCC optimize("O3")

namespace owlet {

struct AdamHypers {
  double lr, mom, sqrMom, eps, wd;
  bool decoupleWd;
  double debias1, debias2;
};

inline bool adamFusable(const at::Tensor& t, int64_t n) {
  return t.defined() && t.device().is_cpu() && t.scalar_type() == at::kFloat && t.is_contiguous() && t.numel() == n &&
         t.layout() == at::kStrided;
}

struct AdamConsts {
  float keep, l2, w, w1, sm, sv, d2, eps, step;
};

// One loop per case, branch-free, on restrict pointers taken by value, so that the compiler
// vectorises it (sqrt and division included: binding.gyp passes -fno-math-errno).
template <bool kDecay, bool kDecoupled, bool kSmall>
void adamLoop(float* __restrict P, const float* __restrict G, float* __restrict A, float* __restrict S, int64_t n, AdamConsts c) {
  for (int64_t i = 0; i < n; i++) {
    float pv = P[i];
    float gv = G[i];
    if constexpr (kDecay) {
      if constexpr (kDecoupled) pv = pv * c.keep;
      else gv = gv + c.l2 * pv;
    }
    const float a = A[i];
    float an;
    if constexpr (kSmall) an = a + c.w * (gv - a);
    else an = gv - (gv - a) * c.w1;
    const float s = S[i] * c.sm + c.sv * gv * gv;
    const float denom = std::sqrt(s / c.d2) + c.eps;
    A[i] = an;
    S[i] = s;
    P[i] = pv + c.step * an / denom;
  }
}

// Returns false (and touches nothing) when a tensor is not float32, contiguous and on the CPU, or
// the sizes differ: the caller then takes the op-by-op path.
inline bool adamStepFused(at::Tensor& p, const at::Tensor& g, at::Tensor& avg, at::Tensor& sqr, const AdamHypers& h) {
  const int64_t n = p.numel();
  if (!adamFusable(p, n) || !adamFusable(g, n) || !adamFusable(avg, n) || !adamFusable(sqr, n)) return false;
  float* P = p.data_ptr<float>();
  const float* G = g.data_ptr<float>();
  float* A = avg.data_ptr<float>();
  float* S = sqr.data_ptr<float>();
  // Each scalar as aten converts a Scalar for a float tensor: computed in double, then cast.
  const bool decay = h.wd != 0;
  const float keep = static_cast<float>(1 - h.lr * h.wd);  // p.mul_(1 - lr*wd)
  const float l2 = static_cast<float>(h.wd);                // grad.add_(p, wd)
  const float w = static_cast<float>(1 - h.mom);           // gradAvg.lerp_(grad, 1 - mom)
  const float sm = static_cast<float>(h.sqrMom);           // sqrAvg.mul_(sqrMom)
  const float sv = static_cast<float>(1 - h.sqrMom);       // .addcmul_(grad, grad, 1 - sqrMom)
  const float d2 = static_cast<float>(h.debias2);          // sqrAvg.div(debias2)
  const float eps = static_cast<float>(h.eps);             // .sqrt_().add_(eps)
  const float step = static_cast<float>(-h.lr / h.debias1);  // p.addcdiv_(gradAvg, denom, -lr/debias1)
  const bool small = std::abs(w) < 0.5f;
  const AdamConsts c{keep, l2, w, 1.0f - w, sm, sv, d2, eps, step};
  auto run = [&](auto kernel) {
    at::parallel_for(0, n, 1 << 15, [&](int64_t begin, int64_t end) { kernel(P + begin, G + begin, A + begin, S + begin, end - begin, c); });
  };
  if (!decay) small ? run(adamLoop<false, false, true>) : run(adamLoop<false, false, false>);
  else if (h.decoupleWd) small ? run(adamLoop<true, true, true>) : run(adamLoop<true, true, false>);
  else small ? run(adamLoop<true, false, true>) : run(adamLoop<true, false, false>);
  // the in-place update is visible to autograd's version checks, as p.addcdiv_ would be
  torch::autograd::impl::bump_version(p);
  return true;
}

}  // namespace owlet

#pragma GCC pop_options
