// Module entry of the mmtl native binding: a thin N-API layer over libtorch (see src/tensor for the
// TypeScript face). The binding only moves handles across; autograd, kernels and threads are libtorch's.
#include "common.h"

namespace mmtl {
static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  InitTensor(env, exports);
  InitOps(env, exports);
  InitNn(env, exports);
  InitOptim(env, exports);
  return exports;
}
}  // namespace mmtl

static Napi::Object InitAll(Napi::Env env, Napi::Object exports) { return mmtl::Init(env, exports); }

NODE_API_MODULE(mmtl_native, InitAll)
