import { MmtlError, assert } from '../core/index.js';

/**
 * How a sequence or pair is shortened to fit `maxLength` (Hugging Face's names):
 * - `'longest_first'`: remove one token at a time from the longer sequence (from the second on ties);
 * - `'only_first'` / `'only_second'`: shorten only that sequence; an error when that is not enough.
 */
export type TruncationStrategy = 'longest_first' | 'only_first' | 'only_second';

/**
 * The lengths to keep of a sequence (and its pair) so that `lenA + lenB ≤ budget`, where the budget is the
 * maximum length minus the special tokens. Follows Hugging Face's `truncate_sequences`. Returns
 * `[keepA, keepB]` (`keepB` is 0 without a pair). Throws E_DATA when `only_first` / `only_second` cannot
 * fit, and E_ARG for `only_second` without a pair.
 *
 * @example
 * ```ts
 * truncatedLengths(10, 4, 8, 'longest_first'); // [4, 4]
 * truncatedLengths(5, 5, 7, 'longest_first'); // [4, 3] (ties shorten the second first)
 * truncatedLengths(10, 4, 8, 'only_first'); // [4, 4]
 * truncatedLengths(10, null, 8, 'longest_first'); // [8, 0]
 * ```
 */
export function truncatedLengths(
  lenA: number,
  lenB: number | null,
  budget: number,
  strategy: TruncationStrategy = 'longest_first',
): [number, number] {
  assert(
    Number.isInteger(budget) && budget >= 0,
    'E_ARG',
    () => `Argument 'budget' passed to 'truncatedLengths' must be an integer ≥ 0, got ${budget}`,
  );
  if (lenB === null) {
    assert(
      strategy !== 'only_second',
      'E_ARG',
      () => `Argument 'truncation' is 'only_second' but no pair was given (in 'truncatedLengths')`,
    );
    return [Math.min(lenA, budget), 0];
  }
  if (lenA + lenB <= budget) return [lenA, lenB];
  switch (strategy) {
    case 'longest_first': {
      // Removing one token at a time from the longer side (the second on ties) ends with the two
      // lengths as equal as the budget allows, the first keeping the odd token; a short side stays whole.
      const half = Math.floor(budget / 2);
      if (lenA <= half) return [lenA, budget - lenA];
      if (lenB <= half) return [budget - lenB, lenB];
      return [budget - half, half];
    }
    case 'only_first':
    case 'only_second': {
      const other = strategy === 'only_first' ? lenB : lenA;
      if (other > budget) {
        throw new MmtlError(
          'E_DATA',
          `truncation '${strategy}' cannot fit ${lenA} + ${lenB} tokens into ${budget}: the other sequence alone has ${other}`,
          { hint: "use truncation 'longest_first' or a larger maxLength" },
        );
      }
      return strategy === 'only_first' ? [budget - lenB, lenB] : [lenA, budget - lenA];
    }
    default:
      throw new MmtlError(
        'E_ARG',
        `Argument 'truncation' passed to 'truncatedLengths' must be one of longest_first, only_first, only_second, got '${strategy as string}'`,
      );
  }
}
