/** A run of letters, digits, marks or underscores, or any single other non-space character. */
const WORD_RE = /[\p{L}\p{N}\p{M}_]+|[^\s\p{L}\p{N}\p{M}_]/gu;

/**
 * Word-level tokenization for word-embedding models (GloVe): lowercases, splits on anything that is not a
 * letter, digit, mark or underscore, and keeps each punctuation character as its own token.
 *
 * @example
 * ```ts
 * wordTokenize("Hello, World! It's 3.5x"); // ['hello', ',', 'world', '!', 'it', "'", 's', '3', '.', '5x']
 * ```
 */
export function wordTokenize(text: string): string[] {
  return text.toLowerCase().match(WORD_RE) ?? [];
}

/**
 * {@link wordTokenize} with each token's `[start, end)` character offsets in `text`.
 *
 * @example
 * ```ts
 * wordTokenizeWithOffsets('Hi, you'); // { tokens: ['hi', ',', 'you'], offsets: [[0, 2], [2, 3], [4, 7]] }
 * ```
 */
export function wordTokenizeWithOffsets(text: string): { tokens: string[]; offsets: [number, number][] } {
  const tokens: string[] = [];
  const offsets: [number, number][] = [];
  for (const m of text.matchAll(WORD_RE)) {
    tokens.push(m[0].toLowerCase());
    offsets.push([m.index, m.index + m[0].length]);
  }
  return { tokens, offsets };
}
