import { Rng, assert, numpyFirstRandom } from '../core/index.js';
import { estimateClassBalanceEM, tripletEvidence } from './class-balance.js';
import type { LabelModelFitConfig } from './config.js';
import { defaultMuEps, initialMu, trainMu } from './fit-core.js';
import { type ColumnLayout, overlapsOf, singleTaskLayout } from './layout.js';
import type { WeightedRows } from './rows.js';
import type { LabelStats } from './stats.js';
import { breakColumnSymmetry } from './symmetry.js';
import { validateClassBalance } from './voters.js';

/** Everything a fitted single-task label model holds. */
export interface FittedState {
  m: number;
  mode: 'mmtl' | 'snorkel';
  deps: [number, number][];
  /** `d × k` (d = m·k + pairs·k²). */
  mu: Float64Array;
  p: Float64Array;
  coverage: Float64Array;
  /** Fewer than 3 LFs: predictions are majority votes. */
  fallback: boolean;
}

/**
 * The single-task fitting procedure behind `LabelModel.fit` / `fitFromStats`: class prior (given, from
 * `yDev`, or learned by EM in 'mmtl' mode), overlaps (augmented with `deps`), μ by matrix completion, μ
 * clamp and column-symmetry breaking. `rows` (a pattern histogram or the matrix) is needed to learn the
 * balance and for `deps`; `warn` receives every warning.
 *
 * @example
 * ```ts
 * const { state, loss } = fitSingleTask(LabelStats.fromMatrix(L, 2), rowsOfMatrix(L), parseFitOptions({}), 2, () => {});
 * ```
 */
