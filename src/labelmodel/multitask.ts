import { MmtlError, Rng, assert, writeFileAtomic } from '../core/index.js';
import { parseFitOptions, type LabelModelFitOptions } from './config.js';
import { defaultMuEps, initialMu, posteriorInto, trainMu } from './fit-core.js';
import { type LabelMatrixLike, validateLabelMatrix } from './label-matrix.js';
import { type ColumnLayout, type CliqueGroup, overlapsOf, rowsOfMatrix } from './layout.js';
import { multiTaskLabelModelJsonSchema, readModelJson, type MultiTaskLabelModelJSON } from './serialize.js';
import { TaskGraph } from './task-graph.js';
import { validateClassBalance } from './voters.js';

/** Per-task output of {@link MultiTaskLabelModel.predictProba}. */
export interface MultiTaskProba {
  /** `n × K` posterior over the feasible vectors. */
  joint: Float64Array;
  /**
   * Per task, `n × k_t` marginals P(y_t = v). In a hierarchy a row's entries sum to 1 − P(task does not
   * apply).
   */
  tasks: Float64Array[];
}

/**
 * MeTaL's multi-task label model: several tasks related by a {@link TaskGraph}, each with its own LFs
 * (one label matrix per task, votes in that task's classes). The latent variable ranges over the feasible
 * label vectors; every LF gets a `k_t × K` block of μ (P(vote v | joint label y)), fitted with the same
 * matrix-completion objective and SGD as {@link LabelModel}. The initial μ puts `prec_init` on the feasible
 * vectors that agree with the vote, which also fixes the label order. The class balance over feasible
 * vectors is uniform unless given (not learned here).
 *
 * @example
 * ```ts
 * const graph = TaskGraph.hierarchy([{ k: 2 }, { k: 2, parent: { task: 0, value: 0 } }]);
 * const mt = new MultiTaskLabelModel(graph);
 * mt.fit([L0, L1], { seed: 0 });          // L0: n × m0 votes for task 0; L1: n × m1 for task 1
 * const { tasks } = mt.predictProba([L0, L1]);
 * tasks[1];                                  // n × 2: P(task 1 = v), rows sum to 1 − P(task 0 ≠ 0)
 * await mt.save('runs/mt-lm.json');          // MultiTaskLabelModel.load rebuilds graph and fit
 * ```
 */
export class MultiTaskLabelModel {
  private mu: Float64Array | undefined;
  private p: Float64Array | undefined;
  private widths: number[] = [];

  constructor(readonly graph: TaskGraph) {}

  /** Fits on one label matrix per task (same n). Uses lr, momentum, nEpochs, l2, precInit, seed, initScale, muEps, classBalance. */
  fit(Ls: readonly LabelMatrixLike[], opts: LabelModelFitOptions = {}): { warnings: string[]; loss: number } {
    const cfg = parseFitOptions(opts, 'MultiTaskLabelModel.fit');
    const L = this.concat(Ls, 'MultiTaskLabelModel.fit');
    const K = this.graph.size;
    const p = new Float64Array(K).fill(1 / K);
    if (cfg.classBalance !== undefined) {
      validateClassBalance(cfg.classBalance, K, 'MultiTaskLabelModel.fit');
      p.set(cfg.classBalance);
    }
    const layout = this.layout();
    const O = overlapsOf(layout, rowsOfMatrix(L));
    const { owner, value } = this.rowInfo();
    // P(task t = v) under p, for the initial μ
    const marg = this.graph.cardinalities.map((k, t) =>
      Array.from({ length: k }, (_, v) =>
        this.graph.feasible.reduce((s, f, y) => s + (f[t] === v ? p[y]! : 0), 0),
      ),
    );
    const prec = new Float64Array(layout.d).fill(typeof cfg.precInit === 'number' ? cfg.precInit : 0.7);
    const pAdj = new Float64Array(K).fill(1);
    const mu0 = initialMu(
      O,
      layout.d,
      K,
      pAdj,
      prec,
      (a, y) => this.graph.feasible[y]![owner[a]!] === value[a],
    );
    for (let a = 0; a < layout.d; a++) {
      const mv = marg[owner[a]!]![value[a]!]!;
      for (let y = 0; y < K; y++) mu0[a * K + y] = Math.min(1, mu0[a * K + y]! / Math.max(mv, 1e-12));
    }
    const rng = new Rng(cfg.seed);
    const { mu, loss } = trainMu(O, layout, K, p, mu0, {
      mode: cfg.mode,
      nEpochs: cfg.nEpochs ?? 500,
      lr: cfg.lr,
      momentum: cfg.momentum,
      l2: cfg.l2 ?? 0,
      initScale: cfg.initScale ?? 0.5 + 0.5 * rng.float(),
      inverseForm: false,
      seed: cfg.seed,
    });
    const eps = cfg.muEps ?? defaultMuEps(L.n);
    for (let i = 0; i < mu.length; i++) mu[i] = Math.min(1 - eps, Math.max(eps, mu[i]!));
    this.mu = mu;
    this.p = p;
    const warnings: string[] = [];
    if (L.m < 3) warnings.push(`only ${L.m} LF(s) in all tasks; the estimates are unreliable below 3`);
    for (const w of warnings) cfg.onWarning?.(w);
    return { warnings, loss };
  }

