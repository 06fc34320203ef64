import { MmtlError, assert, writeFileAtomic } from '../core/index.js';
import { type LabelModelFitConfig, type LabelModelFitOptions, parseFitOptions } from './config.js';
import { posteriorInto } from './fit-core.js';
import { type LabelMatrixLike, badValue, validateCardinality, validateLabelMatrix } from './label-matrix.js';
import { posteriorAllRows } from './parallel-pass.js';
import { Labeler } from './labeler.js';
import { type ColumnLayout, singleTaskLayout } from './layout.js';
import { type WeightedRows, weightedRowsOf, weightedRowsOfStats } from './rows.js';
import { LabelStats } from './stats.js';
import { type FittedState, fitSingleTask } from './single-task-fit.js';
import { labelModelJsonSchema, readModelJson, type LabelModelJSON } from './serialize.js';
import { majorityVoteProba } from './voters.js';

/** What a fit reports. */
export interface LabelModelFitResult {
  /** Everything worth a user's attention (also sent to `onWarning`). */
  warnings: string[];
  /** The class balance used at the end (given, from `yDev`, or learned). */
  classBalance: number[];
  /** Final objective value (NaN when the model fell back to majority vote). */
  loss: number;
  /** Class-balance rounds run ('mmtl' mode without a given balance). */
  balanceRounds: number;
}

/**
 * The label model: estimates each LF's conditional probabilities μ = P(LF votes v | Y = y) from the
 * overlaps of the LFs' votes alone (matrix completion, Ratner et al. 2019) and combines votes into class
 * probabilities. `mode: 'snorkel'` reproduces Snorkel 0.10's LabelModel; the default `'mmtl'` mode also
 * learns the class balance when none is given — fit μ under a uniform p, then estimate p by maximum
 * likelihood of the distinct rows under the conditionally-independent model (Dawid–Skene EM started from
 * that μ, see {@link estimateClassBalanceEM}; the overlap objective alone cannot identify p), refit μ under
 * the new p, repeat `balanceRounds` times or until p settles. The EM balance is only trusted when that
 * model reproduces the pairwise overlaps (relative residual ≤ `balanceMaxResidual`, 0.15): on synthetic
 * conditionally-independent sets it is 0.05–0.08, on WRENCH youtube/sms/trec 0.22–0.35, where the EM
 * balance is wrong and the prior stays uniform with a warning. It also applies L2 once, warns about LFs worse than
 * random, falls back to majority vote for fewer than 3 LFs, and never returns a uniform row for a row with
 * votes. With `deps`, dependent LF pairs get joint-vote columns (see the `deps` and `depsMethod` options).
 *
 * @example
 * ```ts
 * const lm = new LabelModel(2);
 * const { warnings, classBalance } = lm.fit(L, { seed: 123 }); // classBalance ≈ [0.7, 0.3]
 * lm.predictProba(L);                     // Float64Array n×2
 * lm.predict(L, { tieBreakPolicy: 'random' });
 * lm.score(L, Y, ['accuracy']);           // { accuracy: 0.96 }
 * await lm.save('runs/lm.json');
 * ```
 */
export class LabelModel extends Labeler {
  private state: FittedState | undefined;
  private readonly onWarning: ((message: string) => void) | undefined;

  constructor(
    readonly k: number,
    opts: { onWarning?: (message: string) => void } = {},
  ) {
    super();
    validateCardinality(k, 'LabelModel');
    this.onWarning = opts.onWarning;
  }

  /** Fits on a label matrix (`n × m`, votes in −1..k−1). */
  fit(L: LabelMatrixLike, opts: LabelModelFitOptions = {}): LabelModelFitResult {
    const cfg = parseFitOptions(opts, 'LabelModel.fit');
    validateLabelMatrix(L, this.k, 'LabelModel.fit', 'L', { values: false });
    const stats = LabelStats.fromMatrix(L, this.k, { maxPatterns: 0 }, 'LabelModel.fit');
    const learns =
      cfg.classBalance === undefined &&
      cfg.yDev === undefined &&
      (cfg.balance ?? (cfg.mode === 'mmtl' ? 'learned' : 'uniform')) === 'learned';
    // exact rows for dependency overlaps; a bounded sample is plenty for the class balance
    const rows =
      cfg.deps.length > 0
        ? weightedRowsOf(L, this.k, { maxRows: Infinity })
        : learns
          ? weightedRowsOf(L, this.k, { maxRows: BALANCE_SAMPLE_ROWS })
          : undefined;
    return this.fitInternal(stats, rows, cfg, L);
  }

