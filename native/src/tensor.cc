// Tensor handles: creation from and to typed arrays, metadata, lifetime, dtype/device moves, random
// numbers, autograd and in-place updates.
#include "common.h"
#include <ATen/Parallel.h>
#include <ATen/CPUGeneratorImpl.h>
#include <cstring>
#include <torch/version.h>

namespace mmtl {

Napi::Value Wrap(Napi::Env env, at::Tensor t) {
  auto* box = new TensorBox{std::move(t)};
  return Napi::External<TensorBox>::New(env, box, [](Napi::Env, TensorBox* b) { delete b; });
}

const at::Tensor& Unwrap(const Napi::Value& v, const char* what) {
  if (!v.IsExternal()) {
    throw Napi::TypeError::New(v.Env(), std::string("E_ENGINE: expected a tensor handle for ") + what);
  }
  auto* box = v.As<Napi::External<TensorBox>>().Data();
  if (!box->t.defined()) {
    throw Napi::Error::New(v.Env(), std::string("E_STATE: ") + what + " was disposed");
  }
  return box->t;
}

c10::optional<at::Tensor> UnwrapOpt(const Napi::Value& v) {
  if (IsNullish(v)) return c10::nullopt;
  return Unwrap(v);
}

std::vector<at::Tensor> UnwrapList(const Napi::Value& v) {
  auto arr = v.As<Napi::Array>();
  std::vector<at::Tensor> out;
  out.reserve(arr.Length());
  for (uint32_t i = 0; i < arr.Length(); i++) out.push_back(Unwrap(arr.Get(i)));
  return out;
}

Napi::Value WrapList(Napi::Env env, const std::vector<at::Tensor>& ts) {
  auto arr = Napi::Array::New(env, ts.size());
  for (size_t i = 0; i < ts.size(); i++) arr.Set(i, Wrap(env, ts[i]));
  return arr;
}

std::vector<int64_t> IntList(const Napi::Value& v) {
  auto arr = v.As<Napi::Array>();
  std::vector<int64_t> out(arr.Length());
  for (uint32_t i = 0; i < arr.Length(); i++) out[i] = arr.Get(i).As<Napi::Number>().Int64Value();
  return out;
}

static const at::ScalarType kDtypes[] = {at::kFloat, at::kDouble,   at::kLong, at::kInt,  at::kBool,
                                         at::kHalf,  at::kBFloat16, at::kByte, at::kChar, at::kShort};

at::ScalarType DtypeFromCode(int code) {
  if (code < 0 || code >= static_cast<int>(sizeof(kDtypes) / sizeof(kDtypes[0]))) {
    throw std::invalid_argument("unknown dtype code " + std::to_string(code));
  }
  return kDtypes[code];
}

int CodeFromDtype(at::ScalarType st) {
  for (int i = 0; i < static_cast<int>(sizeof(kDtypes) / sizeof(kDtypes[0])); i++)
    if (kDtypes[i] == st) return i;
  return -1;
}

at::Device DeviceFromString(const std::string& s) { return at::Device(s); }

void ThrowEngine(Napi::Env env, const std::string& msg) {
  throw Napi::Error::New(env, "E_ENGINE: " + msg);
}

// fromTypedArray(typedArray, shape, srcDtypeCode, dstDtypeCode) → handle (the data is copied)
static Napi::Value FromTypedArray(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto ta = info[0].As<Napi::TypedArray>();
  auto shape = IntList(info[1]);
  auto src = DtypeFromCode(static_cast<int>(I64(info[2])));
  auto dst = DtypeFromCode(static_cast<int>(I64(info[3])));
  auto buf = ta.ArrayBuffer();
  auto* ptr = static_cast<uint8_t*>(buf.Data()) + ta.ByteOffset();
  at::Tensor t = at::empty(shape, at::TensorOptions().dtype(src));
  size_t nbytes = t.numel() * t.element_size();
  if (nbytes != ta.ByteLength()) {
    throw std::invalid_argument("data has " + std::to_string(ta.ByteLength()) + " bytes but shape needs " +
                                std::to_string(nbytes));
  }
  if (nbytes > 0) std::memcpy(t.data_ptr(), ptr, nbytes);
  if (src != dst) t = t.to(dst);
  return Wrap(env, t);
  MMTL_CATCH(env)
}

// gatherRows(typedArray, rowShape, rows: Int32Array, srcDtypeCode, dstDtypeCode) → tensor [rows, ...rowShape]:
// the listed rows of a row-major typed array, copied straight from JS memory (no tensor of the whole array).
static Napi::Value GatherRows(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto ta = info[0].As<Napi::TypedArray>();
  auto rowShape = IntList(info[1]);
  auto rowsTa = info[2].As<Napi::TypedArray>();
  if (rowsTa.TypedArrayType() != napi_int32_array) throw std::invalid_argument("gatherRows: rows must be an Int32Array");
  const auto* rows = reinterpret_cast<const int32_t*>(static_cast<const uint8_t*>(rowsTa.ArrayBuffer().Data()) +
                                                      rowsTa.ByteOffset());
  const int64_t n = static_cast<int64_t>(rowsTa.ElementLength());
  auto src = DtypeFromCode(static_cast<int>(I64(info[3])));
  auto dst = DtypeFromCode(static_cast<int>(I64(info[4])));
  std::vector<int64_t> shape{n};
  shape.insert(shape.end(), rowShape.begin(), rowShape.end());
  at::Tensor t = at::empty(shape, at::TensorOptions().dtype(src));
  int64_t width = 1;
  for (auto d : rowShape) width *= d;
  const int64_t rowBytes = width * static_cast<int64_t>(t.element_size());
  const int64_t total = rowBytes == 0 ? 0 : static_cast<int64_t>(ta.ByteLength()) / rowBytes;
  const auto* from = static_cast<const uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
  auto* to = static_cast<uint8_t*>(t.data_ptr());
  for (int64_t i = 0; i < n; i++) {
    if (rows[i] < 0 || rows[i] >= total) {
      throw std::out_of_range("gatherRows: row " + std::to_string(rows[i]) + " is out of range for " +
                              std::to_string(total) + " rows");
    }
    std::memcpy(to + i * rowBytes, from + rows[i] * rowBytes, rowBytes);
  }
  if (src != dst) t = t.to(dst);
  return Wrap(env, t);
  MMTL_CATCH(env)
}

// toArrayBuffer(handle) → ArrayBuffer with the contiguous CPU bytes (f16/bf16 widened to f32, bool as u8)
static Napi::Value ToArrayBuffer(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  at::Tensor t = Unwrap(info[0]).detach();
  if (t.scalar_type() == at::kHalf || t.scalar_type() == at::kBFloat16) t = t.to(at::kFloat);
  t = t.to(at::kCPU).contiguous();
  size_t nbytes = t.numel() * t.element_size();
  auto ab = Napi::ArrayBuffer::New(env, nbytes);
  if (nbytes > 0) std::memcpy(ab.Data(), t.data_ptr(), nbytes);
  return ab;
  MMTL_CATCH(env)
}

static Napi::Value Item(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Napi::Number::New(env, Unwrap(info[0]).item<double>());
  MMTL_CATCH(env)
}

static Napi::Value Shape(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto sizes = Unwrap(info[0]).sizes();
  auto arr = Napi::Array::New(env, sizes.size());
  for (size_t i = 0; i < sizes.size(); i++) arr.Set(i, Napi::Number::New(env, static_cast<double>(sizes[i])));
  return arr;
  MMTL_CATCH(env)
}

static Napi::Value Dtype(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Napi::Number::New(env, CodeFromDtype(Unwrap(info[0]).scalar_type()));
  MMTL_CATCH(env)
}

static Napi::Value Device(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Napi::String::New(env, Unwrap(info[0]).device().str());
  MMTL_CATCH(env)
}

static Napi::Value Free(const Napi::CallbackInfo& info) {
  if (info[0].IsExternal()) info[0].As<Napi::External<TensorBox>>().Data()->t.reset();
  return info.Env().Undefined();
}

static Napi::Value IsAlive(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(),
                            info[0].IsExternal() && info[0].As<Napi::External<TensorBox>>().Data()->t.defined());
}

