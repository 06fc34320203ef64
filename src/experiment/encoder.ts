import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry, Rng, resolveDataPath } from '../core/index.js';
import {
  BertTokenizer,
  WordVocab,
  embeddingMatrixFor,
  loadGloveDir,
  type WordVocabConfig,
} from '../data/index.js';
import {
  BertEncoder,
  buildGlueBertModel,
  buildGlueWordModel,
  glueDataset,
  glueWordDataset,
  type GlueRow,
} from '../glue/index.js';
import { BertModel, BiLSTM, Dropout, Embedding, PairFeatures, type Module } from '../nn/index.js';
import {
  MultitaskModel,
  sequenceField,
  type Dataset,
  type Field,
  type InputRef,
  type Operation,
} from '../tasks/index.js';
import type { RunFolder } from './run-folder.js';
import { DEFAULT_GLOVE_DIR, type ExperimentConfig } from './schema.js';

/** The encoder settings of an experiment. */
export type EncoderConfig = ExperimentConfig['encoder'];

/** The data side of a text encoder: how texts become input fields. */
export interface TextEncoding {
  /** The word vocabulary (word encoders; saved as the run's `vocab.json`). */
  readonly vocab?: WordVocab | undefined;
  /** A dataset of GLUE rows of `task`, with its gold labels when the rows have them. */
  glueDataset(task: string, rows: readonly GlueRow[]): Dataset;
  /** Input fields of texts (`b`: the second text of pairs). */
  fields(a: readonly string[], b?: readonly string[]): Record<string, Field>;
  /** Input fields of pre-split words (token tasks; `tokens`, one id per word), or undefined when unsupported. */
  wordFields?(words: readonly (readonly string[])[]): Record<string, Field>;
}

/** Modules and ops that turn a batch's text fields into features for a head. */
export interface Features {
  /** Modules by name (shared ones keep their shared names). */
  modules: Record<string, Module>;
  /** Ops in order. */
  ops: Operation[];
  /** The op (or op key) holding the features: [B, width] (token features: [B, T, width]). */
  output: InputRef;
  /** Feature width. */
  width: number;
}

/** The model side of a text encoder, shared by every text task of an experiment. */
export interface SharedEncoder {
  /** Features of one text (`pair`: of two texts, combined). */
  features(pair: boolean): Features;
  /** Per-word features (token tasks), or undefined when the encoder has none. */
  tokenFeatures?(): Features;
  /** Hidden layer of the heads (0 = linear) and their dropout. */
  head: { hidden: number; dropout: number };
  /** Whether each task gets MeTaL's soft attention over the features. */
  attention: boolean;
}

/** What {@link EncoderFactory.build} returns: the GLUE tasks' model (maybe empty) and the shared encoder. */
export interface BuiltEncoder {
  model: MultitaskModel;
  shared: SharedEncoder;
}

/** One kind of text encoder: its data side (fresh or from a run folder) and its model. */
export interface EncoderFactory {
  /** The data side from the training texts (or from `saved`, the run folder of a resumed run). */
  prepare(
    cfg: EncoderConfig,
    ctx: { texts: readonly string[]; maxLength: number; saved?: RunFolder },
  ): Promise<TextEncoding>;
  /** The data side of a trained run (for predict and eval). */
  restore(cfg: EncoderConfig, ctx: { maxLength: number; folder: RunFolder }): Promise<TextEncoding>;
  /**
   * The shared encoder and the GLUE tasks' model over it (fresh weights; initialized in a fixed order).
   * `onWarning` receives what the user should know but that does not stop the run (e.g. a BERT checkpoint
   * without pooler weights).
   */
  build(
    cfg: EncoderConfig,
    encoding: TextEncoding,
    ctx: { glueTasks: readonly string[]; seed: number; onWarning?: (message: string) => void },
  ): Promise<BuiltEncoder>;
}

let packageRoot: string | null | undefined;

/** The folder of mmtl's own package.json (a clone or an installed package), or null. */
function findPackageRoot(): string | null {
  if (packageRoot !== undefined) return packageRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'mmtl')
          return (packageRoot = dir);
      } catch {
        // not ours: keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) return (packageRoot = null);
    dir = up;
  }
}

/**
 * Where a data folder named in an experiment is: the path itself when it exists (relative to the working
 * directory), else the same relative path inside mmtl's package (the shipped `data/…` folders), else the
 * path as given (its loader then says what is missing).
 *
 * @example
 * ```ts
 * shippedDataPath('data/glove-6b-100d-top30k'); // '/…/mmtl/data/glove-6b-100d-top30k' from any folder
 * ```
 */
