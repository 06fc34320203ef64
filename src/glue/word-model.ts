import { MmtlError } from '../core/index.js';
import { BiLSTM, Embedding, Linear, MLP, PairFeatures, SoftAttention, type Module } from '../nn/index.js';
import { MultitaskModel, Task, type Operation } from '../tasks/index.js';
import { glueTask } from './registry.js';

/** Options of {@link buildGlueWordModel}. */
export interface GlueWordModelOptions {
  /** GLUE task names, e.g. ['RTE', 'MRPC']; all share the embedding and the BiLSTM. */
  tasks: readonly string[];
  /** Vocabulary size (rows of the embedding). */
  vocabSize: number;
  /** Embedding width (100 for the shipped GloVe). */
  embeddingDim?: number;
  /** Pretrained vectors [vocabSize × embeddingDim] (GloVe); random N(0, 1) rows when omitted. */
  vectors?: Float32Array;
  /** Keep the pretrained vectors fixed (default false). */
  freezeEmbeddings?: boolean;
  /** BiLSTM hidden size per direction (default 128). */
  hiddenSize?: number;
  /** Add MeTaL's soft attention (one per task) between the encoder features and the head (default false). */
  attention?: boolean;
  /** Hidden layer of each task head (default 128; 0 = linear head). */
  headHidden?: number;
  /** Dropout in the heads (default 0.1). */
  dropout?: number;
  /** Task names get this suffix (e.g. per-task copies in ensembles); default none. */
  taskSuffix?: string;
}

/**
 * The GLUE BiLSTM baseline (Wang et al. 2018) as a multi-task model: one shared embedding (GloVe when
 * given) and one shared max-pooled BiLSTM encoder; sentence-pair tasks combine the two sentence vectors as
 * `[u, v, |u − v|, u ⊙ v]`; each task has its own MLP head (and optional soft attention). Inputs are the
 * fields of `glueWordDataset` (`tokens`, `tokens_b`), label sets `<TASK>_gold`.
 *
 * @example
 * ```ts
 * const model = buildGlueWordModel({ tasks: ['RTE', 'MRPC'], vocabSize: vocab.size, vectors: matrix });
 * model.taskNames(); // ['RTE', 'MRPC']
 * ```
 */
export function buildGlueWordModel(options: GlueWordModelOptions): MultitaskModel {
  const dim = options.embeddingDim ?? 100;
  if (options.vectors && options.vectors.length !== options.vocabSize * dim) {
    throw new MmtlError(
      'E_SHAPE',
      `Argument 'vectors' passed to 'buildGlueWordModel' has ${options.vectors.length} floats, expected ${options.vocabSize} × ${dim}`,
    );
  }
  const hidden = options.hiddenSize ?? 128;
  const embed = options.vectors
    ? Embedding.fromPretrained(options.vectors, options.vocabSize, dim, {
        freeze: options.freezeEmbeddings ?? false,
        paddingIdx: 0,
      })
    : new Embedding(options.vocabSize, dim, { paddingIdx: 0 });
  const encoder = new BiLSTM(dim, hidden, { pooling: 'max' });
  const pair = new PairFeatures();
  const model = new MultitaskModel();
  for (const name of options.tasks) {
    const spec = glueTask(name);
    const isPair =
      spec.splits.train?.textB !== undefined || spec.splits.dev?.textB !== undefined || name === 'MNLI';
    const k = spec.head.kind === 'classification' ? spec.head.cardinality : 1;
    const taskName = `${spec.name}${options.taskSuffix ?? ''}`;
    const modules: Record<string, Module> = { embed, encoder };
    const ops: Operation[] = [
      { name: 'embed_a', module: 'embed', inputs: ['_input_.tokens'] },
      { name: 'encode_a', module: 'encoder', inputs: ['embed_a', '_input_.tokens_lengths'] },
    ];
    let features: Operation['inputs'][number] = ['encode_a', 'pooled'];
    let width = 2 * hidden;
    if (isPair) {
      modules.pair = pair;
      ops.push(
        { name: 'embed_b', module: 'embed', inputs: ['_input_.tokens_b'] },
        { name: 'encode_b', module: 'encoder', inputs: ['embed_b', '_input_.tokens_b_lengths'] },
        {
          name: 'pair',
          module: 'pair',
          inputs: [
            ['encode_a', 'pooled'],
            ['encode_b', 'pooled'],
          ],
        },
      );
      features = 'pair';
      width = 8 * hidden;
    }
    if (options.attention) {
      modules[`${taskName}_attention`] = new SoftAttention(width);
      ops.push({ name: `${taskName}_attention`, module: `${taskName}_attention`, inputs: [features] });
      features = `${taskName}_attention`;
    }
    const headHidden = options.headHidden ?? 128;
    modules[`${taskName}_head`] =
      headHidden > 0
        ? new MLP([width, headHidden, k], { dropout: options.dropout ?? 0.1 })
        : new Linear(width, k);
    ops.push({ name: `${taskName}_head`, module: `${taskName}_head`, inputs: [features] });
    const metrics = [spec.primaryMetric, ...spec.metrics.filter((m) => m !== spec.primaryMetric)];
    model.addTask(
      new Task({
        name: taskName,
        type: spec.head.kind === 'classification' ? 'classification' : 'regression',
        cardinality: k,
        modules,
        ops,
        metrics,
      }),
    );
  }
  return model;
}
