import { ABSTAIN, MmtlError, assert } from '../core/index.js';
import { metrics } from './registry.js';
import type { MetricFn, MetricKind } from './types.js';

/** Options of {@link Scorer}. */
export interface ScorerOptions {
  /** Names from the {@link metrics} registry (default `['accuracy']`). */
  metrics?: string[];
  /** Extra metrics by name; a function without a `kind` is treated by the golds' type (see {@link Scorer}). */
  customMetrics?: Record<string, MetricFn>;
  /** The gold label that means "no label"; such rows are dropped for classification metrics (default -1). */
  abstainLabel?: number;
}

interface Rows {
  golds: ArrayLike<number>;
  preds: ArrayLike<number>;
  probs: ArrayLike<number> | undefined;
}

/**
 * Scores predictions with a fixed list of metrics (Snorkel's / MeTaL's `Scorer`).
 *
 * Rows are filtered per metric kind before each metric runs:
 * - classification metrics drop rows whose gold is `abstainLabel` (-1), and the matching `probs` rows;
 * - regression metrics (pearson, spearman, pearson_spearman) drop only rows where gold or pred is NaN;
 * - a custom metric without a `kind` is a regression metric when golds are a `Float32Array` /
 *   `Float64Array` or hold a non-integer, and a classification metric otherwise.
 *
 * @example
 * ```ts
 * const scorer = new Scorer({ metrics: ['accuracy', 'f1'] });
 * scorer.score([1, 0, -1, 1], [1, 1, 0, 1]); // { accuracy: 0.6666666666666666, f1: 0.8 }
 * new Scorer({ metrics: ['pearson'] }).score(Float32Array.of(0.5, 2, NaN, 4), [1, 2, 3, 4]);
 * // { pearson: 0.99419162560192 } (the NaN row is dropped)
 * ```
 */
export class Scorer {
  /** Metric names in the order `score` reports them. */
  readonly metricNames: string[];
  private readonly fns = new Map<string, MetricFn>();
  private readonly abstainLabel: number;

  constructor(options: ScorerOptions = {}) {
    const { metrics: names = ['accuracy'], customMetrics = {}, abstainLabel = ABSTAIN } = options;
    for (const name of names) this.fns.set(name, metrics.get(name));
    for (const [name, fn] of Object.entries(customMetrics)) {
      assert(
        !this.fns.has(name),
        'E_ARG',
        () => `Argument 'customMetrics' passed to 'Scorer' redefines metric '${name}'`,
      );
      assert(
        typeof fn === 'function',
        'E_ARG',
        () => `Argument 'customMetrics' passed to 'Scorer' has a non-function '${name}'`,
      );
      this.fns.set(name, fn);
    }
    this.metricNames = [...this.fns.keys()];
    this.abstainLabel = abstainLabel;
  }

  /**
   * Every metric on `golds` / `preds` (and `probs`: n scores or an n×k row-major matrix), as
   * `{ name: value }`. Throws E_SHAPE on mismatched lengths and E_DATA when no row is left to score.
   */
  score(
    golds: ArrayLike<number>,
    preds: ArrayLike<number>,
    probs?: ArrayLike<number>,
  ): Record<string, number> {
    const n = golds.length;
    if (preds.length !== n) {
      throw new MmtlError(
        'E_SHAPE',
        `Arguments 'golds' and 'preds' passed to 'Scorer.score' must have the same length, got ${n} and ${preds.length}`,
      );
    }
    assert(n > 0, 'E_ARG', () => `Argument 'golds' passed to 'Scorer.score' must not be empty`);
    assert(
      probs === undefined || probs.length % n === 0,
      'E_SHAPE',
      () =>
        `Argument 'probs' passed to 'Scorer.score' must hold n=${n} scores or an n×k matrix, got length ${probs?.length}`,
    );
    const cache = new Map<MetricKind, Rows>();
    const out: Record<string, number> = {};
    for (const [name, fn] of this.fns) {
      const kind = fn.kind ?? guessKind(golds);
      let rows = cache.get(kind);
      if (rows === undefined) {
        rows = this.select(kind, golds, preds, probs);
        cache.set(kind, rows);
      }
      if (rows.golds.length === 0) {
        throw new MmtlError('E_DATA', `Scorer.score has no rows left to score metric '${name}'`, {
          hint:
            kind === 'classification'
              ? `every gold label is the abstain label ${this.abstainLabel}`
              : 'every row is NaN',
        });
      }
      out[name] = fn(rows.golds, rows.preds, rows.probs);
    }
    return out;
  }

  private select(
    kind: MetricKind,
    golds: ArrayLike<number>,
    preds: ArrayLike<number>,
    probs: ArrayLike<number> | undefined,
  ): Rows {
    const keep: number[] = [];
    for (let i = 0; i < golds.length; i++) {
      const g = golds[i]!;
      const ok =
        kind === 'classification' ? g !== this.abstainLabel : !Number.isNaN(g) && !Number.isNaN(preds[i]!);
      if (ok) keep.push(i);
    }
    if (keep.length === golds.length) return { golds, preds, probs };
    const k = probs === undefined ? 0 : probs.length / golds.length;
    const pSub = probs === undefined ? undefined : new Float64Array(keep.length * k);
    keep.forEach((row, j) => {
      if (pSub === undefined || probs === undefined) return;
      for (let c = 0; c < k; c++) pSub[j * k + c] = probs[row * k + c]!;
    });
    return {
      golds: Float64Array.from(keep, (i) => golds[i]!),
      preds: Float64Array.from(keep, (i) => preds[i]!),
      probs: pSub,
    };
  }
}

function guessKind(golds: ArrayLike<number>): MetricKind {
  if (golds instanceof Float32Array || golds instanceof Float64Array) return 'regression';
  for (let i = 0; i < golds.length; i++) if (!Number.isInteger(golds[i]!)) return 'regression';
  return 'classification';
}