static Napi::Value ToDtype(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).to(DtypeFromCode(static_cast<int>(I64(info[1])))));
  MMTL_CATCH(env)
}

static Napi::Value ToDevice(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).to(DeviceFromString(info[1].As<Napi::String>().Utf8Value())));
  MMTL_CATCH(env)
}

static at::TensorOptions Opts(const Napi::CallbackInfo& info, size_t dtypeArg, size_t deviceArg) {
  auto o = at::TensorOptions().dtype(DtypeFromCode(static_cast<int>(I64(info[dtypeArg]))));
  if (info.Length() > deviceArg && info[deviceArg].IsString())
    o = o.device(DeviceFromString(info[deviceArg].As<Napi::String>().Utf8Value()));
  return o;
}

// full(shape, value, dtype, device?)
static Napi::Value Full(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::full(IntList(info[0]), F64(info[1]), Opts(info, 2, 3)));
  MMTL_CATCH(env)
}

// arange(start, end, step, dtype, device?)
static Napi::Value Arange(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::arange(F64(info[0]), F64(info[1]), F64(info[2]), Opts(info, 3, 4)));
  MMTL_CATCH(env)
}

// Random numbers (libtorch's global CPU generator; seed it with manualSeed).
static Napi::Value ManualSeed(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  at::manual_seed(static_cast<uint64_t>(I64(info[0])));
  return env.Undefined();
  MMTL_CATCH(env)
}

