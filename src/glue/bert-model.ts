import { z } from 'zod';
import {
  BertModel,
  Dropout,
  Linear,
  MLP,
  MODULES,
  Module,
  parseConfig,
  type ModuleConfig,
} from '../nn/index.js';
import { MultitaskModel, Task, type Operation } from '../tasks/index.js';
import type { Tensor } from '../tensor/index.js';
import { glueTask } from './registry.js';

const BertEncoderConfig = z.looseObject({
  kind: z.literal('BertEncoder'),
  bert: z.looseObject({ kind: z.string() }),
});

/**
 * Adapts {@link BertModel} to the op graph's positional inputs: `forward(inputIds, mask, tokenTypeIds)` →
 * `{ sequence [B, T, H], pooled [B, H] }` (pooled = the pretrained pooler over [CLS], or [CLS] itself).
 *
 * @example
 * ```ts
 * const enc = new BertEncoder(await BertModel.fromPretrained('bert-dir'));
 * enc.forward(ids, mask, types).pooled.shape; // [B, hidden]
 * ```
 */
export class BertEncoder extends Module {
  static readonly kind = 'BertEncoder';
  readonly bert: BertModel;

  constructor(bert: BertModel) {
    super();
    this.bert = this.registerModule('bert', bert);
  }

  /** ids, mask, types [B, T] → sequence [B, T, H] and pooled [B, H]. */
  forward(
    inputIds: Tensor,
    attentionMask: Tensor,
    tokenTypeIds?: Tensor,
  ): { sequence: Tensor; pooled: Tensor } {
    const out = this.bert.forward({ inputIds, attentionMask, tokenTypeIds });
    return { sequence: out.sequenceOutput, pooled: out.pooledOutput ?? out.sequenceOutput.select(1, 0) };
  }

  toConfig(): ModuleConfig {
    return { kind: BertEncoder.kind, bert: this.bert.toConfig() };
  }

  /** Rebuilds from {@link toConfig} output (fresh weights). */
  static fromConfig(config: ModuleConfig): BertEncoder {
    const c = parseConfig(BertEncoderConfig, config, 'BertEncoder.fromConfig');
    return new BertEncoder(BertModel.fromConfig(c.bert as ModuleConfig));
  }
}
MODULES.register(BertEncoder.kind, (c) => BertEncoder.fromConfig(c));

/** Options of {@link buildGlueBertModel}. */
export interface GlueBertModelOptions {
  /** GLUE task names; all share the BERT encoder (MeTaL's setup). */
  tasks: readonly string[];
  /** The encoder, e.g. `await BertModel.fromPretrained(dir)`. */
  bert: BertModel;
  /** Dropout on the pooled vector (default 0.1, as MeTaL's BertExtractCls). */
  dropout?: number;
  /** Hidden layer of each head (default 0: MeTaL's linear head). */
  headHidden?: number;
}

/**
 * MeTaL's GLUE model: one shared BERT, [CLS] through the pooler and dropout, a small head per task. Inputs
 * are the fields of `glueDataset` (`input_ids`, its mask, `token_type_ids`); label sets `<TASK>_gold`.
 *
 * @example
 * ```ts
 * const model = buildGlueBertModel({ tasks: ['RTE', 'MRPC'], bert: await BertModel.fromPretrained(dir) });
 * ```
 */
export function buildGlueBertModel(options: GlueBertModelOptions): MultitaskModel {
  const encoder = new BertEncoder(options.bert);
  const dropout = new Dropout(options.dropout ?? 0.1);
  const hidden = options.bert.config.hiddenSize;
  const shared: Operation[] = [
    {
      name: 'bert',
      module: 'encoder',
      inputs: ['_input_.input_ids', '_input_.input_ids_mask', '_input_.token_type_ids'],
    },
    { name: 'cls', module: 'cls_dropout', inputs: [['bert', 'pooled']] },
  ];
  const model = new MultitaskModel();
  for (const name of options.tasks) {
    const spec = glueTask(name);
    const k = spec.head.kind === 'classification' ? spec.head.cardinality : 1;
    const headHidden = options.headHidden ?? 0;
    const head = headHidden > 0 ? new MLP([hidden, headHidden, k]) : new Linear(hidden, k);
    model.addTask(
      new Task({
        name: spec.name,
        type: spec.head.kind === 'classification' ? 'classification' : 'regression',
        cardinality: k,
        modules: { encoder, cls_dropout: dropout, [`${spec.name}_head`]: head },
        ops: [...shared, { name: `${spec.name}_head`, module: `${spec.name}_head`, inputs: ['cls'] }],
        metrics: [spec.primaryMetric, ...spec.metrics.filter((m) => m !== spec.primaryMetric)],
      }),
    );
  }
  return model;
}
