// Table-driven tensor ops. Each table's names are exported (unaryNames, …) so the TypeScript side maps
// names to indices once at load time and checks that both sides agree.
#include "common.h"
#include <cstring>
#include <cmath>

namespace mmtl {

using Unary = at::Tensor (*)(const at::Tensor&);
using Binary = at::Tensor (*)(const at::Tensor&, const at::Tensor&);
using BinaryScalar = at::Tensor (*)(const at::Tensor&, const at::Scalar&);

struct UnaryEntry { const char* name; Unary fn; };
struct BinaryEntry { const char* name; Binary fn; };
struct ScalarEntry { const char* name; BinaryScalar fn; };

static const UnaryEntry kUnary[] = {
    {"neg", [](const at::Tensor& x) { return x.neg(); }},
    {"abs", [](const at::Tensor& x) { return x.abs(); }},
    {"exp", [](const at::Tensor& x) { return x.exp(); }},
    {"log", [](const at::Tensor& x) { return x.log(); }},
    {"log1p", [](const at::Tensor& x) { return x.log1p(); }},
    {"sqrt", [](const at::Tensor& x) { return x.sqrt(); }},
    {"rsqrt", [](const at::Tensor& x) { return x.rsqrt(); }},
    {"square", [](const at::Tensor& x) { return x.square(); }},
    {"reciprocal", [](const at::Tensor& x) { return x.reciprocal(); }},
    {"sign", [](const at::Tensor& x) { return x.sign(); }},
    {"floor", [](const at::Tensor& x) { return x.floor(); }},
    {"ceil", [](const at::Tensor& x) { return x.ceil(); }},
    {"round", [](const at::Tensor& x) { return x.round(); }},
    {"sin", [](const at::Tensor& x) { return x.sin(); }},
    {"cos", [](const at::Tensor& x) { return x.cos(); }},
    {"relu", [](const at::Tensor& x) { return x.relu(); }},
    {"gelu", [](const at::Tensor& x) { return at::gelu(x); }},
    {"geluTanh", [](const at::Tensor& x) { return at::gelu(x, "tanh"); }},
    {"tanh", [](const at::Tensor& x) { return x.tanh(); }},
    {"sigmoid", [](const at::Tensor& x) { return x.sigmoid(); }},
    {"logSigmoid", [](const at::Tensor& x) { return at::log_sigmoid(x); }},
    {"softplus", [](const at::Tensor& x) { return at::softplus(x); }},
    {"elu", [](const at::Tensor& x) { return at::elu(x); }},
    {"silu", [](const at::Tensor& x) { return at::silu(x); }},
    {"logicalNot", [](const at::Tensor& x) { return x.logical_not(); }},
    {"isnan", [](const at::Tensor& x) { return x.isnan(); }},
    {"clone", [](const at::Tensor& x) { return x.clone(); }},
    {"contiguous", [](const at::Tensor& x) { return x.contiguous(); }},
    {"detach", [](const at::Tensor& x) { return x.detach(); }},
    {"t", [](const at::Tensor& x) { return x.t(); }},
};

static const BinaryEntry kBinary[] = {
    {"add", [](const at::Tensor& a, const at::Tensor& b) { return a.add(b); }},
    {"sub", [](const at::Tensor& a, const at::Tensor& b) { return a.sub(b); }},
    {"mul", [](const at::Tensor& a, const at::Tensor& b) { return a.mul(b); }},
    {"div", [](const at::Tensor& a, const at::Tensor& b) { return a.div(b); }},
    {"pow", [](const at::Tensor& a, const at::Tensor& b) { return a.pow(b); }},
    {"maximum", [](const at::Tensor& a, const at::Tensor& b) { return at::maximum(a, b); }},
    {"minimum", [](const at::Tensor& a, const at::Tensor& b) { return at::minimum(a, b); }},
    {"matmul", [](const at::Tensor& a, const at::Tensor& b) { return a.matmul(b); }},
    {"bmm", [](const at::Tensor& a, const at::Tensor& b) { return a.bmm(b); }},
    {"eq", [](const at::Tensor& a, const at::Tensor& b) { return a.eq(b); }},
    {"ne", [](const at::Tensor& a, const at::Tensor& b) { return a.ne(b); }},
    {"lt", [](const at::Tensor& a, const at::Tensor& b) { return a.lt(b); }},
    {"le", [](const at::Tensor& a, const at::Tensor& b) { return a.le(b); }},
    {"gt", [](const at::Tensor& a, const at::Tensor& b) { return a.gt(b); }},
    {"ge", [](const at::Tensor& a, const at::Tensor& b) { return a.ge(b); }},
    {"logicalAnd", [](const at::Tensor& a, const at::Tensor& b) { return a.logical_and(b); }},
    {"logicalOr", [](const at::Tensor& a, const at::Tensor& b) { return a.logical_or(b); }},
    {"atan2", [](const at::Tensor& a, const at::Tensor& b) { return a.atan2(b); }},
};

static const ScalarEntry kScalar[] = {
    {"add", [](const at::Tensor& a, const at::Scalar& s) { return a.add(s); }},
    {"sub", [](const at::Tensor& a, const at::Scalar& s) { return a.sub(s); }},
    {"rsub", [](const at::Tensor& a, const at::Scalar& s) { return at::rsub(a, s); }},
    {"mul", [](const at::Tensor& a, const at::Scalar& s) { return a.mul(s); }},
    {"div", [](const at::Tensor& a, const at::Scalar& s) { return a.div(s); }},
    {"rdiv", [](const at::Tensor& a, const at::Scalar& s) { return a.reciprocal().mul(s); }},
    {"pow", [](const at::Tensor& a, const at::Scalar& s) { return a.pow(s); }},
    {"rpow", [](const at::Tensor& a, const at::Scalar& s) { return at::pow(s, a); }},
    {"maximum", [](const at::Tensor& a, const at::Scalar& s) { return a.clamp_min(s); }},
    {"minimum", [](const at::Tensor& a, const at::Scalar& s) { return a.clamp_max(s); }},
    {"eq", [](const at::Tensor& a, const at::Scalar& s) { return a.eq(s); }},
    {"ne", [](const at::Tensor& a, const at::Scalar& s) { return a.ne(s); }},
    {"lt", [](const at::Tensor& a, const at::Scalar& s) { return a.lt(s); }},
    {"le", [](const at::Tensor& a, const at::Scalar& s) { return a.le(s); }},
    {"gt", [](const at::Tensor& a, const at::Scalar& s) { return a.gt(s); }},
    {"ge", [](const at::Tensor& a, const at::Scalar& s) { return a.ge(s); }},
    {"leakyRelu", [](const at::Tensor& a, const at::Scalar& s) { return at::leaky_relu(a, s); }},
};

template <typename E, size_t N>
static Napi::Array Names(Napi::Env env, const E (&table)[N]) {
  auto arr = Napi::Array::New(env, N);
  for (size_t i = 0; i < N; i++) arr.Set(i, Napi::String::New(env, table[i].name));
  return arr;
}

template <typename E, size_t N>
static const E& Entry(const E (&table)[N], const Napi::Value& v) {
  auto i = static_cast<size_t>(I64(v));
  if (i >= N) throw std::invalid_argument("op index out of range");
  return table[i];
}

// unary(index, x)
static Napi::Value UnaryOp(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Entry(kUnary, info[0]).fn(Unwrap(info[1])));
  MMTL_CATCH(env)
}
// binary(index, a, b)
static Napi::Value BinaryOp(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Entry(kBinary, info[0]).fn(Unwrap(info[1]), Unwrap(info[2])));
  MMTL_CATCH(env)
}
// scalar(index, a, s)
static Napi::Value ScalarOp(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  const at::Tensor& a = Unwrap(info[1]);
  double v = F64(info[2]);
  // An integral number on an integral or bool tensor is an integer Scalar (as a Python int is), so int64 · 2
  // stays int64 instead of promoting to float32; floating tensors keep the double.
  bool integral = !at::isFloatingType(a.scalar_type()) && !at::isComplexType(a.scalar_type()) &&
                  std::isfinite(v) && v == std::trunc(v) && std::abs(v) <= 9007199254740992.0;
  at::Scalar s = integral ? at::Scalar(static_cast<int64_t>(v)) : at::Scalar(v);
  return Wrap(env, Entry(kScalar, info[0]).fn(a, s));
  MMTL_CATCH(env)
}

