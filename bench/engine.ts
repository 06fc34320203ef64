// Engine bench: trains exactly the model of ../shared/reference/pytorch/train_bert.py (a BERT-like encoder and a
// linear head, batch 32, seq 128, Adam lr 1e-4) op by op on src/tensor, one tidy scope and one event-loop turn
// per step, and prints the median step time and memory as one final JSON line.
//
//   npm run bench -- engine --config small|large --threads N --steps S --warmup W
//
// Compare with: /usr/bin/python3 ../shared/reference/pytorch/train_bert.py --config small --threads 1 --steps S --warmup W
import { parseArgs } from 'node:util';
import {
  Optimizer,
  crossEntropy,
  embedding,
  getNumThreads,
  keep,
  layerNorm,
  linear,
  manualSeed,
  nextTurn,
  ones,
  randint,
  randn,
  setNumThreads,
  tensor,
  tidy,
  zeros,
  type Tensor,
} from '../src/tensor/index.js';

/** Model sizes of the reference script. */
export const ENGINE_CONFIGS = {
  small: { L: 2, H: 128, NH: 2, I: 512 },
  large: { L: 4, H: 256, NH: 4, I: 1024 },
} as const;
/** Config names of {@link ENGINE_CONFIGS}. */
export type EngineConfig = keyof typeof ENGINE_CONFIGS;

const V = 30522;
const P = 512;
const S = 128;
const C = 2;
const LN_EPS = 1e-12;

/** One nn.Linear: weight [out, in], bias [out], PyTorch's default init U(±1/√in). */
interface Lin {
  w: Tensor;
  b: Tensor;
}
interface LayerNormP {
  w: Tensor;
  b: Tensor;
}
interface Layer {
  q: Lin;
  k: Lin;
  v: Lin;
  o: Lin;
  ln1: LayerNormP;
  ln2: LayerNormP;
  fi: Lin;
  fo: Lin;
}
/** All parameters of the reference model. */
interface Bert {
  word: Tensor;
  pos: Tensor;
  ttype: Tensor;
  ln: LayerNormP;
  layers: Layer[];
  pool: Lin;
  head: Lin;
}

function param(t: Tensor): Tensor {
  return keep(t.requiresGrad_(true));
}
function lin(inF: number, outF: number): Lin {
  const bound = 1 / Math.sqrt(inF);
  return {
    w: param(zeros([outF, inF]).uniform_(-bound, bound)),
    b: param(zeros([outF]).uniform_(-bound, bound)),
  };
}
function ln(h: number): LayerNormP {
  return { w: param(ones([h])), b: param(zeros([h])) };
}

/** Builds the reference model's parameters (same shapes and init families as PyTorch's defaults). */
export function buildBert(cfg: EngineConfig): Bert {
  const { L, H, I } = ENGINE_CONFIGS[cfg];
  return tidy(() => ({
    word: param(randn([V, H])),
    pos: param(randn([P, H])),
    ttype: param(randn([2, H])),
    ln: ln(H),
    layers: Array.from({ length: L }, () => ({
      q: lin(H, H),
      k: lin(H, H),
      v: lin(H, H),
      o: lin(H, H),
      ln1: ln(H),
      ln2: ln(H),
      fi: lin(H, I),
      fo: lin(I, H),
    })),
    pool: lin(H, H),
    head: lin(H, C),
  }));
}

/** Every parameter, in the reference script's registration order. */
export function bertParameters(m: Bert): Tensor[] {
  const ps: Tensor[] = [m.word, m.pos, m.ttype, m.ln.w, m.ln.b];
  for (const l of m.layers) {
    for (const x of [l.q, l.k, l.v, l.o, l.ln1, l.ln2, l.fi, l.fo]) ps.push(x.w, x.b);
  }
  ps.push(m.pool.w, m.pool.b, m.head.w, m.head.b);
  return ps;
}

/** The forward pass of train_bert.py, op by op: ids int64 [B, S], mask float32 [B, S] → logits [B, C]. */
export function bertForward(m: Bert, cfg: EngineConfig, ids: Tensor, mask: Tensor): Tensor {
  const { H, NH } = ENGINE_CONFIGS[cfg];
  const [B, Sz] = ids.shape as [number, number];
  const dh = H / NH;
  let x = embedding(m.word, ids)
    .add(m.pos.slice(0, 0, Sz))
    .add(m.ttype.select(0, 0));
  x = layerNorm(x, [H], m.ln.w, m.ln.b, LN_EPS);
  // ((1 − mask) · −10000)[:, None, None, :]
  const maskAdd = mask.rsub(1).mul(-10000).view([B, 1, 1, Sz]);
  const sqrtDh = Math.sqrt(dh);
  const heads = (t: Tensor): Tensor => t.view([B, Sz, NH, dh]).transpose(1, 2);
  for (const l of m.layers) {
    // one scope per layer: what the layer made is freed when it returns (autograd keeps what it saved), as
    // PyTorch frees a layer's temporaries when their last reference goes
    const input = x;
    x = tidy(() => {
      const q = heads(linear(input, l.q.w, l.q.b));
      const k = heads(linear(input, l.k.w, l.k.b));
      const v = heads(linear(input, l.v.w, l.v.b));
      const p = q.matmul(k.transpose(-1, -2)).div(sqrtDh).add(maskAdd).softmax(-1);
      const ctx = p.matmul(v).transpose(1, 2).reshape([B, Sz, H]);
      const y = layerNorm(input.add(linear(ctx, l.o.w, l.o.b)), [H], l.ln1.w, l.ln1.b, LN_EPS);
      const ff = linear(linear(y, l.fi.w, l.fi.b).gelu(), l.fo.w, l.fo.b);
      return layerNorm(y.add(ff), [H], l.ln2.w, l.ln2.b, LN_EPS);
    });
  }
  return linear(linear(x.select(1, 0), m.pool.w, m.pool.b).tanh(), m.head.w, m.head.b);
}

