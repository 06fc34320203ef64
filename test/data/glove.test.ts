// GloVe loaders (the shipped binary subset and the text format) and embedding matrices.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, type MmtlError } from '../../src/core/index.js';
import {
  WordVocab,
  embeddingMatrixFor,
  loadGloveBinary,
  loadGloveDir,
  loadGloveText,
  type GloveEmbeddings,
} from '../../src/data/index.js';

const gloveDir = join(import.meta.dirname, '..', '..', 'data', 'glove-6b-100d-top30k');

function cosine(g: GloveEmbeddings, a: string, b: string): number {
  const i = g.words.indexOf(a);
  const j = g.words.indexOf(b);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < g.dims; k++) {
    const x = g.vectors[i * g.dims + k]!;
    const y = g.vectors[j * g.dims + k]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}

describe('loadGloveDir / loadGloveBinary (data/glove-6b-100d-top30k)', () => {
  let glove: GloveEmbeddings;
  beforeAll(async () => {
    glove = await loadGloveDir(gloveDir);
  });
  it('reads 30000 × 100 vectors in GloVe order', () => {
    expect(glove.dims).toBe(100);
    expect(glove.words.length).toBe(30000);
    expect(glove.vectors.length).toBe(3_000_000);
    expect(glove.words.slice(0, 3)).toEqual(['the', ',', '.']);
    // "the" = -0.038194, -0.24487, 0.72812, … (SOURCE.txt)
    expect(glove.vectors[0]).toBeCloseTo(-0.038194, 6);
    expect(glove.vectors[1]).toBeCloseTo(-0.24487, 5);
    expect(glove.vectors[2]).toBeCloseTo(0.72812, 5);
  });
  it('keeps the published similarities', () => {
    expect(cosine(glove, 'cat', 'dog')).toBeCloseTo(0.88, 2);
    expect(cosine(glove, 'king', 'queen')).toBeCloseTo(0.751, 2);
    expect(cosine(glove, 'cat', 'economy')).toBeCloseTo(0.097, 2);
  });
  it('agrees with loadGloveText on the same vectors written as text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmtl-glove-'));
    const lines = glove.words
      .slice(0, 50)
      .map((w, i) => `${w} ${Array.from(glove.vectors.subarray(i * 100, (i + 1) * 100)).join(' ')}`);
    writeFileSync(join(dir, 'top50.txt'), lines.join('\n') + '\n');
    const text = await loadGloveText(join(dir, 'top50.txt'));
    expect(text.dims).toBe(100);
    expect(text.words).toEqual(glove.words.slice(0, 50));
    expect(text.vectors).toEqual(glove.vectors.subarray(0, 5000));
  });
  it('checks the file size against words × dims', async () => {
    await expect(loadGloveBinary(join(gloveDir, 'vectors.f32'), join(gloveDir, 'vocab.txt'), 99)).rejects.toMatchObject({
      code: 'E_DATA',
    });
  });
});

