/** Member weights of a weighted ensemble: softmax over validation scores (MeTaL's wavg) or fitted log-loss. */
import { MmtlError, Registry } from '../core/index.js';
import { Scorer } from '../metrics/index.js';
import { predsFromProbs } from '../tasks/index.js';
import type { EnsembleOutputType } from './member-outputs.js';

/**
 * Softmax-over-models weights from one validation score per member: `w = softmax(score / temperature)`.
 * MeTaL's GLUE `wavg` is temperature 1 on scores in [0, 1], which stays close to uniform; a lower temperature
 * trusts the better members more.
 *
 * @example
 * ```ts
 * softmaxWeights([0.8, 0.8]); // Float64Array [0.5, 0.5]
 * softmaxWeights([0.9, 0.8], 0.1); // Float64Array [0.731…, 0.268…]
 * ```
 */
export function softmaxWeights(scores: readonly number[], temperature = 1): Float64Array {
  if (scores.length === 0 || scores.some((s) => !Number.isFinite(s))) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'scores' passed to 'softmaxWeights' must be a non-empty list of finite numbers, got [${scores.join(', ')}]`,
    );
  }
  if (!(temperature > 0)) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'temperature' passed to 'softmaxWeights' must be > 0, got ${temperature}`,
    );
  }
  const top = Math.max(...scores);
  const e = scores.map((s) => Math.exp((s - top) / temperature));
  const z = e.reduce((a, b) => a + b, 0);
  return Float64Array.from(e, (v) => v / z);
}

/** What a weight fitter reads: aligned member outputs on validation rows and their golds. */
export interface WeightFitInput {
  /** Per member: probabilities [n, k] (regression: values [n]) in the row order of `golds`. */
  members: readonly Float32Array[];
  /** Gold classes (-1 = missing) or regression targets (NaN = missing), one per row. */
  golds: ArrayLike<number>;
  /** Columns per row. */
  k: number;
  /** Classification or regression. */
  type: EnsembleOutputType;
  /** Metric of the 'metric' fitter (default: accuracy; regression: pearson). */
  metric?: string;
  /** Softmax temperature of the 'metric' fitter (default 1, MeTaL). */
  temperature?: number;
  /** Iterations of the 'logloss' fitter (default 500). */
  iterations?: number;
}

/** Fits member weights (non-negative, summing to 1) on validation data. */
export type WeightFitter = (input: WeightFitInput) => Float64Array;

function labeledRows(golds: ArrayLike<number>, type: EnsembleOutputType): number[] {
  const rows: number[] = [];
  for (let i = 0; i < golds.length; i++) {
    const g = golds[i]!;
    if (type === 'regression' ? !Number.isNaN(g) : g >= 0) rows.push(i);
  }
  if (rows.length === 0)
    throw new MmtlError('E_DATA', "Argument 'golds' passed to 'fitEnsembleWeights' has no labeled row");
  return rows;
}

/** Log-loss weights by EM on the mixture weights (monotone in the validation likelihood). */
function fitLogLoss(input: WeightFitInput): Float64Array {
  const { members, golds, k } = input;
  const rows = labeledRows(golds, 'classification');
  const m = members.length;
  const p = rows.map((i) =>
    Float64Array.from(members, (probs) => Math.max(probs[i * k + golds[i]!]!, 1e-12)),
  );
  let w = new Float64Array(m).fill(1 / m);
  for (let it = 0; it < (input.iterations ?? 500); it++) {
    const next = new Float64Array(m);
    for (const pi of p) {
      let mix = 0;
      for (let j = 0; j < m; j++) mix += w[j]! * pi[j]!;
      for (let j = 0; j < m; j++) next[j]! += (w[j]! * pi[j]!) / mix / p.length;
    }
    w = next;
  }
  return w;
}

/** Squared-error weights by exponentiated gradient on the simplex. */
function fitSquaredError(input: WeightFitInput): Float64Array {
  const { members, golds } = input;
  const rows = labeledRows(golds, 'regression');
  const m = members.length;
  let w = new Float64Array(m).fill(1 / m);
  for (let it = 0; it < (input.iterations ?? 500); it++) {
    const g = new Float64Array(m);
    for (const i of rows) {
      let mix = 0;
      for (let j = 0; j < m; j++) mix += w[j]! * members[j]![i]!;
      const r = (2 * (mix - golds[i]!)) / rows.length;
      for (let j = 0; j < m; j++) g[j]! += r * members[j]![i]!;
    }
    const scale = Math.max(...g.map(Math.abs), 1e-12);
    const e = w.map((wj, j) => wj * Math.exp((-0.5 * g[j]!) / scale));
    const z = e.reduce((a, b) => a + b, 0);
    w = e.map((v) => v / z);
  }
  return w;
}

/**
 * The weight fitters by name, used by `Ensemble.fitWeights`:
 * - `metric`: MeTaL's `wavg`: each member's validation metric (default accuracy; regression pearson), then
 *   {@link softmaxWeights} with `temperature`;
 * - `logloss`: the weights that minimize the validation log-loss of the weighted mean of probabilities
 *   (maximum-likelihood mixture weights by EM); regression: the weights that minimize the squared error of
 *   the weighted mean (exponentiated gradient). Both stay on the simplex.
 *
 * @example
 * ```ts
 * const members = [Float32Array.of(0.9, 0.1, 0.2, 0.8), Float32Array.of(0.5, 0.5, 0.5, 0.5)];
 * WEIGHT_FITTERS.get('logloss')({ members, golds: [0, 1], k: 2, type: 'classification' });
 * // Float64Array [1, 0] (approximately: the informative member takes all the weight)
 * ```
 */
export const WEIGHT_FITTERS = new Registry<WeightFitter>('ensemble weight fitter')
  .register('metric', (input) => {
    const metric = input.metric ?? (input.type === 'regression' ? 'pearson' : 'accuracy');
    const scorer = new Scorer({ metrics: [metric] });
    const scores = input.members.map((probs) => {
      const preds = input.type === 'regression' ? probs : predsFromProbs(probs, input.k);
      return scorer.score(input.golds, preds, input.type === 'regression' ? undefined : probs)[metric]!;
    });
    return softmaxWeights(scores, input.temperature ?? 1);
  })
  .register('logloss', (input) => (input.type === 'regression' ? fitSquaredError(input) : fitLogLoss(input)));
