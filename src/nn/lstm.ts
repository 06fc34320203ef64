/** LSTM / BiLSTM over padded batches with lengths (packed), plus a pooled sentence vector. */
import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import { lstm, type DType, type Tensor } from '../tensor/index.js';
import { uniformInit } from './init.js';
import { lengthsTensor, sequenceMask } from './masks.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';

/** How {@link LSTM} pools its outputs into one vector per row. */
export type LstmPooling = 'last' | 'max' | 'mean';

const LstmConfig = z.object({
  kind: z.string(),
  inputSize: z.int().positive(),
  hiddenSize: z.int().positive(),
  numLayers: z.int().positive().default(1),
  bidirectional: z.boolean().default(false),
  dropout: z.number().min(0).max(1).default(0),
  pooling: z.enum(['last', 'max', 'mean']).default('last'),
});

/** Options of {@link LSTM}. */
export interface LstmModuleOptions {
  /** Stacked layers (default 1). */
  numLayers?: number;
  /** Run both directions and concatenate them (default false). */
  bidirectional?: boolean;
  /** Dropout between layers in training mode (default 0). */
  dropout?: number;
  /** Pooled vector: final hidden state, max or mean over the valid tokens (default 'last'). */
  pooling?: LstmPooling;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/** What {@link LSTM.forward} returns. */
export interface LstmOutput {
  /** Every step's hidden state [B, T, D·H] (zeros past each row's length). */
  output: Tensor;
  /** One vector per row [B, D·H], by the module's pooling. */
  pooled: Tensor;
  /** Final hidden state [layers·D, B, H]. */
  h: Tensor;
  /** Final cell state [layers·D, B, H]. */
  c: Tensor;
}

/**
 * libtorch's fused LSTM with PyTorch's parameter names (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`,
 * `bias_hh_l0`, `…_reverse`) and initialization U(±1/√H). With `lengths`, rows run packed so padding never
 * enters the state, and the pooled vector covers valid tokens only.
 *
 * @example
 * ```ts
 * const rnn = new LSTM(16, 32, { bidirectional: true, pooling: 'max' });
 * const { output, pooled } = rnn.forward(randn([4, 10, 16]), [10, 7, 3, 1]);
 * output.shape; // [4, 10, 64]
 * pooled.shape; // [4, 64]
 * ```
 */
export class LSTM extends Module {
  static readonly kind: string = 'LSTM';
  readonly numLayers: number;
  readonly bidirectional: boolean;
  readonly dropout: number;
  readonly pooling: LstmPooling;

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    options: LstmModuleOptions = {},
  ) {
    super();
    this.numLayers = options.numLayers ?? 1;
    this.bidirectional = options.bidirectional ?? false;
    this.dropout = options.dropout ?? 0;
    this.pooling = options.pooling ?? 'last';
    const bound = 1 / Math.sqrt(hiddenSize);
    const dirs = this.bidirectional ? 2 : 1;
    for (let l = 0; l < this.numLayers; l++) {
      const inSize = l === 0 ? inputSize : hiddenSize * dirs;
      for (let d = 0; d < dirs; d++) {
        const sfx = `l${l}${d === 1 ? '_reverse' : ''}`;
        this.registerParameter(`weight_ih_${sfx}`, uniformInit([4 * hiddenSize, inSize], bound, options));
        this.registerParameter(`weight_hh_${sfx}`, uniformInit([4 * hiddenSize, hiddenSize], bound, options));
        this.registerParameter(`bias_ih_${sfx}`, uniformInit([4 * hiddenSize], bound, options));
        this.registerParameter(`bias_hh_${sfx}`, uniformInit([4 * hiddenSize], bound, options));
      }
    }
  }

  /** Directions (1 or 2). */
  get directions(): number {
    return this.bidirectional ? 2 : 1;
  }
  /** Size of each output vector: directions · hiddenSize. */
  get outputSize(): number {
    return this.directions * this.hiddenSize;
  }