describe('loadGloveText', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mmtl-glove-'));
    writeFileSync(join(dir, 'g.txt'), '4 3\nthe 0.1 0.2 0.3\ncat 1 2 3\nnew york -1 -2 -3.5\ndog 4 5 6\n');
    writeFileSync(join(dir, 'bad.txt'), 'the 0.1 0.2 0.3\ncat 1 2\n');
  });
  it('streams words and vectors, skipping a word2vec header; words may contain spaces', async () => {
    const g = await loadGloveText(join(dir, 'g.txt'), { dims: 3 });
    expect(g.words).toEqual(['the', 'cat', 'new york', 'dog']);
    expect(g.dims).toBe(3);
    expect(Array.from(g.vectors)).toEqual([0.1, 0.2, 0.3, 1, 2, 3, -1, -2, -3.5, 4, 5, 6].map(Math.fround));
  });
  it('filters by vocabulary and stops at maxWords', async () => {
    const g = await loadGloveText(join(dir, 'g.txt'), { vocabFilter: new Set(['dog', 'cat']) });
    expect(g.words).toEqual(['cat', 'dog']);
    expect(Array.from(g.vectors)).toEqual([1, 2, 3, 4, 5, 6]);
    const h = await loadGloveText(join(dir, 'g.txt'), { vocabFilter: (w) => w !== 'the', maxWords: 1 });
    expect(h.words).toEqual(['cat']);
  });
  it('loadGloveDir names a missing folder or file, where it looked and how to point to one', async () => {
    const missing = (await loadGloveDir(join(dir, 'no-glove')).then(undefined, (e: unknown) => e)) as MmtlError;
    expect(missing).toMatchObject({ code: 'E_IO', details: { missing: ['vectors.f32', 'vocab.txt', 'meta.json'] } });
    expect(missing.message).toContain(`no folder '${join(dir, 'no-glove')}'`);
    expect(missing.message).toContain('encoder.gloveDir');
    expect(missing.message).toContain('embeddings: random');
    mkdirSync(join(dir, 'half'));
    writeFileSync(join(dir, 'half', 'vocab.txt'), 'the\n');
    const half = (await loadGloveDir(join(dir, 'half')).then(undefined, (e: unknown) => e)) as MmtlError;
    expect(half.message).toContain(`no vectors.f32, meta.json in '${join(dir, 'half')}'`);
  });
  it('names the bad line, and reports missing files', async () => {
    await expect(loadGloveText(join(dir, 'bad.txt'))).rejects.toThrow(/line 2/);
    await expect(loadGloveText(join(dir, 'nope.txt'))).rejects.toMatchObject({ code: 'E_IO' });
  });
});

describe('embeddingMatrixFor', () => {
  const glove: GloveEmbeddings = {
    words: ['the', 'cat', 'dog'],
    dims: 2,
    vectors: Float32Array.of(1, 2, 3, 4, 5, 6),
  };
  it('copies known rows, zeros [PAD], draws the rest from the seeded rng', () => {
    const vocab = WordVocab.fromWords(['cat', 'zebra', 'the', 'emu']);
    const a = embeddingMatrixFor(vocab, glove, { rng: new Rng(7), scale: 0.5 });
    expect(a.dims).toBe(2);
    expect(a.hits).toBe(2);
    expect(a.hitRate).toBe(0.5);
    expect(Array.from(a.matrix.subarray(0, 2))).toEqual([0, 0]); // [PAD]
    expect(Array.from(a.matrix.subarray(4, 6))).toEqual([3, 4]); // cat
    expect(Array.from(a.matrix.subarray(8, 10))).toEqual([1, 2]); // the
    const b = embeddingMatrixFor(vocab, glove, { rng: new Rng(7), scale: 0.5 });
    expect(b.matrix).toEqual(a.matrix);
    // [UNK] (row 1), zebra (row 3), emu (row 5) are random, nonzero and small
    for (const r of [1, 3, 5]) {
      const row = Array.from(a.matrix.subarray(r * 2, r * 2 + 2));
      expect(row.some((x) => x !== 0)).toBe(true);
      expect(row.every((x) => Math.abs(x) < 0.5 * 6)).toBe(true);
    }
    const zero = embeddingMatrixFor(vocab, glove, { rng: new Rng(7), scale: 0 });
    expect(Array.from(zero.matrix.subarray(6, 8))).toEqual([0, 0]);
  });
  it('rejects inconsistent embeddings and bad scales', () => {
    const vocab = WordVocab.fromWords(['cat']);
    expect(() => embeddingMatrixFor(vocab, { ...glove, dims: 4 }, { rng: new Rng(0) })).toThrow(
      expect.objectContaining({ code: 'E_SHAPE' }),
    );
    expect(() => embeddingMatrixFor(vocab, glove, { rng: new Rng(0), scale: -1 })).toThrow(/'scale'/);
  });
});