  /** Joint posterior over feasible vectors and per-task marginals. */
  predictProba(Ls: readonly LabelMatrixLike[]): MultiTaskProba {
    assert(
      this.mu !== undefined && this.p !== undefined,
      'E_STATE',
      () => "'MultiTaskLabelModel.predictProba' called before 'fit'",
    );
    const L = this.concat(Ls, 'MultiTaskLabelModel.predictProba');
    const K = this.graph.size;
    const layout = this.layout();
    const logMu = this.mu.map(Math.log);
    const logP = this.p.map(Math.log);
    const joint = new Float64Array(L.n * K);
    const tasks = this.graph.cardinalities.map((k) => new Float64Array(L.n * k));
    const out = new Float64Array(K);
    const cols = new Int32Array(layout.maxActive);
    const w = new Float64Array(layout.maxActive);
    for (let i = 0; i < L.n; i++) {
      if (!posteriorInto(layout, logMu, logP, K, L.data.subarray(i * L.m, (i + 1) * L.m), out, cols, w))
        out.set(this.p);
      joint.set(out, i * K);
      this.graph.feasible.forEach((f, y) => {
        f.forEach((v, t) => {
          if (v >= 0) tasks[t]![i * this.graph.cardinalities[t]! + v]! += out[y]!;
        });
      });
    }
    return { joint, tasks };
  }

  /** The class balance over the graph's feasible vectors that the model was fitted with. */
  getClassBalance(): number[] {
    assert(
      this.p !== undefined,
      'E_STATE',
      () => "'MultiTaskLabelModel.getClassBalance' called before 'fit'",
    );
    return [...this.p];
  }

  /** Plain JSON of the fitted model, task graph included. */
  toJSON(): MultiTaskLabelModelJSON {
    assert(
      this.mu !== undefined && this.p !== undefined,
      'E_STATE',
      () => "'MultiTaskLabelModel.toJSON' called before 'fit'",
    );
    return {
      format: 'mmtl-multitask-label-model',
      version: 1,
      cardinalities: [...this.graph.cardinalities],
      feasible: this.graph.feasible.map((v) => [...v]),
      widths: [...this.widths],
      mu: [...this.mu],
      classBalance: [...this.p],
    };
  }

  /** Rebuilds a model from {@link MultiTaskLabelModel.toJSON}; throws E_CHECKPOINT when malformed. */
  static fromJSON(json: unknown): MultiTaskLabelModel {
    const bad = (why: string): MmtlError =>
      new MmtlError('E_CHECKPOINT', `'MultiTaskLabelModel.fromJSON': not a multi-task label model: ${why}`);
    const r = multiTaskLabelModelJsonSchema.safeParse(json);
    if (!r.success) throw bad(r.error.issues[0]?.message ?? '');
    const j = r.data;
    let graph: TaskGraph;
    try {
      graph = TaskGraph.fromFeasible(j.cardinalities, j.feasible);
    } catch (e) {
      throw bad((e as Error).message);
    }
    const K = graph.size;
    if (j.widths.length !== j.cardinalities.length)
      throw bad(`${j.widths.length} LF counts for ${j.cardinalities.length} tasks`);
    const d = j.widths.reduce((s, w, t) => s + w * j.cardinalities[t]!, 0);
    if (j.mu.length !== d * K) throw bad(`mu has ${j.mu.length} entries, expected ${d * K}`);
    if (j.classBalance.length !== K)
      throw bad(`classBalance has ${j.classBalance.length} entries, expected ${K}`);
    const model = new MultiTaskLabelModel(graph);
    model.mu = Float64Array.from(j.mu);
    model.p = Float64Array.from(j.classBalance);
    model.widths = [...j.widths];
    return model;
  }

