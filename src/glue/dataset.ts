import { MmtlError } from '../core/index.js';
import { WordVocab, type BertTokenizer, type TruncationStrategy } from '../data/index.js';
import { Dataset, sequenceField, type LabelSet } from '../tasks/index.js';
import type { GlueRow } from './load.js';
import { glueTask } from './registry.js';
import type { GlueTaskSpec } from './task-spec.js';

/** Options of {@link glueDataset}. */
export interface GlueDatasetOptions {
  /** The GLUE task the rows belong to (names the dataset and the `<TASK>_gold` label set). */
  task: string;
  /** The BERT tokenizer (`[CLS] A [SEP]` or `[CLS] A [SEP] B [SEP]`). */
  tokenizer: BertTokenizer;
  /** Longest row in tokens, special tokens included (e.g. 128; MeTaL used 200). */
  maxLength: number;
  /** How pairs are shortened (default `'longest_first'`, as BERT's GLUE scripts). */
  truncation?: TruncationStrategy;
}

/** Options of {@link glueWordDataset}. */
export interface GlueWordDatasetOptions {
  /** The GLUE task the rows belong to. */
  task: string;
  /** The word vocabulary (e.g. GloVe's words); unknown words map to `[UNK]`. */
  vocab: WordVocab;
  /** Longest text in words; longer texts keep their first `maxLength` words. */
  maxLength: number;
}

function checkMaxLength(maxLength: number, fn: string, min: number): void {
  if (!Number.isInteger(maxLength) || maxLength < min) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'maxLength' passed to '${fn}' must be an integer ≥ ${min}, got ${maxLength}`,
    );
  }
}

/**
 * The gold label set of `rows` for `spec`, or `undefined` when no row has a label (test files): class ids
 * with -1 for missing rows, or regression targets with NaN for missing rows.
 */
function goldLabels(rows: readonly GlueRow[], spec: GlueTaskSpec, fn: string): LabelSet | undefined {
  if (!rows.some((r) => r.label !== undefined)) return undefined;
  const head = spec.head;
  if (head.kind === 'regression') {
    return { kind: 'regression', values: Float32Array.from(rows, (r) => r.label ?? NaN) };
  }
  const values = Int32Array.from(rows, (r, i) => {
    const y = r.label ?? -1;
    if (!Number.isInteger(y) || y < -1 || y >= head.cardinality) {
      throw new MmtlError(
        'E_DATA',
        `Argument 'rows' passed to '${fn}' (${spec.name}): row ${i} has label ${y}, expected a class id in 0..${head.cardinality - 1}`,
      );
    }
    return y;
  });
  return { kind: 'class', values, cardinality: head.cardinality };
}

function rowIds(rows: readonly GlueRow[]): string[] {
  return rows.map((r, i) => r.index ?? String(i));
}

/** Whether the task is a sentence-pair task; every row must agree. */
function hasTextB(rows: readonly GlueRow[], spec: GlueTaskSpec, fn: string): boolean {
  const pair = Object.values(spec.splits).some((f) => f.textB !== undefined);
  const bad = rows.findIndex((r) => (r.textB !== undefined) !== pair);
  if (bad >= 0) {
    throw new MmtlError(
      'E_DATA',
      `Argument 'rows' passed to '${fn}': row ${bad} ${pair ? 'has no' : 'has a'} text B, but ${spec.name} is a ${pair ? 'sentence-pair' : 'single-sentence'} task`,
    );
  }
  return pair;
}

/**
 * A {@link Dataset} of GLUE rows for a BERT encoder: input fields `input_ids` and `token_type_ids`
 * (ragged sequence fields, padded per batch; `input_ids` pads with the tokenizer's pad id) and, when the
 * rows have labels, the gold label set `<TASK>_gold` (class ids, or raw STS-B scores). The dataset is named
 * after the task, so metric keys read `RTE/RTE/valid/accuracy`; row ids are the rows' `index` when present.
 *
 * @example
 * ```ts
 * const bert = await BertTokenizer.fromDir('data/bert-vocab/bert-tiny-tokenizer');
 * const { rows } = await loadGlueSplit('data/glue', 'RTE', 'dev', { maxRows: 2 });
 * const ds = glueDataset(rows, { task: 'RTE', tokenizer: bert, maxLength: 128 });
 * ds.name;                         // 'RTE'
 * ds.labelSetNames();              // ['RTE_gold']
 * ds.labelSet('RTE_gold').values;  // Int32Array [1, 0]
 * ```
 */
export function glueDataset(rows: readonly GlueRow[], options: GlueDatasetOptions): Dataset {
  const fn = 'glueDataset';
  const spec = glueTask(options.task);
  const { tokenizer, maxLength, truncation = 'longest_first' } = options;
  const pair = hasTextB(rows, spec, fn);
  checkMaxLength(maxLength, fn, tokenizer.numSpecialTokens(pair));
  const ids: number[][] = [];
  const types: number[][] = [];
  for (const r of rows) {
    const enc = tokenizer.encode(r.textA, r.textB ?? null, { maxLength, truncation });
    ids.push(enc.ids);
    types.push(enc.typeIds);
  }
  const gold = goldLabels(rows, spec, fn);
  return new Dataset({
    name: spec.name,
    inputs: {
      input_ids: sequenceField(ids, tokenizer.padId),
      token_type_ids: sequenceField(types, 0),
    },
    labels: gold === undefined ? {} : { [spec.goldLabelSet]: gold },
    rowIds: rowIds(rows),
  });
}

function wordIds(vocab: WordVocab, text: string, maxLength: number): Int32Array {
  const ids = vocab.encode(text).subarray(0, maxLength);
  // An LSTM cannot read an empty row: a text with no words becomes one [UNK].
  return ids.length > 0 ? ids : Int32Array.of(WordVocab.UNK_ID);
}

/**
 * A {@link Dataset} of GLUE rows for word-embedding models (the BiLSTM + GloVe baselines): `tokens` holds
 * the word ids of text A and, for sentence-pair tasks, `tokens_b` those of text B (ragged, padded with 0 =
 * `[PAD]`, each cut to `maxLength` words; a text with no words becomes one `[UNK]`), plus the gold label
 * set `<TASK>_gold` when the rows have labels.
 *
 * @example
 * ```ts
 * const vocab = WordVocab.build(rows.map((r) => `${r.textA} ${r.textB ?? ''}`));
 * const ds = glueWordDataset(rows, { task: 'RTE', vocab, maxLength: 50 });
 * Object.keys(ds.inputs); // ['tokens', 'tokens_b']
 * ```
 */
export function glueWordDataset(rows: readonly GlueRow[], options: GlueWordDatasetOptions): Dataset {
  const fn = 'glueWordDataset';
  const spec = glueTask(options.task);
  const { vocab, maxLength } = options;
  checkMaxLength(maxLength, fn, 1);
  const pair = hasTextB(rows, spec, fn);
  const inputs = {
    tokens: sequenceField(
      rows.map((r) => wordIds(vocab, r.textA, maxLength)),
      WordVocab.PAD_ID,
    ),
    ...(pair
      ? {
          tokens_b: sequenceField(
            rows.map((r) => wordIds(vocab, r.textB!, maxLength)),
            WordVocab.PAD_ID,
          ),
        }
      : {}),
  };
  const gold = goldLabels(rows, spec, fn);
  return new Dataset({
    name: spec.name,
    inputs,
    labels: gold === undefined ? {} : { [spec.goldLabelSet]: gold },
    rowIds: rowIds(rows),
  });
}