export function shippedDataPath(path: string): string {
  if (existsSync(path) || isAbsolute(path)) return path;
  const root = findPackageRoot();
  return root !== null && existsSync(join(root, path)) ? join(root, path) : path;
}

function wordIds(vocab: WordVocab, text: string, maxLength: number): Int32Array {
  const ids = vocab.encode(text).subarray(0, maxLength);
  // An LSTM cannot read an empty row: a text with no words becomes one [UNK].
  return ids.length > 0 ? ids : Int32Array.of(WordVocab.UNK_ID);
}

function wordEncoding(vocab: WordVocab, maxLength: number): TextEncoding {
  return {
    vocab,
    glueDataset: (task, rows) => glueWordDataset(rows, { task, vocab, maxLength }),
    fields: (a, b) => ({
      tokens: sequenceField(
        a.map((t) => wordIds(vocab, t, maxLength)),
        WordVocab.PAD_ID,
      ),
      ...(b === undefined
        ? {}
        : {
            tokens_b: sequenceField(
              b.map((t) => wordIds(vocab, t, maxLength)),
              WordVocab.PAD_ID,
            ),
          }),
    }),
    wordFields: (words) => ({
      tokens: sequenceField(
        words.map((ws) => {
          const ids = Int32Array.from(ws.slice(0, maxLength), (w) => vocab.encode(w)[0] ?? WordVocab.UNK_ID);
          return ids.length > 0 ? ids : Int32Array.of(WordVocab.UNK_ID);
        }),
        WordVocab.PAD_ID,
      ),
    }),
  };
}

function bertEncoding(tokenizer: BertTokenizer, maxLength: number): TextEncoding {
  return {
    glueDataset: (task, rows) => glueDataset(rows, { task, tokenizer, maxLength }),
    fields: (a, b) => {
      const ids: number[][] = [];
      const types: number[][] = [];
      a.forEach((text, i) => {
        const enc = tokenizer.encode(text, b?.[i] ?? null, { maxLength, truncation: 'longest_first' });
        ids.push(enc.ids);
        types.push(enc.typeIds);
      });
      return {
        input_ids: sequenceField(ids, tokenizer.padId),
        token_type_ids: sequenceField(types, 0),
      };
    },
  };
}

type BiLstmConfig = Extract<EncoderConfig, { kind: 'bilstm' }>;
type BertConfig = Extract<EncoderConfig, { kind: 'bert' }>;

/** The BiLSTM's shared modules, taken from the GLUE model when it has them (so GLUE and custom tasks share). */
function bilstmShared(
  cfg: BiLstmConfig,
  model: MultitaskModel,
  fresh: () => { embed: Module; encoder: Module },
): SharedEncoder {
  const got = model.modules.get('embed');
  const { embed, encoder } =
    got === undefined ? fresh() : { embed: got, encoder: model.modules.get('encoder')! };
  const pair = model.modules.get('pair') ?? new PairFeatures();
  const h = cfg.hiddenSize;
  const a: Operation[] = [
    { name: 'embed_a', module: 'embed', inputs: ['_input_.tokens'] },
    { name: 'encode_a', module: 'encoder', inputs: ['embed_a', '_input_.tokens_lengths'] },
  ];
  return {
    features: (isPair): Features =>
      isPair
        ? {
            modules: { embed, encoder, pair },
            ops: [
              ...a,
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
            ],
            output: 'pair',
            width: 8 * h,
          }
        : { modules: { embed, encoder }, ops: [...a], output: ['encode_a', 'pooled'], width: 2 * h },
    tokenFeatures: (): Features => ({
      modules: { embed, encoder },
      ops: [...a],
      output: ['encode_a', 'output'],
      width: 2 * h,
    }),
    head: { hidden: cfg.headHidden, dropout: cfg.dropout },
    attention: cfg.attention,
  };
}

/**
 * The text encoders by `encoder.kind`: the one place that knows how each kind encodes texts, restores its
 * data side from a run folder, and builds its shared modules. The keys make the error message for an
 * unknown kind.
 *
 * @example
 * ```ts
 * const f = ENCODERS.get(cfg.encoder.kind);
 * const encoding = await f.prepare(cfg.encoder, { texts, maxLength: 64 });
 * const { model, shared } = await f.build(cfg.encoder, encoding, { glueTasks: ['RTE'], seed: 0 });
 * ```
 */
