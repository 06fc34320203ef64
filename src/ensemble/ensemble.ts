/** The Ensemble: members (models or precomputed outputs) combined row by row under a named combiner. */
import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import { Scorer } from '../metrics/index.js';
import { MultitaskModel, Payload, predsFromProbs, type TiePolicy } from '../tasks/index.js';
import { COMBINERS } from './combiners.js';
import {
  alignMembers,
  memberOutputs,
  type EnsembleOutputType,
  type MemberOutputs,
} from './member-outputs.js';
import { WEIGHT_FITTERS } from './weights.js';

/**
 * Ensemble settings, validated with defaults.
 *
 * @example
 * ```ts
 * EnsembleConfig.parse({ task: 'RTE' }); // { task: 'RTE', combiner: 'mean', weights: null, tiePolicy: 'first' }
 * ```
 */
export const EnsembleConfig = z
  .object({
    /** The task every member predicts (a classification or regression task of the models). */
    task: z.string().min(1),
    /** Combiner name from COMBINERS: 'mean', 'weighted' or 'vote'. */
    combiner: z.string().default('mean'),
    /** Member weights for 'weighted' (normalized to sum 1); null until `fitWeights` sets them. */
    weights: z.array(z.number().min(0)).nullable().default(null),
    /** How predictions break ties between equally likely classes (see TiePolicy). */
    tiePolicy: z.enum(['first', 'abstain', 'random', 'true-random']).default('first'),
  })
  .strict();

/** Ensemble options as a user writes them. */
export type EnsembleOptions = z.input<typeof EnsembleConfig>;

/** A member: a model (run on its own payload) or precomputed outputs. */
export type EnsembleMember = MultitaskModel | MemberOutputs;

/**
 * What a member reads for one set of rows: a payload its model scores, precomputed outputs, or undefined
 * (a precomputed member's own outputs).
 */
export type MemberInput = Payload | MemberOutputs | undefined;

/** Options of {@link Ensemble.fitWeights}. */
export interface FitWeightsOptions {
  /** Fitter from WEIGHT_FITTERS: 'metric' (softmax over validation metrics, MeTaL's wavg) or 'logloss' (default). */
  method?: string;
  /** Metric of the 'metric' fitter (default accuracy; regression pearson). */
  metric?: string;
  /** Softmax temperature of the 'metric' fitter (default 1). */
  temperature?: number;
}

/**
 * The combined outputs of an ensemble for a set of rows, with every member's aligned outputs.
 *
 * @example
 * ```ts
 * const pred = ensemble.predict(devPayload);
 * pred.score(golds, ['accuracy', 'f1']); // { accuracy: 0.81, f1: 0.82 }
 * pred.scoreMembers(golds); // [{ accuracy: 0.79 }, { accuracy: 0.8 }, { accuracy: 0.78 }]
 * ```
 */
export class EnsemblePrediction {
  constructor(
    /** Row ids in output order (the first member's order). */
    readonly rowIds: readonly string[],
    /** Combined probabilities [n, k] (regression: values). */
    readonly probs: Float32Array,
    /** Predicted classes (regression: values). */
    readonly preds: Int32Array | Float32Array,
    /** Columns of `probs`. */
    readonly k: number,
    /** Classification or regression. */
    readonly type: EnsembleOutputType,
    /** Every member's outputs, aligned to `rowIds`. */
    readonly members: readonly Float32Array[],
  ) {}

  /** Scores the combined predictions against `golds` (in `rowIds` order; -1 / NaN = missing). */
  score(
    golds: ArrayLike<number>,
    metrics: readonly string[] = this.defaultMetrics(),
  ): Record<string, number> {
    return this.scoreOne(golds, metrics, this.preds, this.probs);
  }

  /** Scores each member alone, in member order. */
  scoreMembers(
    golds: ArrayLike<number>,
    metrics: readonly string[] = this.defaultMetrics(),
  ): Record<string, number>[] {
    return this.members.map((p) =>
      this.scoreOne(golds, metrics, this.type === 'regression' ? p : predsFromProbs(p, this.k), p),
    );
  }

  private defaultMetrics(): string[] {
    return this.type === 'regression' ? ['pearson', 'spearman'] : ['accuracy'];
  }

  private scoreOne(
    golds: ArrayLike<number>,
    metrics: readonly string[],
    preds: ArrayLike<number>,
    probs: Float32Array,
  ): Record<string, number> {
    if (golds.length !== this.rowIds.length) {
      throw new MmtlError(
        'E_SHAPE',
        `Argument 'golds' passed to 'EnsemblePrediction.score' has ${golds.length} rows, expected ${this.rowIds.length}`,
      );
    }
    const scorer = new Scorer({ metrics: [...metrics] });
    if (this.type === 'regression') return scorer.score(golds, preds);
    // binary tasks: the positive-class column, as ROC-AUC expects
    const p = this.k === 2 ? probs.filter((_, i) => i % 2 === 1) : probs;
    return scorer.score(golds, preds, p);
  }
}

/**
 * Several members predicting the same task for the same rows, combined row by row. Members may differ in
 * encoder and tokenization: each scores its own payload, and outputs are aligned by row id (E_DATA when
 * members' row ids differ). Combiners live in COMBINERS (mean, weighted, vote); weights for 'weighted' are
 * given or fitted on validation data with {@link Ensemble.fitWeights}.
 *
 * @example
 * ```ts
 * const ens = new Ensemble([cased, uncased], { task: 'RTE', combiner: 'mean' });
 * const pred = ens.predict([casedDev, uncasedDev]); // each model reads its own payload of the same rows
 * pred.preds; // Int32Array [1, 0, …]
 * pred.score(golds, ['accuracy']); // { accuracy: 0.64 }
 * ```
 */