  /** Fits on sufficient statistics (e.g. merged shards); equals `fit` on the concatenated matrix. */
  fitFromStats(stats: LabelStats, opts: LabelModelFitOptions = {}): LabelModelFitResult {
    const cfg = parseFitOptions(opts, 'LabelModel.fitFromStats');
    assert(
      stats instanceof LabelStats,
      'E_ARG',
      () => "Argument 'stats' passed to 'LabelModel.fitFromStats' must be a LabelStats",
    );
    assert(
      stats.k === this.k,
      'E_ARG',
      () =>
        `Argument 'stats' passed to 'LabelModel.fitFromStats' has k = ${stats.k}, model has k = ${this.k}`,
    );
    assert(
      stats.n > 0,
      'E_DATA',
      () => "Argument 'stats' passed to 'LabelModel.fitFromStats' is empty (n = 0)",
    );
    return this.fitInternal(stats, weightedRowsOfStats(stats), cfg);
  }

  private fitInternal(
    stats: LabelStats,
    rows: WeightedRows | undefined,
    cfg: LabelModelFitConfig,
    L?: LabelMatrixLike,
  ): LabelModelFitResult {
    const warnings: string[] = [];
    const warn = (msg: string): void => {
      warnings.push(msg);
      cfg.onWarning?.(msg);
      this.onWarning?.(msg);
    };
    const fitted = fitSingleTask(stats, rows, cfg, this.k, warn);
    this.state = fitted.state;
    if (!fitted.state.fallback && fitted.state.deps.length === 0) {
      const evidence = leaveOneOutAgreement(
        rows ?? (L === undefined ? undefined : weightedRowsOf(L, this.k, { maxRows: BALANCE_SAMPLE_ROWS })),
        fitted.state,
        this.k,
      );
      const pairwise = pairwiseAgreement(stats);
      this.getWeights().forEach((a, j) => {
        const e = evidence?.[j];
        // Only where the data back it: the LF shares enough rows with other LFs, and on those rows the
        // model's posterior from the other LFs alone gives the LF's vote less than chance too. (A rarely
        // overlapping LF's μ is barely constrained; a keyword LF of a rare class can look bad to the overlaps.)
        if (
          a < 1 / this.k &&
          e !== undefined &&
          e.rows >= MIN_COVOTES &&
          e.agreement < 1 / this.k &&
          pairwise[j]! < 1 / this.k
        ) {
          warn(
            `LF ${j} is estimated worse than random (accuracy ${a.toFixed(3)} < ${(1 / this.k).toFixed(3)}; on the ${Math.round(e.rows)} rows it shares with other LFs, it agrees with ${(100 * pairwise[j]!).toFixed(1)}% of their votes, and the model given their votes puts ${e.agreement.toFixed(3)} on its vote)`,
          );
        }
      });
    }
    return {
      warnings,
      classBalance: [...fitted.state.p],
      loss: fitted.loss,
      balanceRounds: fitted.balanceRounds,
    };
  }

  /** `n × k` row-major class probabilities. Rows without votes get the class balance. */
  predictProba(L: LabelMatrixLike, opts: { onWarning?: (message: string) => void } = {}): Float64Array {
    const s = this.fitted('predictProba');
    validateLabelMatrix(L, this.k, 'LabelModel.predictProba', 'L', { values: s.fallback });
    assert(
      L.m === s.m,
      'E_ARG',
      () => `Argument 'L' passed to 'LabelModel.predictProba' has ${L.m} LFs; the model was fitted on ${s.m}`,
    );
    if (s.fallback) return majorityVoteProba(L, this.k);
    const probs = new Float64Array(L.n * this.k);
    const collapsed =
      s.deps.length === 0 ? posteriorsIndependent(L, this.k, s, probs) : this.posteriorsWithDeps(L, probs);
    if (collapsed > 0) {
      const msg = `${collapsed} row(s) with votes had collapsed probabilities; used their majority vote`;
      opts.onWarning?.(msg);
      this.onWarning?.(msg);
    }
    return probs;
  }

  /** The posterior through the dependency layout (junction-tree weights); returns the collapsed rows. */
  private posteriorsWithDeps(L: LabelMatrixLike, probs: Float64Array): number {
    const s = this.fitted('predictProba');
    const { k } = this;
    const layout = this.layout();
    const logMu = s.mu.map(Math.log);
    const logP = s.p.map(Math.log);
    const out = new Float64Array(k);
    const cols = new Int32Array(layout.maxActive);
    const w = new Float64Array(layout.maxActive);
    let collapsed = 0;
    for (let i = 0; i < L.n; i++) {
      const votes = L.data.subarray(i * L.m, (i + 1) * L.m);
      checkRow(L, i, k);
      const ok = posteriorInto(layout, logMu, logP, k, votes, out, cols, w);
      if (votes.some((v) => v >= 0) && (!ok || isFlat(out, 0))) {
        const mv = majorityVoteProba({ n: 1, m: L.m, data: votes }, k);
        if (!ok || !isFlat(mv, 0)) {
          out.set(mv);
          collapsed++;
        }
      }
      probs.set(out, i * k);
    }
    return collapsed;
  }

