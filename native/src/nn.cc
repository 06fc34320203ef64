// Neural-network functions: activations over a dim, normalization, dropout, embedding, linear, the fused
// LSTM (padded and packed), and the losses.
#include "common.h"

namespace mmtl {

static Napi::Value Softmax(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::softmax(Unwrap(info[0]), I64(info[1])));
  MMTL_CATCH(env)
}
static Napi::Value LogSoftmax(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::log_softmax(Unwrap(info[0]), I64(info[1])));
  MMTL_CATCH(env)
}
// layerNorm(x, normalizedShape, weight?, bias?, eps)
static Napi::Value LayerNorm(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::layer_norm(Unwrap(info[0]), IntList(info[1]), UnwrapOpt(info[2]), UnwrapOpt(info[3]),
                                  F64(info[4])));
  MMTL_CATCH(env)
}
// dropout(x, p, train)
static Napi::Value Dropout(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::dropout(Unwrap(info[0]), F64(info[1]), Bool(info[2])));
  MMTL_CATCH(env)
}
// embedding(weight, indices, paddingIdx)
static Napi::Value Embedding(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::embedding(Unwrap(info[0]), Unwrap(info[1]), I64(info[2])));
  MMTL_CATCH(env)
}
// linear(x, weight, bias?)
static Napi::Value Linear(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::linear(Unwrap(info[0]), Unwrap(info[1]), UnwrapOpt(info[2])));
  MMTL_CATCH(env)
}

static std::vector<at::Tensor> LstmHx(const std::vector<at::Tensor>& hx, const std::vector<at::Tensor>& params,
                                      int64_t layers, bool bidirectional, int64_t batch, const at::Tensor& like) {
  if (!hx.empty()) return hx;
  int64_t hidden = params.at(1).size(1);  // w_hh: [4H, H]
  auto z = at::zeros({layers * (bidirectional ? 2 : 1), batch, hidden}, like.options());
  return {z, z};
}

// lstm(input, hx[] (empty = zeros), params[], hasBiases, numLayers, dropout, train, bidirectional, batchFirst)
//   → [output, h_n, c_n]
static Napi::Value Lstm(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  const at::Tensor& x = Unwrap(info[0]);
  auto params = UnwrapList(info[2]);
  int64_t layers = I64(info[4]);
  bool bidir = Bool(info[7]), batchFirst = Bool(info[8]);
  auto hx = LstmHx(UnwrapList(info[1]), params, layers, bidir, x.size(batchFirst ? 0 : 1), x);
  auto r = at::lstm(x, hx, params, Bool(info[3]), layers, F64(info[5]), Bool(info[6]), bidir, batchFirst);
  return WrapList(env, {std::get<0>(r), std::get<1>(r), std::get<2>(r)});
  MMTL_CATCH(env)
}

// lstmPacked(input [B, T, F] batch-first, lengths int64 [B], hx[], params[], hasBiases, numLayers, dropout,
//   train, bidirectional) → [output [B, T, D·H] (zeros past each length), h_n, c_n]. Rows need not be sorted:
//   they are sorted by length here and restored afterwards, as pack_padded_sequence(enforce_sorted=False).
static Napi::Value LstmPacked(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  const at::Tensor& x = Unwrap(info[0]);
  at::Tensor lengths = Unwrap(info[1]).to(at::kCPU).to(at::kLong);
  auto params = UnwrapList(info[3]);
  int64_t layers = I64(info[5]);
  bool bidir = Bool(info[8]);
  int64_t total = x.size(1);
  auto sorted = lengths.sort(0, /*descending=*/true);
  at::Tensor sortedLengths = std::get<0>(sorted), order = std::get<1>(sorted);
  at::Tensor unorder = order.argsort();
  at::Tensor xs = x.index_select(0, order.to(x.device()));
  auto hx = LstmHx(UnwrapList(info[2]), params, layers, bidir, x.size(0), x);
  if (!UnwrapList(info[2]).empty()) {
    hx = {hx[0].index_select(1, order.to(x.device())), hx[1].index_select(1, order.to(x.device()))};
  }
  auto packed = at::_pack_padded_sequence(xs, sortedLengths, /*batch_first=*/true);
  auto r = at::lstm(std::get<0>(packed), std::get<1>(packed), hx, params, Bool(info[4]), layers, F64(info[6]),
                    Bool(info[7]), bidir);
  auto padded = at::_pad_packed_sequence(std::get<0>(r), std::get<1>(packed), /*batch_first=*/true, 0.0, total);
  auto dev = x.device();
  at::Tensor out = std::get<0>(padded).index_select(0, unorder.to(dev));
  at::Tensor h = std::get<1>(r).index_select(1, unorder.to(dev));
  at::Tensor c = std::get<2>(r).index_select(1, unorder.to(dev));
  return WrapList(env, {out, h, c});
  MMTL_CATCH(env)
}

static int64_t Reduction(const Napi::Value& v) {
  std::string s = v.As<Napi::String>().Utf8Value();
  if (s == "mean") return at::Reduction::Mean;
  if (s == "sum") return at::Reduction::Sum;
  if (s == "none") return at::Reduction::None;
  throw std::invalid_argument("unknown reduction '" + s + "'; expected one of mean, sum, none");
}

// crossEntropy(logits [N, C, …], target (int64 class indices or float probabilities), weight?, reduction,
//   ignoreIndex, labelSmoothing)
static Napi::Value CrossEntropy(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::cross_entropy_loss(Unwrap(info[0]), Unwrap(info[1]), UnwrapOpt(info[2]), Reduction(info[3]),
                                          I64(info[4]), F64(info[5])));
  MMTL_CATCH(env)
}
// nllLoss(logProbs, target, weight?, reduction, ignoreIndex)
static Napi::Value NllLoss(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::nll_loss_nd(Unwrap(info[0]), Unwrap(info[1]), UnwrapOpt(info[2]), Reduction(info[3]),
                                   I64(info[4])));
  MMTL_CATCH(env)
}
// bceWithLogits(logits, target, weight?, posWeight?, reduction)
static Napi::Value BceWithLogits(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::binary_cross_entropy_with_logits(Unwrap(info[0]), Unwrap(info[1]), UnwrapOpt(info[2]),
                                                        UnwrapOpt(info[3]), Reduction(info[4])));
  MMTL_CATCH(env)
}
// bce(probs, target, weight?, reduction)
static Napi::Value Bce(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env,
              at::binary_cross_entropy(Unwrap(info[0]), Unwrap(info[1]), UnwrapOpt(info[2]), Reduction(info[3])));
  MMTL_CATCH(env)
}
// mseLoss(x, y, reduction)
static Napi::Value MseLoss(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  return Wrap(env, at::mse_loss(Unwrap(info[0]), Unwrap(info[1]), Reduction(info[2])));
  MMTL_CATCH(env)
}

void InitNn(Napi::Env env, Napi::Object e) {
#define EXPORT(name, fn) e.Set(name, Napi::Function::New(env, fn, name))
  EXPORT("softmax", Softmax);
  EXPORT("logSoftmax", LogSoftmax);
  EXPORT("layerNorm", LayerNorm);
  EXPORT("dropout", Dropout);
  EXPORT("embedding", Embedding);
  EXPORT("linear", Linear);
  EXPORT("lstm", Lstm);
  EXPORT("lstmPacked", LstmPacked);
  EXPORT("crossEntropy", CrossEntropy);
  EXPORT("nllLoss", NllLoss);
  EXPORT("bceWithLogits", BceWithLogits);
  EXPORT("bce", Bce);
  EXPORT("mseLoss", MseLoss);
#undef EXPORT
}

}  // namespace mmtl