// Reductions: reduce(index, x, dims | null, keepdim). dims null = over all elements.
using Reduce = at::Tensor (*)(const at::Tensor&, c10::optional<std::vector<int64_t>>, bool);
struct ReduceEntry { const char* name; Reduce fn; };
static std::vector<int64_t> AllDims(const at::Tensor& x) {
  std::vector<int64_t> d(x.dim());
  for (int64_t i = 0; i < x.dim(); i++) d[i] = i;
  return d;
}
static const ReduceEntry kReduce[] = {
    {"sum", [](const at::Tensor& x, c10::optional<std::vector<int64_t>> d, bool k) {
       return d ? x.sum(*d, k) : (k ? x.sum(AllDims(x), true) : x.sum()); }},
    {"mean", [](const at::Tensor& x, c10::optional<std::vector<int64_t>> d, bool k) {
       return d ? x.mean(*d, k) : (k ? x.mean(AllDims(x), true) : x.mean()); }},
    {"prod", [](const at::Tensor& x, c10::optional<std::vector<int64_t>> d, bool k) {
       if (!d) return x.prod();
       at::Tensor r = x;
       auto dims = *d;
       std::sort(dims.begin(), dims.end(), std::greater<int64_t>());
       for (auto dim : dims) r = r.prod(dim, k);
       return r; }},
    {"amax", [](const at::Tensor& x, c10::optional<std::vector<int64_t>> d, bool k) {
       return at::amax(x, d ? *d : AllDims(x), k); }},
    {"amin", [](const at::Tensor& x, c10::optional<std::vector<int64_t>> d, bool k) {
       return at::amin(x, d ? *d : AllDims(x), k); }},
    {"logsumexp", [](const at::Tensor& x, c10::optional<std::vector<int64_t>> d, bool k) {
       return at::logsumexp(x, d ? *d : AllDims(x), k); }},
    {"var", [](const at::Tensor& x, c10::optional<std::vector<int64_t>> d, bool k) {
       return at::var(x, d ? at::OptionalIntArrayRef(*d) : at::OptionalIntArrayRef(), /*unbiased=*/true, k); }},
    {"std", [](const at::Tensor& x, c10::optional<std::vector<int64_t>> d, bool k) {
       return at::std(x, d ? at::OptionalIntArrayRef(*d) : at::OptionalIntArrayRef(), /*unbiased=*/true, k); }},
    {"norm", [](const at::Tensor& x, c10::optional<std::vector<int64_t>> d, bool k) {
       return at::norm(x, 2, d ? *d : AllDims(x), k); }},
    {"all", [](const at::Tensor& x, c10::optional<std::vector<int64_t>> d, bool k) {
       if (!d) return x.all();
       at::Tensor r = x;
       auto dims = *d;
       std::sort(dims.begin(), dims.end(), std::greater<int64_t>());
       for (auto dim : dims) r = r.all(dim, k);
       return r; }},
    {"any", [](const at::Tensor& x, c10::optional<std::vector<int64_t>> d, bool k) {
       if (!d) return x.any();
       at::Tensor r = x;
       auto dims = *d;
       std::sort(dims.begin(), dims.end(), std::greater<int64_t>());
       for (auto dim : dims) r = r.any(dim, k);
       return r; }},
};