  /** Estimated accuracy of each LF on the rows it votes on, clipped to [1e-6, 1]. */
  getWeights(): Float64Array {
    const s = this.fitted('getWeights');
    const { k } = this;
    const acc = new Float64Array(s.m);
    if (s.fallback) return acc.fill(Number.NaN);
    for (let j = 0; j < s.m; j++) {
      let a = 0;
      for (let y = 0; y < k; y++) a += s.mu[(j * k + y) * k + y]! * s.p[y]!;
      const cov = s.coverage[j]!;
      acc[j] = Math.min(1, Math.max(1e-6, cov > 0 ? a / cov : 0));
    }
    return acc;
  }

  /** `[m][k+1][k]`: row 0 = P(abstain | Y = y), row v+1 = P(LF votes v | Y = y). */
  getConditionalProbs(): number[][][] {
    const s = this.fitted('getConditionalProbs');
    const { k } = this;
    return Array.from({ length: s.m }, (_, j) => {
      const rows = Array.from({ length: k }, (_, v) =>
        Array.from({ length: k }, (_, y) => s.mu[(j * k + v) * k + y]!),
      );
      const abstain = Array.from({ length: k }, (_, y) => 1 - rows.reduce((acc, r) => acc + r[y]!, 0));
      return [abstain, ...rows];
    });
  }

  /** The class balance p used by the model. */
  getClassBalance(): number[] {
    return [...this.fitted('getClassBalance').p];
  }

  /** A copy of μ (`d × k` row-major, d = m·k plus k² per dependent pair). */
  getMu(): Float64Array {
    return this.fitted('getMu').mu.slice();
  }

  /** Plain JSON of the fitted model. */
  toJSON(): LabelModelJSON {
    const s = this.fitted('toJSON');
    return {
      format: 'mmtl-label-model',
      version: 1,
      k: this.k,
      m: s.m,
      mode: s.mode,
      deps: s.deps,
      mu: [...s.mu],
      classBalance: [...s.p],
      coverage: [...s.coverage],
      fallback: s.fallback,
    };
  }

  /** Rebuilds a model from {@link LabelModel.toJSON}; throws E_CHECKPOINT when malformed. */
  static fromJSON(json: unknown): LabelModel {
    const r = labelModelJsonSchema.safeParse(json);
    if (!r.success)
      throw new MmtlError(
        'E_CHECKPOINT',
        `'LabelModel.fromJSON': not a label model: ${r.error.issues[0]?.message ?? ''}`,
      );
    const j = r.data;
    const model = new LabelModel(j.k);
    const d = j.fallback ? 0 : j.m * j.k + j.deps.length * j.k * j.k;
    assert(
      j.mu.length === d * j.k,
      'E_CHECKPOINT',
      () => `'LabelModel.fromJSON': mu has ${j.mu.length} entries, expected ${d * j.k}`,
    );
    model.state = {
      m: j.m,
      mode: j.mode,
      deps: j.deps,
      mu: Float64Array.from(j.mu),
      p: Float64Array.from(j.classBalance),
      coverage: Float64Array.from(j.coverage),
      fallback: j.fallback,
    };
    return model;
  }

  /**
   * A model that predicts majority votes (what a fit with fewer than 3 LFs gives), e.g. when dev labels
   * pick majority vote over every label model. It saves and loads like any other.
   *
   * @example
   * ```ts
   * LabelModel.majorityVote(2, 10).predictProba(L); // = new MajorityLabelVoter(2).predictProba(L)
   * ```
   */
  static majorityVote(k: number, m: number, classBalance?: readonly number[]): LabelModel {
    const model = new LabelModel(k);
    assert(
      Number.isInteger(m) && m > 0,
      'E_ARG',
      () => `Argument 'm' passed to 'LabelModel.majorityVote' must be an integer > 0, got ${m}`,
    );
    model.state = {
      m,
      mode: 'mmtl',
      deps: [],
      mu: new Float64Array(0),
      p: Float64Array.from(classBalance ?? new Array<number>(k).fill(1 / k)),
      coverage: new Float64Array(m),
      fallback: true,
    };
    return model;
  }