/** The reference script's batch: random ids, a mask with row b valid up to 100 + (b mod 28), labels b mod C. */
export function bertBatch(batch: number): { ids: Tensor; mask: Tensor; labels: Tensor } {
  return tidy(() => {
    const ids = randint(0, V, [batch, S]);
    const m = new Float32Array(batch * S);
    for (let b = 0; b < batch; b++) {
      for (let s = 0; s < Math.min(S, 100 + (b % 28)); s++) m[b * S + s] = 1;
    }
    const mask = tensor(m, { shape: [batch, S] });
    const labels = tensor(
      Int32Array.from({ length: batch }, (_, b) => b % C),
      { dtype: 'int64' },
    );
    return { ids, mask, labels };
  });
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

const MB = 1024 * 1024;

/** Result of {@link benchEngine}, printed as the final JSON line. */
export interface EngineBenchResult {
  bench: 'engine';
  config: EngineConfig;
  threads: number;
  steps: number;
  warmup: number;
  median_step_s: number;
  best_step_s: number;
  /** Median CPU time (user + system, all threads of the process) per measured step: robust to a busy machine. */
  median_step_cpu_s: number;
  peak_rss_mb: number;
  rss_growth_mb_per_100_steps: number;
  losses: number[];
}

/**
 * Trains the reference model for `warmup + steps` steps and measures each step (zero_grad, forward, loss,
 * backward, Adam step, the tidy scope's frees and one event-loop turn). RSS growth is the least-squares slope of
 * the RSS read after each of the second half of the measured steps, per 100 steps (use ≥ 100 steps for a
 * meaningful number: the allocator's pools grow to their working size over the first ~20–40 steps).
 */
export async function benchEngine(options: {
  config: EngineConfig;
  threads: number;
  steps: number;
  warmup: number;
  batch?: number;
  onStep?: (i: number, seconds: number, loss: number) => void;
}): Promise<EngineBenchResult> {
  const { config, steps, warmup } = options;
  setNumThreads(options.threads);
  manualSeed(0);
  const model = buildBert(config);
  const params = bertParameters(model);
  const opt = new Optimizer('adam', params, { lr: 1e-4 });
  const { ids, mask, labels } = bertBatch(options.batch ?? 32);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const losses: number[] = [];
  const rssAfter: number[] = [];
  let peak = process.memoryUsage().rss;
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const loss = tidy(() => {
      opt.zeroGrad();
      // a scope around the forward pass frees the JS-held intermediates before backward (autograd keeps what
      // it saved and frees that during backward), as PyTorch's refcounting does: peak memory and page faults drop
      const logits = tidy(() => bertForward(model, config, ids, mask));
      const l = crossEntropy(logits, labels);
      l.backward();
      opt.step();
      return l.item();
    });
    await nextTurn();
    const dt = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
    if (i >= warmup) {
      rssAfter.push(rss);
      times.push(dt);
      cpuTimes.push((cpu.user + cpu.system) / 1e6);
    }
    losses.push(loss);
    options.onStep?.(i, dt, loss);
  }
  opt.dispose();
  for (const p of params) p.dispose();
  for (const t of [ids, mask, labels]) t.dispose();
  return {
    bench: 'engine',
    config,
    threads: getNumThreads(),
    steps,
    warmup,
    median_step_s: round(median(times), 4),
    best_step_s: round(Math.min(...times), 4),
    median_step_cpu_s: round(median(cpuTimes), 4),
    peak_rss_mb: round(peak / MB, 1),
    // over the second half of the measured steps: the first steps still grow the allocator's pools to their
    // working size (a one-time ramp, not a leak)
    rss_growth_mb_per_100_steps: round(
      (slope(rssAfter.slice(Math.floor(rssAfter.length / 2))) / MB) * 100,
      2,
    ),
    losses: losses.map((l) => round(l, 4)),
  };
}

/** Least-squares slope of `ys` against their index (per step): robust to the noise of single RSS readings. */
function slope(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, i) => {
    num += (i - mx) * (y - my);
    den += (i - mx) ** 2;
  });
  return num / den;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** `npm run bench -- engine --config small|large --threads N --steps S --warmup W [--batch B] [--quiet]`. */
export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', default: 'small' },
      threads: { type: 'string', default: '1' },
      steps: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      batch: { type: 'string', default: '32' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const config = values.config;
  if (config !== 'small' && config !== 'large') {
    throw new Error(`--config must be small or large, got '${config}'`);
  }
  const int = (name: string, v: string, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got '${v}'`);
    return n;
  };
  const threads = int('threads', values.threads, 1);
  const steps = int('steps', values.steps, 1);
  const warmup = int('warmup', values.warmup, 0);
  const batch = int('batch', values.batch, 1);
  const result = await benchEngine({
    config,
    threads,
    steps,
    warmup,
    batch,
    onStep: values.quiet
      ? undefined
      : (i, s, loss) => {
          console.log(`step ${i}${i < warmup ? ' (warmup)' : ''}: ${s.toFixed(3)} s loss ${loss.toFixed(4)}`);
        },
  });
  const { losses: _losses, ...line } = result;
  console.log(JSON.stringify(line));
}