static Napi::Value ReduceOp(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  c10::optional<std::vector<int64_t>> dims;
  if (!IsNullish(info[2])) dims = IntList(info[2]);
  return Wrap(env, Entry(kReduce, info[0]).fn(Unwrap(info[1]), dims, Bool(info[3])));
  MMTL_CATCH(env)
}

// maxDim / minDim(x, dim, keepdim) → [values, indices]; sort(x, dim, descending) → [values, indices]
static Napi::Value MaxDim(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto r = Unwrap(info[0]).max(I64(info[1]), Bool(info[2]));
  return WrapList(env, {std::get<0>(r), std::get<1>(r)});
  MMTL_CATCH(env)
}
static Napi::Value MinDim(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto r = Unwrap(info[0]).min(I64(info[1]), Bool(info[2]));
  return WrapList(env, {std::get<0>(r), std::get<1>(r)});
  MMTL_CATCH(env)
}
static Napi::Value Sort(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto r = Unwrap(info[0]).sort(I64(info[1]), Bool(info[2]));
  return WrapList(env, {std::get<0>(r), std::get<1>(r)});
  MMTL_CATCH(env)
}
// argmax / argmin (x, dim | null, keepdim)
static Napi::Value Argmax(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  c10::optional<int64_t> d;
  if (!IsNullish(info[1])) d = I64(info[1]);
  return Wrap(env, Unwrap(info[0]).argmax(d, Bool(info[2])));
  MMTL_CATCH(env)
}
static Napi::Value Argmin(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  c10::optional<int64_t> d;
  if (!IsNullish(info[1])) d = I64(info[1]);
  return Wrap(env, Unwrap(info[0]).argmin(d, Bool(info[2])));
  MMTL_CATCH(env)
}
static Napi::Value Cumsum(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).cumsum(I64(info[1])));
  MMTL_CATCH(env)
}

