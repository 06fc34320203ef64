import { type LabelMatrixLike, validateGold } from './label-matrix.js';
import { type PredictOptions, probsToPreds } from './predict.js';
import { type LabelMetric, scorePredictions } from './score.js';

/**
 * Base of every label model and voter: subclasses supply `predictProba`; `predict` and `score` follow.
 *
 * @example
 * ```ts
 * const voter = new MajorityLabelVoter(2); // a Labeler
 * voter.score(L, Y, ['accuracy', 'f1'], { tieBreakPolicy: 'random' }); // { accuracy: 0.84, f1: 0.81 }
 * ```
 */
export abstract class Labeler {
  /** Number of classes. */
  abstract readonly k: number;

  /** `n × k` row-major class probabilities for each row of `L`. */
  abstract predictProba(L: LabelMatrixLike): Float64Array;

  /**
   * Hard labels (`-1` where a tie is left unresolved by the `'abstain'` policy). The `'random'` policy
   * hashes the row index (as Snorkel does), so it is deterministic.
   */
  predict(L: LabelMatrixLike, opts: PredictOptions = {}): Int32Array {
    return probsToPreds(this.predictProba(L), this.k, opts);
  }

  /** Scores `predict(L, opts)` against gold `Y` (rows with gold `-1` are skipped). */
  score(
    L: LabelMatrixLike,
    Y: ArrayLike<number>,
    metrics: readonly LabelMetric[] = ['accuracy'],
    opts: PredictOptions = {},
  ): Record<string, number> {
    validateGold(Y, L.n, this.k, `${this.constructor.name}.score`);
    return scorePredictions(this.predict(L, opts), Y, this.k, metrics);
  }
}