  /** Writes the model as JSON, atomically. */
  async save(path: string): Promise<void> {
    await writeFileAtomic(path, JSON.stringify(this.toJSON()));
  }

  /** Reads a model written by {@link MultiTaskLabelModel.save}. */
  static async load(path: string): Promise<MultiTaskLabelModel> {
    return MultiTaskLabelModel.fromJSON(await readModelJson(path, 'multi-task label model'));
  }

  /** Per-task hard labels (argmax of the joint posterior's feasible vector; -1 where a task does not apply). */
  predict(Ls: readonly LabelMatrixLike[]): Int32Array[] {
    const { joint } = this.predictProba(Ls);
    const K = this.graph.size;
    const n = joint.length / K;
    const preds = this.graph.cardinalities.map(() => new Int32Array(n));
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let y = 1; y < K; y++) if (joint[i * K + y]! > joint[i * K + best]!) best = y;
      this.graph.feasible[best]!.forEach((v, t) => (preds[t]![i] = v));
    }
    return preds;
  }

  private concat(Ls: readonly LabelMatrixLike[], fn: string): LabelMatrixLike {
    const cards = this.graph.cardinalities;
    assert(
      Ls.length === cards.length,
      'E_ARG',
      () =>
        `Argument 'Ls' passed to '${fn}' has ${Ls.length} matrices; the task graph has ${cards.length} tasks`,
    );
    Ls.forEach((L, t) => validateLabelMatrix(L, cards[t]!, fn, `Ls[${t}]`));
    const n = Ls[0]!.n;
    assert(
      Ls.every((L) => L.n === n),
      'E_ARG',
      () => `Argument 'Ls' passed to '${fn}' has matrices with different row counts`,
    );
    const widths = Ls.map((L) => L.m);
    if (this.widths.length > 0) {
      assert(
        widths.every((w, t) => w === this.widths[t]),
        'E_ARG',
        () =>
          `Argument 'Ls' passed to '${fn}' has LF counts [${widths.join(', ')}]; fitted on [${this.widths.join(', ')}]`,
      );
    }
    this.widths = widths;
    const m = widths.reduce((a, b) => a + b, 0);
    const data = new Int32Array(n * m);
    for (let i = 0; i < n; i++) {
      let off = 0;
      for (const L of Ls) {
        for (let j = 0; j < L.m; j++) data[i * m + off + j] = L.data[i * L.m + j]!;
        off += L.m;
      }
    }
    return { n, m, data };
  }

  /** Column offsets: LF c of the concatenated matrix (task t) owns rows `off[c] .. off[c] + k_t − 1` of μ. */
  private layout(): ColumnLayout {
    const cards = this.graph.cardinalities;
    const lfTask = this.widths.flatMap((w, t) => new Array<number>(w).fill(t));
    const off: number[] = [];
    let d = 0;
    const groups: CliqueGroup[] = lfTask.map((t, c) => {
      off.push(d);
      d += cards[t]!;
      return { start: off[c]!, size: cards[t]!, maxCliques: [c] };
    });
    return {
      d,
      m: lfTask.length,
      groups,
      maxActive: lfTask.length,
      encode(votes, cols, weights) {
        let n = 0;
        for (let c = 0; c < lfTask.length; c++) {
          const v = votes[c]!;
          if (v < 0) continue;
          cols[n] = off[c]! + v;
          weights[n++] = 1;
        }
        return n;
      },
    };
  }

  /** For each μ row: its task and the vote value it stands for. */
  private rowInfo(): { owner: Int32Array; value: Int32Array } {
    const cards = this.graph.cardinalities;
    const owner: number[] = [];
    const value: number[] = [];
    this.widths.forEach((w, t) => {
      for (let j = 0; j < w; j++) {
        for (let v = 0; v < cards[t]!; v++) {
          owner.push(t);
          value.push(v);
        }
      }
    });
    return { owner: Int32Array.from(owner), value: Int32Array.from(value) };
  }
}