// Shape and indexing.
static Napi::Value Reshape(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).reshape(IntList(info[1])));
  MMTL_CATCH(env)
}
static Napi::Value View(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).view(IntList(info[1])));
  MMTL_CATCH(env)
}
static Napi::Value Permute(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).permute(IntList(info[1])));
  MMTL_CATCH(env)
}
static Napi::Value Transpose(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).transpose(I64(info[1]), I64(info[2])));
  MMTL_CATCH(env)
}
// squeeze(x, dim | null)
static Napi::Value Squeeze(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  const at::Tensor& x = Unwrap(info[0]);
  return Wrap(env, IsNullish(info[1]) ? x.squeeze() : x.squeeze(I64(info[1])));
  MMTL_CATCH(env)
}
static Napi::Value Unsqueeze(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).unsqueeze(I64(info[1])));
  MMTL_CATCH(env)
}
static Napi::Value Expand(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).expand(IntList(info[1])));
  MMTL_CATCH(env)
}
static Napi::Value Repeat(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).repeat(IntList(info[1])));
  MMTL_CATCH(env)
}
static Napi::Value Flatten(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).flatten(I64(info[1]), I64(info[2])));
  MMTL_CATCH(env)
}
// slice(x, dim, start, end, step)
static Napi::Value Slice(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).slice(I64(info[1]), I64(info[2]), I64(info[3]), I64(info[4])));
  MMTL_CATCH(env)
}
// select(x, dim, index)
static Napi::Value Select(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).select(I64(info[1]), I64(info[2])));
  MMTL_CATCH(env)
}
static Napi::Value IndexSelect(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).index_select(I64(info[1]), Unwrap(info[2])));
  MMTL_CATCH(env)
}
// takeRows(x, rows: Int32Array) → x[rows] along dim 0. A contiguous CPU tensor is copied row by row (one call,
// no index tensor: the batch gather of collate); other tensors go through index_select on their device.
static Napi::Value TakeRows(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  const at::Tensor& x = Unwrap(info[0]);
  auto ta = info[1].As<Napi::TypedArray>();
  if (ta.TypedArrayType() != napi_int32_array) throw std::invalid_argument("takeRows: rows must be an Int32Array");
  const auto* rows = reinterpret_cast<const int32_t*>(static_cast<const char*>(ta.ArrayBuffer().Data()) + ta.ByteOffset());
  const int64_t n = static_cast<int64_t>(ta.ElementLength());
  if (x.dim() < 1) throw std::invalid_argument("takeRows: the tensor has no rows (0-d)");
  const int64_t N = x.size(0);
  for (int64_t i = 0; i < n; i++) {
    if (rows[i] < 0 || rows[i] >= N) {
      throw std::out_of_range("takeRows: row " + std::to_string(rows[i]) + " is out of range for " +
                              std::to_string(N) + " rows");
    }
  }
  if (x.device().is_cpu() && x.is_contiguous() && x.layout() == at::kStrided) {
    auto sizes = x.sizes().vec();
    sizes[0] = n;
    auto out = at::empty(sizes, x.options().requires_grad(false));
    const int64_t rowBytes = (N == 0 ? 0 : x.numel() / N) * static_cast<int64_t>(x.element_size());
    const auto* src = static_cast<const char*>(x.data_ptr());
    auto* dst = static_cast<char*>(out.data_ptr());
    for (int64_t i = 0; i < n; i++) std::memcpy(dst + i * rowBytes, src + rows[i] * rowBytes, rowBytes);
    return Wrap(env, out);
  }
  auto idx = at::from_blob(const_cast<int32_t*>(rows), {n}, at::kInt).to(x.device(), at::kLong);
  return Wrap(env, x.index_select(0, idx));
  MMTL_CATCH(env)
}
static Napi::Value Gather(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).gather(I64(info[1]), Unwrap(info[2])));
  MMTL_CATCH(env)
}
// scatterAdd(x, dim, index, src)
static Napi::Value ScatterAdd(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).scatter_add(I64(info[1]), Unwrap(info[2]), Unwrap(info[3])));
  MMTL_CATCH(env)
}
static Napi::Value Cat(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::cat(UnwrapList(info[0]), I64(info[1])));
  MMTL_CATCH(env)
}
static Napi::Value Stack(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::stack(UnwrapList(info[0]), I64(info[1])));
  MMTL_CATCH(env)
}
// split(x, sizes[], dim) → list
static Napi::Value Split(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return WrapList(env, Unwrap(info[0]).split_with_sizes(IntList(info[1]), I64(info[2])));
  MMTL_CATCH(env)
}
static Napi::Value Where(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::where(Unwrap(info[0]), Unwrap(info[1]), Unwrap(info[2])));
  MMTL_CATCH(env)
}
// maskedFill(x, mask, value)
static Napi::Value MaskedFill(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).masked_fill(Unwrap(info[1]), F64(info[2])));
  MMTL_CATCH(env)
}
static Napi::Value MaskedSelect(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).masked_select(Unwrap(info[1])));
  MMTL_CATCH(env)
}
// indexRows(x, boolMask or int64 index over dim 0)
static Napi::Value IndexRows(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  c10::List<c10::optional<at::Tensor>> idx;
  idx.push_back(Unwrap(info[1]));
  return Wrap(env, at::index(Unwrap(info[0]), idx));
  MMTL_CATCH(env)
}
// clamp(x, min | null, max | null)
static Napi::Value Clamp(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  c10::optional<at::Scalar> lo, hi;
  if (!IsNullish(info[1])) lo = F64(info[1]);
  if (!IsNullish(info[2])) hi = F64(info[2]);
  return Wrap(env, Unwrap(info[0]).clamp(lo, hi));
  MMTL_CATCH(env)
}
// tril / triu (x, diagonal)
static Napi::Value Tril(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).tril(I64(info[1])));
  MMTL_CATCH(env)
}
static Napi::Value Triu(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, Unwrap(info[0]).triu(I64(info[1])));
  MMTL_CATCH(env)
}
// oneHot(index int64, k)
static Napi::Value OneHot(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::one_hot(Unwrap(info[0]), I64(info[1])));
  MMTL_CATCH(env)
}
// pad(x, pads[], value): constant padding, pads as in torch.nn.functional.pad (last dim first)
static Napi::Value Pad(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::constant_pad_nd(Unwrap(info[0]), IntList(info[1]), F64(info[2])));
  MMTL_CATCH(env)
}
// addmm(bias, a, b, beta, alpha): beta·bias + alpha·(a @ b)
static Napi::Value Addmm(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::addmm(Unwrap(info[0]), Unwrap(info[1]), Unwrap(info[2]), F64(info[3]), F64(info[4])));
  MMTL_CATCH(env)
}