// rand / randn (shape, dtype, device?)
static Napi::Value Rand(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::rand(IntList(info[0]), Opts(info, 1, 2)));
  MMTL_CATCH(env)
}
static Napi::Value Randn(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::randn(IntList(info[0]), Opts(info, 1, 2)));
  MMTL_CATCH(env)
}
// randint(low, high, shape, dtype, device?)
static Napi::Value Randint(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::randint(I64(info[0]), I64(info[1]), IntList(info[2]), Opts(info, 3, 4)));
  MMTL_CATCH(env)
}
// randperm(n, device?)
static Napi::Value Randperm(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto o = at::TensorOptions().dtype(at::kLong);
  if (info.Length() > 1 && info[1].IsString()) o = o.device(DeviceFromString(info[1].As<Napi::String>().Utf8Value()));
  return Wrap(env, at::randperm(I64(info[0]), o));
  MMTL_CATCH(env)
}
static Napi::Value Bernoulli(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::bernoulli(Unwrap(info[0])));
  MMTL_CATCH(env)
}
// uniform_(t, a, b) / normal_(t, mean, std): in place, without recording autograd.
static Napi::Value Uniform_(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  at::NoGradGuard g;
  Unwrap(info[0]).uniform_(F64(info[1]), F64(info[2]));
  return env.Undefined();
  MMTL_CATCH(env)
}
static Napi::Value Normal_(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  at::NoGradGuard g;
  Unwrap(info[0]).normal_(F64(info[1]), F64(info[2]));
  return env.Undefined();
  MMTL_CATCH(env)
}
// The global CPU generator's state as bytes, and back (for checkpoints).
static Napi::Value GetRngState(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  at::Tensor s = gen.get_state();
  auto ab = Napi::ArrayBuffer::New(env, s.numel());
  std::memcpy(ab.Data(), s.data_ptr(), s.numel());
  return ab;
  MMTL_CATCH(env)
}
static Napi::Value SetRngState(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto ta = info[0].As<Napi::TypedArray>();
  at::Tensor s = at::empty({static_cast<int64_t>(ta.ByteLength())}, at::kByte);
  std::memcpy(s.data_ptr(), static_cast<uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset(), ta.ByteLength());
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(s);
  return env.Undefined();
  MMTL_CATCH(env)
}