export class Ensemble {
  readonly members: readonly EnsembleMember[];
  readonly task: string;
  readonly combiner: string;
  readonly tiePolicy: TiePolicy;
  private memberWeights: Float64Array | null;

  constructor(members: readonly EnsembleMember[], options: EnsembleOptions) {
    const r = EnsembleConfig.safeParse(options);
    if (!r.success) {
      throw new MmtlError(
        'E_CONFIG',
        `Argument 'options' passed to 'Ensemble' is invalid:\n${z.prettifyError(r.error)}`,
        {
          details: { issues: r.error.issues },
        },
      );
    }
    if (members.length === 0)
      throw new MmtlError('E_ARG', "Argument 'members' passed to 'Ensemble' is empty");
    COMBINERS.get(r.data.combiner); // unknown combiners fail here, listing the names
    this.members = [...members];
    this.task = r.data.task;
    this.combiner = r.data.combiner;
    this.tiePolicy = r.data.tiePolicy;
    this.memberWeights = null;
    if (r.data.weights !== null) this.setWeights(r.data.weights);
  }

  /** The member weights (sum 1), or null when none were given or fitted. */
  get weights(): Float64Array | null {
    return this.memberWeights;
  }

  /** Sets the member weights (non-negative, one per member; normalized to sum 1). */
  setWeights(weights: ArrayLike<number>): this {
    const w = Float64Array.from(weights);
    const total = w.reduce((a, b) => a + b, 0);
    if (w.length !== this.members.length || w.some((v) => !(v >= 0)) || !(total > 0)) {
      throw new MmtlError(
        'E_ARG',
        `Argument 'weights' passed to 'Ensemble.setWeights' must be ${this.members.length} non-negative numbers with a positive sum, got [${Array.from(w).join(', ')}]`,
      );
    }
    this.memberWeights = w.map((v) => v / total);
    return this;
  }

  /**
   * Each member's outputs for one set of rows. `inputs` is one payload for every model member (same
   * tokenization), or one entry per member: a payload for its model, precomputed outputs, or undefined for a
   * precomputed member's own outputs.
   */
  outputs(inputs: Payload | readonly MemberInput[] = []): MemberOutputs[] {
    const list = inputs instanceof Payload ? this.members.map(() => inputs) : inputs;
    if (!(inputs instanceof Payload) && list.length !== 0 && list.length !== this.members.length) {
      throw new MmtlError(
        'E_ARG',
        `Argument 'inputs' passed to 'Ensemble.outputs' has ${list.length} entries, expected one per member (${this.members.length})`,
      );
    }
    return this.members.map((member, i) => {
      const input = list[i];
      if (input instanceof Payload) {
        if (!(member instanceof MultitaskModel)) {
          throw new MmtlError(
            'E_ARG',
            `Argument 'inputs[${i}]' passed to 'Ensemble.outputs' is a payload, but member ${i} is precomputed outputs`,
          );
        }
        return memberOutputs(member, input, this.task, { tiePolicy: this.tiePolicy });
      }
      if (input !== undefined) return input;
      if (member instanceof MultitaskModel) {
        throw new MmtlError(
          'E_ARG',
          `Argument 'inputs[${i}]' passed to 'Ensemble.outputs' is missing: member ${i} is a model and needs a payload`,
        );
      }
      return member;
    });
  }

  /** Combines precomputed member outputs (one per member) with the ensemble's combiner. */
  combine(outputs: readonly MemberOutputs[]): EnsemblePrediction {
    if (outputs.length !== this.members.length) {
      throw new MmtlError(
        'E_ARG',
        `Argument 'outputs' passed to 'Ensemble.combine' has ${outputs.length} entries, expected ${this.members.length}`,
      );
    }
    const aligned = alignMembers(outputs, 'Ensemble.combine');
    const { k, type, rowIds } = outputs[0]!;
    const combined = COMBINERS.get(this.combiner).combine({
      members: aligned,
      k,
      type,
      weights: this.memberWeights,
      tiePolicy: this.tiePolicy,
    });
    return new EnsemblePrediction(rowIds, combined.probs, combined.preds, k, type, aligned);
  }

  /** Runs every member on its input (see {@link Ensemble.outputs}) and combines the outputs. */
  predict(inputs: Payload | readonly MemberInput[] = []): EnsemblePrediction {
    return this.combine(this.outputs(inputs));
  }

  /**
   * Fits the member weights on validation rows (inputs as in {@link Ensemble.outputs}; `golds` in the first
   * member's row order) with a fitter from WEIGHT_FITTERS, and returns them. Use the 'weighted' combiner to
   * apply them.
   */
  fitWeights(
    inputs: Payload | readonly MemberInput[],
    golds: ArrayLike<number>,
    options: FitWeightsOptions = {},
  ): Float64Array {
    const outputs = this.outputs(inputs);
    const aligned = alignMembers(outputs, 'Ensemble.fitWeights');
    const { k, type, rowIds } = outputs[0]!;
    if (golds.length !== rowIds.length) {
      throw new MmtlError(
        'E_SHAPE',
        `Argument 'golds' passed to 'Ensemble.fitWeights' has ${golds.length} rows, expected ${rowIds.length}`,
      );
    }
    const fit = WEIGHT_FITTERS.get(options.method ?? 'logloss');
    this.setWeights(fit({ members: aligned, golds, k, type, ...options }));
    return this.memberWeights!;
  }

  /** Frees every model member's weights. */
  dispose(): void {
    for (const m of this.members) if (m instanceof MultitaskModel) m.dispose();
  }
}
