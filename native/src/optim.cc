// Optimizers (libtorch's own SGD, Adam, AdamW: the same update rules as PyTorch) over parameter groups,
// with state that can be saved to and restored from bytes; gradient clipping by global norm.
// One native call per step keeps the per-step overhead small.
#include "common.h"
#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/serialize/archive.h>
#include <sstream>

namespace mmtl {

struct OptimBox {
  std::unique_ptr<torch::optim::Optimizer> opt;
};

static double Num(const Napi::Object& o, const char* key, double dflt) {
  auto v = o.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : dflt;
}
static bool Flag(const Napi::Object& o, const char* key, bool dflt) {
  auto v = o.Get(key);
  return v.IsBoolean() ? v.As<Napi::Boolean>().Value() : dflt;
}

static std::unique_ptr<torch::optim::OptimizerOptions> MakeOptions(const std::string& kind, const Napi::Object& o) {
  if (kind == "sgd") {
    auto opts = torch::optim::SGDOptions(Num(o, "lr", 0.01));
    opts.momentum(Num(o, "momentum", 0)).dampening(Num(o, "dampening", 0)).weight_decay(Num(o, "weightDecay", 0))
        .nesterov(Flag(o, "nesterov", false));
    return std::make_unique<torch::optim::SGDOptions>(opts);
  }
  if (kind == "adam" || kind == "adamw") {
    auto b1 = Num(o, "beta1", 0.9), b2 = Num(o, "beta2", 0.999);
    if (kind == "adam") {
      auto opts = torch::optim::AdamOptions(Num(o, "lr", 1e-3));
      opts.betas(std::make_tuple(b1, b2)).eps(Num(o, "eps", 1e-8)).weight_decay(Num(o, "weightDecay", 0))
          .amsgrad(Flag(o, "amsgrad", false));
      return std::make_unique<torch::optim::AdamOptions>(opts);
    }
    auto opts = torch::optim::AdamWOptions(Num(o, "lr", 1e-3));
    opts.betas(std::make_tuple(b1, b2)).eps(Num(o, "eps", 1e-8)).weight_decay(Num(o, "weightDecay", 0.01))
        .amsgrad(Flag(o, "amsgrad", false));
    return std::make_unique<torch::optim::AdamWOptions>(opts);
  }
  throw std::invalid_argument("unknown optimizer '" + kind + "'; expected one of sgd, adam, adamw");
}

// optimCreate(kind, groups: [{params: handle[], options: {...}}]) → handle
static Napi::Value OptimCreate(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  std::string kind = info[0].As<Napi::String>().Utf8Value();
  auto groups = info[1].As<Napi::Array>();
  std::vector<torch::optim::OptimizerParamGroup> pg;
  for (uint32_t i = 0; i < groups.Length(); i++) {
    auto g = groups.Get(i).As<Napi::Object>();
    pg.emplace_back(UnwrapList(g.Get("params")), MakeOptions(kind, g.Get("options").As<Napi::Object>()));
  }
  auto defaults = MakeOptions(kind, Napi::Object::New(env));
  auto box = new OptimBox();
  if (kind == "sgd") {
    box->opt = std::make_unique<torch::optim::SGD>(pg, static_cast<torch::optim::SGDOptions&>(*defaults));
  } else if (kind == "adam") {
    box->opt = std::make_unique<torch::optim::Adam>(pg, static_cast<torch::optim::AdamOptions&>(*defaults));
  } else {
    box->opt = std::make_unique<torch::optim::AdamW>(pg, static_cast<torch::optim::AdamWOptions&>(*defaults));
  }
  return Napi::External<OptimBox>::New(env, box, [](Napi::Env, OptimBox* b) { delete b; });
  MMTL_CATCH(env)
}

static torch::optim::Optimizer& Opt(const Napi::Value& v) {
  if (!v.IsExternal()) throw std::invalid_argument("expected an optimizer handle");
  auto* box = v.As<Napi::External<OptimBox>>().Data();
  if (!box->opt) throw std::invalid_argument("optimizer was disposed");
  return *box->opt;
}

static Napi::Value OptimStep(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  Opt(info[0]).step();
  return env.Undefined();
  MMTL_CATCH(env)
}
static Napi::Value OptimZeroGrad(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  // set_to_none semantics on libtorch 1.13 and 2.x alike
  for (auto& g : Opt(info[0]).param_groups())
    for (auto& p : g.params()) p.mutable_grad().reset();
  return env.Undefined();
  MMTL_CATCH(env)
}
// optimSetLr(handle, lrs[]) — one learning rate per parameter group
static Napi::Value OptimSetLr(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto& opt = Opt(info[0]);
  auto lrs = info[1].As<Napi::Array>();
  auto& groups = opt.param_groups();
  if (lrs.Length() != groups.size()) throw std::invalid_argument("one learning rate per parameter group expected");
  for (size_t i = 0; i < groups.size(); i++) groups[i].options().set_lr(lrs.Get(i).As<Napi::Number>().DoubleValue());
  return env.Undefined();
  MMTL_CATCH(env)
}
static Napi::Value OptimGetLr(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto& groups = Opt(info[0]).param_groups();
  auto arr = Napi::Array::New(env, groups.size());
  for (size_t i = 0; i < groups.size(); i++) arr.Set(i, Napi::Number::New(env, groups[i].options().get_lr()));
  return arr;
  MMTL_CATCH(env)
}
static Napi::Value OptimSave(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  torch::serialize::OutputArchive archive;
  Opt(info[0]).save(archive);
  std::ostringstream os;
  archive.save_to(os);
  std::string bytes = os.str();
  auto buf = Napi::Buffer<char>::Copy(env, bytes.data(), bytes.size());
  return buf;
  MMTL_CATCH(env)
}
static Napi::Value OptimLoad(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto ta = info[1].As<Napi::TypedArray>();
  std::string bytes(static_cast<char*>(ta.ArrayBuffer().Data()) + ta.ByteOffset(), ta.ByteLength());
  std::istringstream is(bytes);
  torch::serialize::InputArchive archive;
  archive.load_from(is);
  Opt(info[0]).load(archive);
  return env.Undefined();
  MMTL_CATCH(env)
}
static Napi::Value OptimFree(const Napi::CallbackInfo& info) {
  if (info[0].IsExternal()) info[0].As<Napi::External<OptimBox>>().Data()->opt.reset();
  return info.Env().Undefined();
}

// clipGradNorm(params[], maxNorm, normType) → total norm before clipping
static Napi::Value ClipGradNorm(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  MMTL_TRY
  auto params = UnwrapList(info[0]);
  return Napi::Number::New(env, torch::nn::utils::clip_grad_norm_(params, F64(info[1]), F64(info[2])));
  MMTL_CATCH(env)
}

void InitOptim(Napi::Env env, Napi::Object e) {
#define EXPORT(name, fn) e.Set(name, Napi::Function::New(env, fn, name))
  EXPORT("optimCreate", OptimCreate);
  EXPORT("optimStep", OptimStep);
  EXPORT("optimZeroGrad", OptimZeroGrad);
  EXPORT("optimSetLr", OptimSetLr);
  EXPORT("optimGetLr", OptimGetLr);
  EXPORT("optimSave", OptimSave);
  EXPORT("optimLoad", OptimLoad);
  EXPORT("optimFree", OptimFree);
  EXPORT("clipGradNorm", ClipGradNorm);
#undef EXPORT
}

}  // namespace mmtl