// Autograd.
static Napi::Value RequiresGrad(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Napi::Boolean::New(env, Unwrap(info[0]).requires_grad());
  MMTL_CATCH(env)
}
static Napi::Value SetRequiresGrad(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  at::Tensor t = Unwrap(info[0]);
  t.set_requires_grad(Bool(info[1]));
  return env.Undefined();
  MMTL_CATCH(env)
}
// backward(t, grad?, retainGraph)
static Napi::Value Backward(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto g = UnwrapOpt(info[1]);
  Unwrap(info[0]).backward(g.has_value() ? *g : at::Tensor(), Bool(info[2]));
  return env.Undefined();
  MMTL_CATCH(env)
}
// grad(t) → handle or null
static Napi::Value Grad(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  const at::Tensor& g = Unwrap(info[0]).grad();
  if (!g.defined()) return env.Null();
  return Wrap(env, g);
  MMTL_CATCH(env)
}
// zeroGrad(list): sets every grad to none (PyTorch's zero_grad(set_to_none=True)).
static Napi::Value ZeroGrad(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  for (auto& t : UnwrapList(info[0])) t.mutable_grad().reset();
  return env.Undefined();
  MMTL_CATCH(env)
}
static Napi::Value GradEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::GradMode::is_enabled());
}
static Napi::Value SetGradEnabled(const Napi::CallbackInfo& info) {
  at::GradMode::set_enabled(Bool(info[0]));
  return info.Env().Undefined();
}

// In place, without autograd: copy_(dst, src), fill_(t, v), addScaled_(dst, src, alpha).
static Napi::Value Copy_(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  at::NoGradGuard g;
  Unwrap(info[0]).copy_(Unwrap(info[1]));
  return env.Undefined();
  MMTL_CATCH(env)
}
static Napi::Value Fill_(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  at::NoGradGuard g;
  Unwrap(info[0]).fill_(F64(info[1]));
  return env.Undefined();
  MMTL_CATCH(env)
}
static Napi::Value AddScaled_(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  at::NoGradGuard g;
  Unwrap(info[0]).add_(Unwrap(info[1]), F64(info[2]));
  return env.Undefined();
  MMTL_CATCH(env)
}

// Threads and build facts.
static Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  at::set_num_threads(static_cast<int>(I64(info[0])));
  return info.Env().Undefined();
}
static Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_threads());
}
static Napi::Value CudaAvailable(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::hasCUDA());
}
static Napi::Value Version(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), std::to_string(TORCH_VERSION_MAJOR) + "." +
                                             std::to_string(TORCH_VERSION_MINOR) + "." +
                                             std::to_string(TORCH_VERSION_PATCH));
}

void InitTensor(Napi::Env env, Napi::Object e) {
#define EXPORT(name, fn) e.Set(name, Napi::Function::New(env, fn, name))
  EXPORT("fromTypedArray", FromTypedArray);
  EXPORT("toArrayBuffer", ToArrayBuffer);
  EXPORT("item", Item);
  EXPORT("shape", Shape);
  EXPORT("dtype", Dtype);
  EXPORT("device", Device);
  EXPORT("free", Free);
  EXPORT("isAlive", IsAlive);
  EXPORT("toDtype", ToDtype);
  EXPORT("toDevice", ToDevice);
  EXPORT("full", Full);
  EXPORT("arange", Arange);
  EXPORT("manualSeed", ManualSeed);
  EXPORT("rand", Rand);
  EXPORT("randn", Randn);
  EXPORT("randint", Randint);
  EXPORT("randperm", Randperm);
  EXPORT("bernoulli", Bernoulli);
  EXPORT("uniform_", Uniform_);
  EXPORT("normal_", Normal_);
  EXPORT("getRngState", GetRngState);
  EXPORT("setRngState", SetRngState);
  EXPORT("requiresGrad", RequiresGrad);
  EXPORT("setRequiresGrad", SetRequiresGrad);
  EXPORT("backward", Backward);
  EXPORT("grad", Grad);
  EXPORT("zeroGrad", ZeroGrad);
  EXPORT("gradEnabled", GradEnabled);
  EXPORT("setGradEnabled", SetGradEnabled);
  EXPORT("copy_", Copy_);
  EXPORT("fill_", Fill_);
  EXPORT("addScaled_", AddScaled_);
  EXPORT("gatherRows", GatherRows);
  EXPORT("setNumThreads", SetNumThreads);
  EXPORT("getNumThreads", GetNumThreads);
  EXPORT("cudaAvailable", CudaAvailable);
  EXPORT("version", Version);
#undef EXPORT
}

}  // namespace mmtl
