import { z } from 'zod';
import { TrainerConfig } from '../training/index.js';
import { CustomTaskConfig } from './task-config.js';

/** Trainer settings of one stage (the run folder is set by the experiment). */
const StageConfig = TrainerConfig.omit({ runDir: true });

/** Where the shipped GloVe 6B 100d subset lies in a clone of mmtl (the npm package ships no data). */
export const DEFAULT_GLOVE_DIR = 'data/glove-6b-100d-top30k';

/** The BiLSTM encoder of the GLUE baselines (Wang et al. 2018). */
const BiLstmEncoder = z
  .object({
    kind: z.literal('bilstm'),
    /** Word vectors: 'glove' (the shipped GloVe 6B 100d subset, fine-tuned unless frozen) or 'random'. */
    embeddings: z.enum(['glove', 'random']).default('glove'),
    /** Folder of the GloVe vectors (vectors.f32 + vocab.txt + meta.json). */
    gloveDir: z.string().default(DEFAULT_GLOVE_DIR),
    /** Keep the pretrained vectors fixed. */
    freezeEmbeddings: z.boolean().default(false),
    /** BiLSTM hidden size per direction. */
    hiddenSize: z.int().positive().default(128),
    /** MeTaL's soft attention between the encoder features and each head. */
    attention: z.boolean().default(false),
    /** Hidden layer of each task head (0 = linear). */
    headHidden: z.int().min(0).default(128),
    /** Dropout in the heads. */
    dropout: z.number().min(0).max(0.9).default(0.1),
    /** Words kept in the vocabulary: those seen at least this often in the training texts. */
    minCount: z.int().positive().default(1),
  })
  .strict();

/** A Hugging Face BERT folder (config.json, model.safetensors, vocab.txt or tokenizer.json). */
const BertEncoderConfig = z
  .object({
    kind: z.literal('bert'),
    /** The HF folder. */
    dir: z.string(),
    /** Hidden layer of each task head (0 = MeTaL's linear head). */
    headHidden: z.int().min(0).default(0),
    /** Dropout on the pooled [CLS] vector. */
    dropout: z.number().min(0).max(0.9).default(0.1),
  })
  .strict();

/** The MLP of tabular (numeric-input) tasks. */
const TabularConfig = z
  .object({
    /** Hidden layer sizes of each tabular task's MLP ([] = a linear model). */
    hidden: z.array(z.int().positive()).default([64]),
    /** Dropout between the MLP's layers. */
    dropout: z.number().min(0).max(0.9).default(0.1),
  })
  .strict();

/** Weak supervision from one of the shipped GLUE LF sets on another GLUE file (see `weak`). */
const GlueWeakConfig = z
  .object({
    /** The GLUE task whose file supplies the unlabeled rows, e.g. QNLI. */
    fromTask: z.string(),
    /** Its split, e.g. 'dev' or 'test'. */
    fromSplit: z.string().default('test'),
    /** Rows taken from it (the first N after `skipRows`). */
    maxRows: z.int().positive().default(2000),
    /**
     * Rows skipped at the start of the file: with the main task's own train file as the source, at least
     * `maxTrainRows`, so the weak rows are the ones left unlabeled (e.g. SST-2 rows past a 20k cap).
     */
    skipRows: z.int().min(0).default(0),
    /** Swap the two texts (e.g. QNLI's question/sentence → premise/hypothesis). */
    swap: z.boolean().default(false),
    /** The LF set (WEAK_LF_SETS): entailment, paraphrase or sentiment. */
    lfs: z.string().default('entailment'),
    /**
     * With a stage 2: let the weak rows train in stage 1 only, so stage 2 fine-tunes on the gold labels alone
     * (false, the default: measured better on SST-2, see docs/results.md), or fine-tune on them too (true).
     */
    inStage2: z.boolean().default(false),
  })
  .strict();

/**
 * Weak supervision from the user's own labeling functions on their own unlabeled file: the LF module's
 * votes (class ids in the order of the task's `classes`) go through the label model into soft labels for
 * the task.
 */
const FileWeakConfig = z
  .object({
    /** The custom task the LFs label (default: the first custom task); a `class` or `soft` task. */
    task: z.string().optional(),
    /** The unlabeled rows (.csv, .tsv, .jsonl, .json), read with the task's file options; relative to the experiment file. */
    data: z.string(),
    /** The LF module (.ts, .mts, .js, .mjs): `export const lfs = [...]`; relative to the experiment file. */
    lfs: z.string(),
    /** Rows taken from the file (the first N); all when omitted. */
    maxRows: z.int().positive().optional(),
    /**
     * Options of the label model's fit (`LabelModel.fit`, which validates them), e.g.
     * `{ nEpochs: 500, classBalance: [0.8, 0.2] }`; the seed defaults to the experiment's.
     */
    labelModel: z.record(z.string(), z.unknown()).default({}),
    /** Count an LF that throws on a row as an abstain instead of failing the run. */
    faultTolerant: z.boolean().default(false),
    /** With a stage 2: the weak rows train in stage 1 only (default), or in stage 2 too. */
    inStage2: z.boolean().default(false),
  })
  .strict();

