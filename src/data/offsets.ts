/** ASCII punctuation plus Unicode punctuation: where BERT's pre-tokenizer splits words. */
const PUNCT = /^(?:\p{P}|[!-/:-@[-`{-~])$/u;
const SPACE = /^\s$/u;

/**
 * `[start, end)` character offsets (UTF-16 indices into `text`) of each word piece in `tokens`, found by
 * walking the normalized text alongside the original. A `##` continuation prefix is ignored; an unknown
 * token (one whose text cannot be found, e.g. `[UNK]`) spans the rest of the current word or one
 * punctuation character. Best effort for tokenizers whose normalizer works character by character (BERT's
 * does: cleanup, CJK spacing, lowercasing, accent stripping).
 *
 * @example
 * ```ts
 * const fold = (s: string) => s.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase();
 * tokenOffsets('Héllo, wörld', ['hello', ',', 'world'], fold); // [[0, 5], [5, 6], [7, 12]]
 * ```
 */
export function tokenOffsets(
  text: string,
  tokens: readonly string[],
  normalize: (s: string) => string,
  continuingPrefix = '##',
): [number, number][] {
  // norm[j] is a character of the normalized text; from[j] / to[j] the original span that produced it.
  let norm = '';
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  for (const ch of text) {
    const n = normalize(ch);
    for (let k = 0; k < n.length; k++) {
      from.push(i);
      to.push(i + ch.length);
    }
    norm += n;
    i += ch.length;
  }
  const out: [number, number][] = [];
  let p = 0;
  const skipSpace = (): void => {
    while (p < norm.length && SPACE.test(norm[p]!)) p++;
  };
  const span = (start: number, len: number): [number, number] =>
    len === 0 || start >= norm.length ? [from[start] ?? text.length, from[start] ?? text.length] : [from[start]!, to[start + len - 1]!];
  for (const token of tokens) {
    const continuing = token.startsWith(continuingPrefix) && token.length > continuingPrefix.length;
    const piece = continuing ? token.slice(continuingPrefix.length) : token;
    if (!continuing) skipSpace();
    let at = norm.startsWith(piece, p) ? p : -1;
    if (at < 0 && norm.startsWith(piece.toLowerCase(), p)) at = p;
    if (at >= 0) {
      out.push(span(at, piece.length));
      p = at + piece.length;
      continue;
    }
    // Unknown token: one punctuation character, or the rest of the word.
    let end = p;
    if (end < norm.length && PUNCT.test(norm[end]!)) end++;
    else while (end < norm.length && !SPACE.test(norm[end]!) && !PUNCT.test(norm[end]!)) end++;
    out.push(span(p, end - p));
    p = end;
  }
  return out;
}