  /** Writes the model as JSON, atomically. */
  async save(path: string): Promise<void> {
    await writeFileAtomic(path, JSON.stringify(this.toJSON()));
  }

  /** Reads a model written by {@link LabelModel.save}. */
  static async load(path: string): Promise<LabelModel> {
    return LabelModel.fromJSON(await readModelJson(path, 'label model'));
  }

  private fitted(fn: string): FittedState {
    assert(this.state !== undefined, 'E_STATE', () => `'LabelModel.${fn}' called before 'fit'`);
    return this.state;
  }

  private layout(): ColumnLayout {
    const s = this.fitted('layout');
    return singleTaskLayout(s.m, this.k, s.deps);
  }
}

/** Rows of the class-balance sample (see `weightedRowsOf`); the balance's sampling error is about 1/√ of it. */
const BALANCE_SAMPLE_ROWS = 20_000;
/** Shared votes an LF needs before it is called worse than random. */
const MIN_COVOTES = 30;

/** Per LF: the fraction of the votes other LFs cast on its rows that equal its own vote (from the counts). */
function pairwiseAgreement(stats: LabelStats): Float64Array {
  const { m, k, d, counts } = stats;
  return Float64Array.from({ length: m }, (_, j) => {
    let total = 0;
    let same = 0;
    for (let v = 0; v < k; v++) {
      const a = j * k + v;
      for (let b = 0; b < d; b++) {
        if (Math.floor(b / k) === j) continue;
        total += counts[a * d + b]!;
        if (b % k === v) same += counts[a * d + b]!;
      }
    }
    return total > 0 ? same / total : 1;
  });
}

/**
 * Per LF: the rows (by weight) where it votes together with another LF, and the mean posterior probability
 * of its vote given only the other LFs' votes on those rows (leave-one-out), under the fitted model.
 */
function leaveOneOutAgreement(
  rows: WeightedRows | undefined,
  s: FittedState,
  k: number,
): { rows: number; agreement: number }[] | undefined {
  if (rows === undefined) return undefined;
  const logMu = s.mu.map(Math.log);
  const logP = s.p.map(Math.log);
  const total = new Float64Array(s.m);
  const agree = new Float64Array(s.m);
  const full = new Float64Array(k);
  const post = new Float64Array(k);
  for (let r = 0; r < rows.rows; r++) {
    const from = rows.ptr[r]!;
    const to = rows.ptr[r + 1]!;
    if (to - from < 2) continue;
    for (let y = 0; y < k; y++) full[y] = logP[y]!;
    for (let e = from; e < to; e++) for (let y = 0; y < k; y++) full[y]! += logMu[rows.cols[e]! * k + y]!;
    for (let e = from; e < to; e++) {
      const col = rows.cols[e]!;
      let max = -Infinity;
      for (let y = 0; y < k; y++) max = Math.max(max, (post[y] = full[y]! - logMu[col * k + y]!));
      let sum = 0;
      for (let y = 0; y < k; y++) sum += post[y] = Math.exp(post[y]! - max);
      const j = Math.floor(col / k);
      const w = rows.weight[r]!;
      total[j]! += w;
      agree[j]! += (w * post[col % k]!) / sum;
    }
  }
  return Array.from(total, (t, j) => ({ rows: t, agreement: t > 0 ? agree[j]! / t : 0 }));
}

/**
 * Posteriors of conditionally independent LFs straight from the votes into `probs` (`n × k`), without
 * allocating per row (see `posteriorRows`), on several threads for big matrices. Returns the rows whose
 * posterior collapsed to their majority vote.
 */
function posteriorsIndependent(L: LabelMatrixLike, k: number, s: FittedState, probs: Float64Array): number {
  const r = posteriorAllRows(L, k, s.mu.map(Math.log), s.p.map(Math.log), probs);
  if (r < 0) badValue(L, -r - 2, k, 'LabelModel.predictProba');
  return r;
}

function checkRow(L: LabelMatrixLike, i: number, k: number): void {
  for (let idx = i * L.m; idx < (i + 1) * L.m; idx++) {
    const v = L.data[idx]!;
    if (v < -1 || v >= k) badValue(L, idx, k, 'LabelModel.predictProba');
  }
}

function isFlat(row: Float64Array, from: number): boolean {
  let min = Infinity;
  let max = -Infinity;
  for (let y = from; y < row.length; y++) {
    min = Math.min(min, row[y]!);
    max = Math.max(max, row[y]!);
  }
  return max - min < 1e-12;
}