void InitOps(Napi::Env env, Napi::Object e) {
#define EXPORT(name, fn) e.Set(name, Napi::Function::New(env, fn, name))
  e.Set("unaryNames", Names(env, kUnary));
  e.Set("binaryNames", Names(env, kBinary));
  e.Set("scalarNames", Names(env, kScalar));
  e.Set("reduceNames", Names(env, kReduce));
  EXPORT("unary", UnaryOp);
  EXPORT("binary", BinaryOp);
  EXPORT("scalar", ScalarOp);
  EXPORT("reduce", ReduceOp);
  EXPORT("maxDim", MaxDim);
  EXPORT("minDim", MinDim);
  EXPORT("sort", Sort);
  EXPORT("argmax", Argmax);
  EXPORT("argmin", Argmin);
  EXPORT("cumsum", Cumsum);
  EXPORT("reshape", Reshape);
  EXPORT("view", View);
  EXPORT("permute", Permute);
  EXPORT("transpose", Transpose);
  EXPORT("squeeze", Squeeze);
  EXPORT("unsqueeze", Unsqueeze);
  EXPORT("expand", Expand);
  EXPORT("repeat", Repeat);
  EXPORT("flatten", Flatten);
  EXPORT("slice", Slice);
  EXPORT("select", Select);
  EXPORT("indexSelect", IndexSelect);
  EXPORT("takeRows", TakeRows);
  EXPORT("gather", Gather);
  EXPORT("scatterAdd", ScatterAdd);
  EXPORT("cat", Cat);
  EXPORT("stack", Stack);
  EXPORT("split", Split);
  EXPORT("where", Where);
  EXPORT("maskedFill", MaskedFill);
  EXPORT("maskedSelect", MaskedSelect);
  EXPORT("indexRows", IndexRows);
  EXPORT("clamp", Clamp);
  EXPORT("tril", Tril);
  EXPORT("triu", Triu);
  EXPORT("oneHot", OneHot);
  EXPORT("pad", Pad);
  EXPORT("addmm", Addmm);
#undef EXPORT
}

}  // namespace mmtl