  /**
   * x [B, T, inputSize] and optional per-row lengths (int64 tensor [B] or numbers, each in 1..T; or a
   * 0/1 mask [B, T] with valid tokens first) → output [B, T, D·H], pooled [B, D·H], h and c [layers·D, B, H].
   */
  forward(x: Tensor, lengths?: Tensor | readonly number[]): LstmOutput {
    if (x.rank !== 3 || x.shape[2] !== this.inputSize) {
      throw new MmtlError(
        'E_SHAPE',
        `Argument 'x' passed to 'LSTM.forward' must be [B, T, ${this.inputSize}], got [${x.shape.join(', ')}]`,
      );
    }
    const [B, T] = x.shape as [number, number, number];
    const lens = lengths === undefined ? undefined : lengthsTensor(lengths); // [B]
    if (lens && (lens.rank !== 1 || lens.shape[0] !== B)) {
      throw new MmtlError(
        'E_SHAPE',
        `Argument 'lengths' passed to 'LSTM.forward' must be [${B}], got [${lens.shape.join(', ')}]`,
      );
    }
    const { output, h, c } = lstm(x, this.parameters(), {
      numLayers: this.numLayers,
      bidirectional: this.bidirectional,
      dropout: this.dropout,
      train: this.training,
      lengths: lens,
    }); // output [B, T, D·H], h/c [L·D, B, H]
    return { output, pooled: this.pool(output, h, lens, T), h, c };
  }

  private pool(output: Tensor, h: Tensor, lens: Tensor | undefined, T: number): Tensor {
    const D = this.directions;
    if (this.pooling === 'last') {
      const last = h.slice(0, (this.numLayers - 1) * D, this.numLayers * D); // [D, B, H]
      return last.permute([1, 0, 2]).reshape([-1, D * this.hiddenSize]); // [B, D·H]
    }
    if (!lens) return this.pooling === 'max' ? output.amax(1) : output.mean(1); // [B, D·H]
    const valid = sequenceMask(lens, T).unsqueeze(2); // [B, T, 1]
    if (this.pooling === 'max') return output.maskedFill(valid.logicalNot(), -Infinity).amax(1); // [B, D·H]
    return output.sum(1).div(lens.unsqueeze(1).to(output.dtype)); // [B, D·H] (padding is zero)
  }

  toConfig(): ModuleConfig {
    return {
      kind: LSTM.kind,
      inputSize: this.inputSize,
      hiddenSize: this.hiddenSize,
      numLayers: this.numLayers,
      bidirectional: this.bidirectional,
      dropout: this.dropout,
      pooling: this.pooling,
    };
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): LSTM {
    const c = parseConfig(LstmConfig, config, 'LSTM.fromConfig');
    return new LSTM(c.inputSize, c.hiddenSize, c);
  }
}
MODULES.register(LSTM.kind, (c) => LSTM.fromConfig(c));

/**
 * A bidirectional {@link LSTM} (the usual sentence encoder): output [B, T, 2H], pooled [B, 2H].
 *
 * @example
 * ```ts
 * const enc = new BiLSTM(100, 64, { pooling: 'mean' });
 * enc.forward(randn([2, 5, 100]), [5, 2]).pooled.shape; // [2, 128]
 * ```
 */
export class BiLSTM extends LSTM {
  static override readonly kind: string = 'BiLSTM';

  constructor(inputSize: number, hiddenSize: number, options: Omit<LstmModuleOptions, 'bidirectional'> = {}) {
    super(inputSize, hiddenSize, { ...options, bidirectional: true });
  }

  override toConfig(): ModuleConfig {
    const { bidirectional: _, ...rest } = super.toConfig();
    return { ...rest, kind: BiLSTM.kind };
  }

  /** Rebuilds from {@link toConfig} output. */
  static override fromConfig(config: ModuleConfig): BiLSTM {
    const c = parseConfig(LstmConfig, config, 'BiLSTM.fromConfig');
    return new BiLSTM(c.inputSize, c.hiddenSize, c);
  }
}
MODULES.register(BiLSTM.kind, (c) => BiLSTM.fromConfig(c));