export const ENCODERS = new Registry<EncoderFactory>('encoder')
  .register('bilstm', {
    async prepare(cfg, { texts, maxLength, saved }) {
      const c = cfg as BiLstmConfig;
      const vocab = saved
        ? WordVocab.fromConfig((await saved.readJson(saved.vocab, 'word vocabulary')) as WordVocabConfig)
        : WordVocab.build(texts, { minCount: c.minCount });
      return wordEncoding(vocab, maxLength);
    },
    async restore(_cfg, { maxLength, folder }) {
      const config = await folder.readJson(
        folder.vocab,
        'word vocabulary',
        'word-encoder runs write vocab.json beside config.json',
      );
      return wordEncoding(WordVocab.fromConfig(config as WordVocabConfig), maxLength);
    },
    async build(cfg, encoding, { glueTasks, seed, onWarning }) {
      const c = cfg as BiLstmConfig;
      const vocab = encoding.vocab!;
      let vectors: Float32Array | undefined;
      const gloveDir = resolveDataPath(shippedDataPath(c.gloveDir));
      if (c.embeddings === 'glove' && c.gloveDir === DEFAULT_GLOVE_DIR && !existsSync(gloveDir)) {
        // The default vectors ship with a clone, not with the npm package: an experiment that did not ask
        // for a GloVe folder trains from random vectors rather than failing (a folder it names must exist).
        onWarning?.(
          `no GloVe vectors at the default encoder.gloveDir '${c.gloveDir}' (looked in '${gloveDir}'): word vectors start random; set encoder.gloveDir or MMTL_DATA_DIR to use pretrained ones, or embeddings: random to silence this`,
        );
      } else if (c.embeddings === 'glove') {
        const glove = await loadGloveDir(shippedDataPath(c.gloveDir));
        vectors = embeddingMatrixFor(vocab, glove, { rng: new Rng(seed) }).matrix;
      }
      const model = buildGlueWordModel({
        tasks: glueTasks,
        vocabSize: vocab.size,
        vectors,
        freezeEmbeddings: c.freezeEmbeddings,
        hiddenSize: c.hiddenSize,
        attention: c.attention,
        headHidden: c.headHidden,
        dropout: c.dropout,
      });
      // the same modules (and creation order) as buildGlueWordModel, for experiments without GLUE tasks
      const fresh = () => {
        const dim = 100;
        const embed = vectors
          ? Embedding.fromPretrained(vectors, vocab.size, dim, { freeze: c.freezeEmbeddings, paddingIdx: 0 })
          : new Embedding(vocab.size, dim, { paddingIdx: 0 });
        return { embed, encoder: new BiLSTM(dim, c.hiddenSize, { pooling: 'max' }) };
      };
      return { model, shared: bilstmShared(c, model, fresh) };
    },
  })
  .register('bert', {
    async prepare(cfg, { maxLength }) {
      return bertEncoding(await BertTokenizer.fromDir(shippedDataPath((cfg as BertConfig).dir)), maxLength);
    },
    async restore(cfg, { maxLength }) {
      return bertEncoding(await BertTokenizer.fromDir(shippedDataPath((cfg as BertConfig).dir)), maxLength);
    },
    async build(cfg, _encoding, { glueTasks, onWarning }) {
      const c = cfg as BertConfig;
      // the heads read the pooled [CLS] vector: a checkpoint without pooler weights is worth a warning
      const bert = await BertModel.fromPretrained(
        shippedDataPath(c.dir),
        onWarning === undefined ? {} : { onWarning },
      );
      const model = buildGlueBertModel({
        tasks: glueTasks,
        bert,
        dropout: c.dropout,
        headHidden: c.headHidden,
      });
      const encoder = model.modules.get('encoder') ?? new BertEncoder(bert);
      const clsDropout = model.modules.get('cls_dropout') ?? new Dropout(c.dropout);
      return {
        model,
        shared: {
          features: () => ({
            modules: { encoder, cls_dropout: clsDropout },
            ops: [
              {
                name: 'bert',
                module: 'encoder',
                inputs: ['_input_.input_ids', '_input_.input_ids_mask', '_input_.token_type_ids'],
              },
              { name: 'cls', module: 'cls_dropout', inputs: [['bert', 'pooled']] },
            ],
            output: 'cls',
            width: bert.config.hiddenSize,
          }),
          head: { hidden: c.headHidden, dropout: c.dropout },
          attention: false,
        },
      };
    },
  });
