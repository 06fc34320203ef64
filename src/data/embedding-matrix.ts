import { assert, type Rng } from '../core/index.js';
import type { GloveEmbeddings } from './glove.js';
import { WordVocab } from './word-vocab.js';

/** Options of {@link embeddingMatrixFor}. */
export interface EmbeddingMatrixOptions {
  /** Draws the rows of words missing from the embeddings. */
  rng: Rng;
  /** Standard deviation of those rows: N(0, scale²) (default 0.1). */
  scale?: number;
}

/** An initial embedding matrix for a vocabulary. */
export interface EmbeddingMatrix {
  /** `vocab.size × dims`, row-major. */
  matrix: Float32Array;
  /** Length of each row. */
  dims: number;
  /** Number of vocabulary words (specials excluded) found in the embeddings. */
  hits: number;
  /** `hits / (vocab.size − 2)`: the fraction of non-special words found (0 for an empty vocabulary). */
  hitRate: number;
}

/**
 * Rows of pretrained vectors for each word of `vocab`: the word's vector when the embeddings have it,
 * otherwise a draw from N(0, scale²) by the seeded `rng` (so runs repeat); the `[PAD]` row is all zeros and
 * `[UNK]` gets a random row.
 *
 * @example
 * ```ts
 * const glove = await loadGloveDir('data/glove-6b-100d-top30k');
 * const { matrix, hitRate } = embeddingMatrixFor(vocab, glove, { rng: new Rng(0), scale: 0.1 });
 * hitRate; // e.g. 0.97
 * ```
 */
export function embeddingMatrixFor(
  vocab: WordVocab,
  glove: GloveEmbeddings,
  options: EmbeddingMatrixOptions,
): EmbeddingMatrix {
  const { rng, scale = 0.1 } = options;
  assert(
    Number.isFinite(scale) && scale >= 0,
    'E_ARG',
    () => `Argument 'scale' passed to 'embeddingMatrixFor' must be ≥ 0, got ${scale}`,
  );
  const { dims } = glove;
  assert(
    glove.vectors.length === glove.words.length * dims,
    'E_SHAPE',
    () =>
      `Argument 'glove' passed to 'embeddingMatrixFor' has ${glove.vectors.length} floats for ${glove.words.length} words × ${dims} dims`,
  );
  const row = new Map<string, number>();
  glove.words.forEach((w, i) => {
    if (!row.has(w)) row.set(w, i);
  });
  const matrix = new Float32Array(vocab.size * dims);
  let hits = 0;
  for (let id = 0; id < vocab.size; id++) {
    if (id === WordVocab.PAD_ID) continue;
    const r = id === WordVocab.UNK_ID ? undefined : row.get(vocab.words[id]!);
    if (r !== undefined) {
      matrix.set(glove.vectors.subarray(r * dims, (r + 1) * dims), id * dims);
      hits++;
    } else {
      for (let j = 0; j < dims; j++) matrix[id * dims + j] = rng.normal() * scale + 0; // + 0 turns -0 into 0
    }
  }
  const words = vocab.size - WordVocab.SPECIALS.length;
  return { matrix, dims, hits, hitRate: words > 0 ? hits / words : 0 };
}