/**
 * An experiment: GLUE tasks trained together on one shared encoder, with optional auxiliary tasks and slice
 * heads, in one stage (multi-task) or two (then per-task fine-tuning). YAML or JSON; unknown keys are errors.
 *
 * @example
 * ```yaml
 * name: rte-mrpc
 * tasks: [RTE, MRPC]
 * encoder: { kind: bilstm, attention: true }
 * stage1: { nEpochs: 5, optimizer: { lr: 0.001 } }
 * stage2: { nEpochs: 2 }
 * ```
 */
export const ExperimentConfig = z
  .object({
    /** Name of the run (its folder is `runs/<name>-<time>` unless runDir is given). */
    name: z.string().default('experiment'),
    /** Seed of initialization, batch order and dropout. */
    seed: z.int().default(0),
    /** A glue_data folder (the small tasks ship in data/glue). */
    glueDir: z.string().default('data/glue'),
    /**
     * Tasks trained together: GLUE names (`RTE`, `SST-2`, …) or custom tasks over your own files (see
     * CustomTaskConfig: `{ name, data, input, label, metrics? }`). The first is the main task of reports,
     * ladders, `weak` and `mmtl predict`.
     */
    tasks: z.array(z.union([z.string(), CustomTaskConfig])).min(1),
    /** Use only the first N training rows of each task (quick runs); all rows when omitted. */
    maxTrainRows: z.int().positive().optional(),
    /** Use only the first N training rows of every task after the first (cheap helper tasks in multi-task runs). */
    auxMaxTrainRows: z.int().positive().optional(),
    /** Longest sentence kept, in tokens (word encoders: per sentence; BERT: per pair). */
    maxLength: z.int().positive().default(64),
    /** Rows per batch. */
    batchSize: z.int().positive().default(32),
    /** The shared encoder. */
    encoder: z.discriminatedUnion('kind', [BiLstmEncoder, BertEncoderConfig]).prefault({ kind: 'bilstm' }),
    /** Auxiliary tasks labeled by off-the-shelf tools. */
    auxiliary: z
      .object({
        /** A part-of-speech token task on text A of every main task (wink tagger; word encoders only). */
        pos: z.boolean().default(false),
        /** Loss weight of the POS task. */
        posWeight: z.number().min(0).default(0.5),
      })
      .strict()
      .default({ pos: false, posWeight: 0.5 }),
    /**
     * Weak supervision from extra, unlabeled data: labeling functions vote on the rows of another file (its
     * labels are never read), a label model turns the votes into probabilistic labels, and those train the
     * task as an extra payload. Two forms: a shipped GLUE LF set on another GLUE file
     * (`{ fromTask: QNLI, lfs: entailment }`), or your own LF module on your own file
     * (`{ task: topic, data: unlabeled.csv, lfs: ./lfs.ts }`). Best with a `stage2`: the weak rows then
     * pretrain in stage 1 and stage 2 fine-tunes on gold (measured on SST-2 in docs/results.md).
     */
    weak: z.union([GlueWeakConfig, FileWeakConfig]).optional(),
    /** The MLP of tabular tasks (`input: { numeric: [...] }`). */
    tabular: TabularConfig.prefault({}),
    /** Slicing functions by name (src/slicing heuristics); each adds a slice head per task. */
    slices: z.array(z.string()).default([]),
    /**
     * How slices are spent: 'heads' (MeTaL: a copy of the task's head per slice, trained on the slice's rows over
     * the shared encoder) or 'attention' (slice-based learning, Chen et al. 2019: per slice an indicator and an
     * expert, combined by attention before the task's head).
     */
    sliceMethod: z.enum(['heads', 'attention']).default('heads'),
    /** Stage 1: multi-task training. */
    stage1: StageConfig.default(StageConfig.parse({})),
    /** Stage 2: per-task fine-tuning from the stage-1 best (omit for one stage). */
    stage2: StageConfig.optional(),
    /** Run folder (default runs/<name>-<time>). */
    runDir: z.string().optional(),
  })
  .strict();

/** Weak supervision from a shipped GLUE LF set. */
export type GlueWeakConfig = z.output<typeof GlueWeakConfig>;
/** Weak supervision from the user's LF module on the user's file. */
export type FileWeakConfig = z.output<typeof FileWeakConfig>;

/**
 * Whether `weak` is the user-file form (`{ data, lfs: './lfs.ts' }`) rather than a GLUE LF set.
 *
 * @example
 * ```ts
 * isFileWeak({ task: 'topic', data: 'u.csv', lfs: './lfs.ts', ... }); // true
 * ```
 */
export function isFileWeak(w: GlueWeakConfig | FileWeakConfig): w is FileWeakConfig {
  return 'data' in w;
}

/** An experiment as a user writes it. */
export type ExperimentOptions = z.input<typeof ExperimentConfig>;
/** A validated experiment, defaults filled in. */
export type ExperimentConfig = z.output<typeof ExperimentConfig>;

/** The JSON Schema of experiment files, for editors (`mmtl config schema`). */
export function experimentJsonSchema(): unknown {
  return z.toJSONSchema(ExperimentConfig, { io: 'input', unrepresentable: 'any' });
}