export function fitSingleTask(
  stats: LabelStats,
  rows: WeightedRows | undefined,
  cfg: LabelModelFitConfig,
  k: number,
  warn: (message: string) => void,
): { state: FittedState; loss: number; balanceRounds: number } {
  const m = stats.m;
  let p: Float64Array = new Float64Array(k).fill(1 / k);
  let learnBalance = false;
  if (cfg.classBalance !== undefined) {
    validateClassBalance(cfg.classBalance, k, 'LabelModel.fit');
    p = Float64Array.from(cfg.classBalance);
    assert(
      p.every((v) => v > 0),
      'E_ARG',
      () => "Argument 'classBalance' passed to 'LabelModel.fit' has a zero entry",
    );
  } else if (cfg.yDev !== undefined) {
    p = balanceFromGold(cfg.yDev, k);
  } else learnBalance = (cfg.balance ?? (cfg.mode === 'mmtl' ? 'learned' : 'uniform')) === 'learned';
  const coverage = stats.coverage();
  if (m < 3) {
    warn(`only ${m} LF(s): the label model needs at least 3; predictions fall back to majority vote`);
    return {
      state: { m, mode: cfg.mode, deps: [], mu: new Float64Array(0), p, coverage, fallback: true },
      loss: Number.NaN,
      balanceRounds: 0,
    };
  }
  const deps = cfg.deps.map(([i, j]) => [i, j] as [number, number]);
  const layout = singleTaskLayout(m, k, deps, cfg.depsMethod === 'inverse' ? 'clique' : 'component');
  let O: Float64Array;
  if (deps.length === 0) O = stats.overlaps();
  else {
    assert(
      rows !== undefined,
      'E_ARG',
      () => "'LabelModel.fitFromStats' with 'deps' needs statistics with a pattern histogram",
    );
    O = overlapsOf(layout, rows);
  }
  assert(
    cfg.mode !== 'snorkel' || cfg.initScale !== undefined || (cfg.seed >= 0 && cfg.seed <= 0xffffffff),
    'E_ARG',
    () =>
      `Argument 'seed' passed to 'LabelModel.fit' is ${cfg.seed}; 'snorkel' mode draws its init scale as numpy does, from a seed in 0..2^32-1`,
  );
  const initScale =
    cfg.initScale ??
    (cfg.mode === 'snorkel' ? numpyFirstRandom(cfg.seed) : 0.5 + 0.5 * new Rng(cfg.seed).float());
  const nEpochs = cfg.nEpochs ?? (cfg.mode === 'snorkel' ? 100 : 500);
  const muEps = cfg.muEps ?? defaultMuEps(stats.n);
  const precLf = typeof cfg.precInit === 'number' ? new Array<number>(m).fill(cfg.precInit) : cfg.precInit;
  assert(
    precLf.length === m,
    'E_ARG',
    () => `Argument 'precInit' passed to 'LabelModel.fit' has ${precLf.length} entries, expected m = ${m}`,
  );
  const prec = rowPrecisions(layout, m, k, deps, precLf);
  const fitOnce = (prior: Float64Array): { mu: Float64Array; loss: number } => {
    // 'mmtl' under a uniform prior: off-class entries start from Bayes' rule too (μ₀p = diag O), so the
    // directions the overlaps leave free do not drift (trec 0.592 → 0.612; synthetic keyword sets +0.01–0.03).
    // Under a skewed prior that start hurts (synthetic: 0.81 → 0.61), so Snorkel's start is kept there.
    const spread = cfg.mode === 'mmtl' && prior.every((v) => Math.abs(v - prior[0]!) < 1e-12);
    const mu0 = initialMu(O, layout.d, k, prior, prec, (a, y) => rowClass(a, m, k) === y, spread);
    const res = trainMu(O, layout, k, prior, mu0, {
      mode: cfg.mode,
      nEpochs,
      lr: cfg.lr,
      momentum: cfg.momentum,
      l2: cfg.l2 ?? (cfg.mode === 'snorkel' ? 0 : 0.1),
      initScale,
      inverseForm: deps.length > 0 && cfg.depsMethod === 'inverse',
      seed: cfg.seed,
    });
    for (let i = 0; i < res.mu.length; i++) res.mu[i] = Math.min(1 - muEps, Math.max(muEps, res.mu[i]!));
    breakColumnSymmetry(res.mu, prior, m, k, cfg.mode === 'snorkel');
    return res;
  };
  let { mu, loss } = fitOnce(p);
  let rounds = 0;
  if (learnBalance && rows === undefined) {
    warn('class balance kept uniform: the statistics carry no pattern histogram (pass classBalance or yDev)');
  } else if (learnBalance && rows !== undefined && cfg.balanceRounds > 0) {
    const uniform = { p, mu, loss };
    const fmt = (v: Float64Array): string => `[${[...v].map((x) => x.toFixed(3)).join(', ')}]`;
    const dense = tripletEvidence(rows);
    for (; rounds < cfg.balanceRounds; rounds++) {
      // the density test needs no EM: check it first
      const em =
        dense < cfg.balanceMinDense
          ? undefined
          : estimateClassBalanceEM(rows, mu, p, { maxIter: 300, tol: 1e-6 });
      const reject =
        em === undefined
          ? `only ${(100 * dense).toFixed(1)}% of the rows with votes have 3 or more (< ${100 * cfg.balanceMinDense}%), and the balance is only identified by such rows (with one or two votes per row, a class balance trades off against the LFs' per-class rates)`
          : em.residual > cfg.balanceMaxResidual
            ? `the LFs do not look conditionally independent (overlap residual ${em.residual.toFixed(3)} > ${cfg.balanceMaxResidual})`
            : undefined;
      if (reject !== undefined) {
        ({ p, mu, loss } = uniform);
        warn(
          `class balance not learned: ${reject}; kept the uniform prior ${fmt(p)} — pass classBalance, or dev labels (yDev)`,
        );
        rounds = 0;
        break;
      }
      const next = em!.p;
      const moved = Math.max(...next.map((v, y) => Math.abs(v - p[y]!)));
      if (moved < cfg.balanceTol) break;
      p = next;
      ({ mu, loss } = fitOnce(p));
    }
  }
  return {
    state: { m, mode: cfg.mode, deps, mu, p, coverage, fallback: false },
    loss,
    balanceRounds: rounds,
  };
}

/** The class a μ row stands for at initialisation (singleton a = j·k + y; pair column (y, y)), else −1. */
function rowClass(a: number, m: number, k: number): number {
  if (a < m * k) return a % k;
  const r = (a - m * k) % (k * k);
  const first = Math.floor(r / k);
  return first === r % k ? first : -1;
}

function rowPrecisions(
  layout: ColumnLayout,
  m: number,
  k: number,
  deps: [number, number][],
  precLf: number[],
): Float64Array {
  const prec = new Float64Array(layout.d);
  for (let a = 0; a < layout.d; a++) {
    prec[a] = a < m * k ? precLf[Math.floor(a / k)]! : precLf[deps[Math.floor((a - m * k) / (k * k))]![0]]!;
  }
  return prec;
}

function balanceFromGold(Y: readonly number[], k: number): Float64Array {
  const p = new Float64Array(k);
  let total = 0;
  for (const y of Y) {
    assert(
      Number.isInteger(y) && y >= -1 && y < k,
      'E_DATA',
      () => `Argument 'yDev' passed to 'LabelModel.fit' has label ${y}; expected -1..${k - 1}`,
    );
    if (y >= 0) {
      p[y]!++;
      total++;
    }
  }
  assert(
    p.every((v) => v > 0),
    'E_DATA',
    () => `Argument 'yDev' passed to 'LabelModel.fit' lacks some of the classes 0..${k - 1}`,
  );
  return p.map((v) => v / total);
}
