// Optimizers (SGD, Adam, AdamW with PyTorch's update rules) over parameter groups: one native call per step
// does the gradient clipping and every parameter's update (optim_kernels.cc). The state (step counts and
// buffers, by parameter position) crosses to TypeScript as tensors, which serializes it deterministically;
// optimizer.bin files of libtorch's own archive format (earlier versions) can still be loaded.
#include "common.h"
#include "optim_kernels.h"
#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>
#include <torch/serialize/archive.h>
#include <sstream>

namespace mmtl {

namespace {

struct Group {
  std::vector<at::Tensor> params;
  OptimHyper hyper;
};

struct Optimizer {
  OptimKind kind;
  std::vector<Group> groups;
  std::vector<ParamState> state;  // by parameter position over all groups, in order
};

struct OptimBox {
  std::unique_ptr<Optimizer> opt;
};

OptimKind KindOf(const std::string& kind) {
  if (kind == "sgd") return OptimKind::Sgd;
  if (kind == "adam") return OptimKind::Adam;
  if (kind == "adamw") return OptimKind::AdamW;
  throw std::invalid_argument("unknown optimizer '" + kind + "'; expected one of sgd, adam, adamw");
}

double Req(const Napi::Object& o, const char* key) {
  auto v = o.Get(key);
  if (!v.IsNumber()) throw std::invalid_argument(std::string("optimizer option '") + key + "' must be a number");
  return v.As<Napi::Number>().DoubleValue();
}
bool ReqFlag(const Napi::Object& o, const char* key) {
  auto v = o.Get(key);
  if (!v.IsBoolean()) throw std::invalid_argument(std::string("optimizer option '") + key + "' must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

// Every option is required: the TypeScript layer (src/tensor/optim.ts) owns the defaults.
OptimHyper HyperOf(const Napi::Object& o) {
  return OptimHyper{Req(o, "lr"),    Req(o, "momentum"), Req(o, "dampening"),   Req(o, "weightDecay"),
                    Req(o, "beta1"), Req(o, "beta2"),    Req(o, "eps"),         ReqFlag(o, "nesterov"),
                    ReqFlag(o, "amsgrad")};
}

Optimizer& Opt(const Napi::Value& v) {
  if (!v.IsExternal()) throw std::invalid_argument("expected an optimizer handle");
  auto* box = v.As<Napi::External<OptimBox>>().Data();
  if (!box->opt) throw std::invalid_argument("optimizer was disposed");
  return *box->opt;
}

std::vector<at::Tensor> AllParams(const Optimizer& o) {
  std::vector<at::Tensor> out;
  for (const auto& g : o.groups) out.insert(out.end(), g.params.begin(), g.params.end());
  return out;
}

std::vector<at::Tensor> DefinedGrads(const std::vector<at::Tensor>& params) {
  std::vector<at::Tensor> grads;
  for (const auto& p : params)
    if (p.grad().defined()) grads.push_back(p.grad());
  return grads;
}

}  // namespace

// optimCreate(kind, groups: [{params: handle[], options: {...every option...}}]) → handle
static Napi::Value OptimCreate(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto opt = std::make_unique<Optimizer>();
  opt->kind = KindOf(info[0].As<Napi::String>().Utf8Value());
  auto groups = info[1].As<Napi::Array>();
  for (uint32_t i = 0; i < groups.Length(); i++) {
    auto g = groups.Get(i).As<Napi::Object>();
    opt->groups.push_back(Group{UnwrapList(g.Get("params")), HyperOf(g.Get("options").As<Napi::Object>())});
  }
  opt->state.resize(AllParams(*opt).size());
  auto* box = new OptimBox{std::move(opt)};
  return Napi::External<OptimBox>::New(env, box, [](Napi::Env, OptimBox* b) { delete b; });
  MMTL_CATCH(env)
}

// optimStep(handle, clipNorm: number | null, normType) — clips the gradients' global norm (when clipNorm is a
// number), then updates every parameter that has a gradient. Parameters without one are skipped, step count
// included, as PyTorch does.
static Napi::Value OptimStep(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto& opt = Opt(info[0]);
  if (info.Length() > 1 && info[1].IsNumber()) {
    ClipGradNorm(DefinedGrads(AllParams(opt)), F64(info[1]), info[2].IsNumber() ? F64(info[2]) : 2.0);
  }
  size_t k = 0;
  for (const auto& g : opt.groups) {
    for (const auto& p : g.params) {
      const auto& grad = p.grad();
      if (grad.defined()) UpdateParam(opt.kind, g.hyper, p, grad, opt.state[k]);
      k++;
    }
  }
  return env.Undefined();
  MMTL_CATCH(env)
}

static Napi::Value OptimZeroGrad(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  for (auto& g : Opt(info[0]).groups)
    for (auto& p : g.params) p.mutable_grad().reset();  // set_to_none
  return env.Undefined();
  MMTL_CATCH(env)
}

// optimSetLr(handle, lrs[]) — one learning rate per parameter group
static Napi::Value OptimSetLr(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto& opt = Opt(info[0]);
  auto lrs = info[1].As<Napi::Array>();
  if (lrs.Length() != opt.groups.size()) throw std::invalid_argument("one learning rate per parameter group expected");
  for (size_t i = 0; i < opt.groups.size(); i++) opt.groups[i].hyper.lr = lrs.Get(i).As<Napi::Number>().DoubleValue();
  return env.Undefined();
  MMTL_CATCH(env)
}

static Napi::Value OptimGetLr(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto& opt = Opt(info[0]);
  auto arr = Napi::Array::New(env, opt.groups.size());
  for (size_t i = 0; i < opt.groups.size(); i++) arr.Set(i, Napi::Number::New(env, opt.groups[i].hyper.lr));
  return arr;
  MMTL_CATCH(env)
}

static const char* const kBufferNames[] = {"exp_avg", "exp_avg_sq", "max_exp_avg_sq", "momentum_buffer"};

static at::Tensor* BufferSlot(ParamState& s, int which) {
  switch (which) {
    case 0: return &s.expAvg;
    case 1: return &s.expAvgSq;
    case 2: return &s.maxExpAvgSq;
    default: return &s.momentumBuffer;
  }
}

// optimGetState(handle) → {steps: number[], names: string[], tensors: handle[]} with names
// "<position>.<buffer>" (copies: later steps do not change them)
static Napi::Value OptimGetState(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto& opt = Opt(info[0]);
  auto steps = Napi::Array::New(env, opt.state.size());
  auto names = Napi::Array::New(env);
  std::vector<at::Tensor> tensors;
  for (size_t i = 0; i < opt.state.size(); i++) {
    auto& s = opt.state[i];
    steps.Set(i, Napi::Number::New(env, static_cast<double>(s.step)));
    for (int b = 0; b < 4; b++) {
      auto* slot = BufferSlot(s, b);
      if (!slot->defined()) continue;
      names.Set(names.Length(), Napi::String::New(env, std::to_string(i) + "." + kBufferNames[b]));
      tensors.push_back(slot->detach().clone());
    }
  }
  auto out = Napi::Object::New(env);
  out.Set("steps", steps);
  out.Set("names", names);
  out.Set("tensors", WrapList(env, tensors));
  return out;
  MMTL_CATCH(env)
}

// optimSetState(handle, steps: number[], names: string[], tensors: handle[]) — replaces the whole state;
// checks the parameter count and every buffer's shape first, so a mismatch changes nothing.
static Napi::Value OptimSetState(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto& opt = Opt(info[0]);
  auto steps = info[1].As<Napi::Array>();
  auto names = info[2].As<Napi::Array>();
  auto tensors = UnwrapList(info[3]);
  auto params = AllParams(opt);
  if (steps.Length() != params.size()) {
    throw Napi::Error::New(env, "E_CHECKPOINT: the optimizer state is for " + std::to_string(steps.Length()) +
                                    " parameters, this optimizer has " + std::to_string(params.size()));
  }
  std::vector<ParamState> next(params.size());
  for (uint32_t i = 0; i < steps.Length(); i++) next[i].step = steps.Get(i).As<Napi::Number>().Int64Value();
  for (uint32_t j = 0; j < names.Length(); j++) {
    auto name = names.Get(j).As<Napi::String>().Utf8Value();
    auto dot = name.find('.');
    size_t pos = dot == std::string::npos ? params.size() : std::stoul(name.substr(0, dot));
    int which = -1;
    for (int b = 0; b < 4; b++)
      if (dot != std::string::npos && name.substr(dot + 1) == kBufferNames[b]) which = b;
    if (pos >= params.size() || which < 0) {
      throw Napi::Error::New(env, "E_CHECKPOINT: the optimizer state has an unknown entry '" + name + "'");
    }
    const auto& p = params[pos];
    const auto& t = tensors.at(j);
    if (t.sizes() != p.sizes()) {
      throw Napi::Error::New(env, "E_CHECKPOINT: the optimizer state's '" + name + "' has shape " +
                                      c10::str(t.sizes()) + ", its parameter " + c10::str(p.sizes()));
    }
    *BufferSlot(next[pos], which) = t.to(p.options(), /*non_blocking=*/false, /*copy=*/true).contiguous();
  }
  opt.state = std::move(next);
  return env.Undefined();
  MMTL_CATCH(env)
}

template <typename Torch, typename Options>
static void LoadLegacy(Optimizer& opt, torch::serialize::InputArchive& archive, bool adam) {
  std::vector<torch::optim::OptimizerParamGroup> groups;
  for (const auto& g : opt.groups) groups.emplace_back(g.params, std::make_unique<Options>(1.0));
  Torch legacy(groups, Options(1.0));
  legacy.load(archive);
  auto params = AllParams(opt);
  std::vector<ParamState> next(params.size());
  for (size_t i = 0; i < params.size(); i++) {
    auto it = legacy.state().find(c10::guts::to_string(params[i].unsafeGetTensorImpl()));
    if (it == legacy.state().end()) continue;
    if (adam) {
      auto& s = static_cast<torch::optim::AdamParamState&>(*it->second);
      next[i].step = s.step();
      next[i].expAvg = s.exp_avg();
      next[i].expAvgSq = s.exp_avg_sq();
      next[i].maxExpAvgSq = s.max_exp_avg_sq();
    } else {
      auto& s = static_cast<torch::optim::SGDParamState&>(*it->second);
      next[i].step = 1;
      next[i].momentumBuffer = s.momentum_buffer();
    }
  }
  opt.state = std::move(next);
}

// optimLoadLegacy(handle, bytes) — a libtorch optimizer archive (optimizer.bin before the deterministic format)
static Napi::Value OptimLoadLegacy(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto& opt = Opt(info[0]);
  auto ta = info[1].As<Napi::TypedArray>();
  std::string bytes(static_cast<char*>(ta.ArrayBuffer().Data()) + ta.ByteOffset(), ta.ByteLength());
  std::istringstream is(bytes);
  torch::serialize::InputArchive archive;
  archive.load_from(is);
  switch (opt.kind) {
    case OptimKind::Sgd: LoadLegacy<torch::optim::SGD, torch::optim::SGDOptions>(opt, archive, false); break;
    case OptimKind::Adam: LoadLegacy<torch::optim::Adam, torch::optim::AdamOptions>(opt, archive, true); break;
    case OptimKind::AdamW: LoadLegacy<torch::optim::AdamW, torch::optim::AdamWOptions>(opt, archive, true); break;
  }
  return env.Undefined();
  MMTL_CATCH(env)
}

static Napi::Value OptimFree(const Napi::CallbackInfo& info) {
  if (info[0].IsExternal()) info[0].As<Napi::External<OptimBox>>().Data()->opt.reset();
  return info.Env().Undefined();
}

// clipGradNorm(params[], maxNorm, normType) → total norm before clipping (reads the value back: a sync)
static Napi::Value ClipGradNormJs(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto total = ClipGradNorm(DefinedGrads(UnwrapList(info[0])), F64(info[1]), F64(info[2]));
  return Napi::Number::New(env, total.item<double>());
  MMTL_CATCH(env)
}

void InitOptim(Napi::Env env, Napi::Object e) {
#define EXPORT(name, fn) e.Set(name, Napi::Function::New(env, fn, name))
  EXPORT("optimCreate", OptimCreate);
  EXPORT("optimStep", OptimStep);
  EXPORT("optimZeroGrad", OptimZeroGrad);
  EXPORT("optimSetLr", OptimSetLr);
  EXPORT("optimGetLr", OptimGetLr);
  EXPORT("optimGetState", OptimGetState);
  EXPORT("optimSetState", OptimSetState);
  EXPORT("optimLoadLegacy", OptimLoadLegacy);
  EXPORT("optimFree", OptimFree);
  EXPORT("clipGradNorm", ClipGradNormJs);
#undef EXPORT
}

}  // namespace mmtl
