// Shared helpers of the mmtl native binding: the tensor handle, argument conversion and error mapping.
// Every exported function converts libtorch exceptions into JS errors whose message starts with
// "E_ENGINE:"; the TypeScript layer (src/tensor) turns them into MmtlError with the op name and shapes.
#pragma once
#include <napi.h>
#include <ATen/ATen.h>
#include <string>
#include <vector>

namespace mmtl {

// A heap box for one tensor; the JS handle is a napi External pointing at it. dispose() resets `t`
// (freeing the storage at once); the finalizer deletes the box when the handle is collected.
struct TensorBox {
  at::Tensor t;
};

Napi::Value Wrap(Napi::Env env, at::Tensor t);
const at::Tensor& Unwrap(const Napi::Value& v, const char* what = "tensor");
// Undefined/null → undefined tensor (c10::nullopt for optional args).
c10::optional<at::Tensor> UnwrapOpt(const Napi::Value& v);
std::vector<at::Tensor> UnwrapList(const Napi::Value& v);
Napi::Value WrapList(Napi::Env env, const std::vector<at::Tensor>& ts);
std::vector<int64_t> IntList(const Napi::Value& v);
at::ScalarType DtypeFromCode(int code);
int CodeFromDtype(at::ScalarType st);
at::Device DeviceFromString(const std::string& s);

[[noreturn]] void ThrowEngine(Napi::Env env, const std::string& msg);

// Wraps a function body so libtorch errors become JS errors.
#define MMTL_TRY try {
#define MMTL_CATCH(env)                                                   \
  }                                                                       \
  catch (const Napi::Error&) {                                            \
    throw;                                                                \
  }                                                                       \
  catch (const c10::Error& e) {                                           \
    ::mmtl::ThrowEngine(env, e.what_without_backtrace());                 \
  }                                                                       \
  catch (const std::exception& e) {                                       \
    ::mmtl::ThrowEngine(env, e.what());                                   \
  }

inline int64_t I64(const Napi::Value& v) { return v.As<Napi::Number>().Int64Value(); }
inline double F64(const Napi::Value& v) { return v.As<Napi::Number>().DoubleValue(); }
inline bool Bool(const Napi::Value& v) { return v.As<Napi::Boolean>().Value(); }
inline bool IsNullish(const Napi::Value& v) { return v.IsUndefined() || v.IsNull(); }

void InitTensor(Napi::Env env, Napi::Object exports);
void InitOps(Napi::Env env, Napi::Object exports);
void InitNn(Napi::Env env, Napi::Object exports);
void InitOptim(Napi::Env env, Napi::Object exports);

}  // namespace mmtl
