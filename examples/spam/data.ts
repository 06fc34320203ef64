// The WRENCH copy of the Snorkel spam tutorial's YouTube comments (data/wrench/youtube): 1586 train, 120 valid
// and 250 test comments, with gold labels (0 ham, 1 spam); the slices the demo reports on.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Comment } from './lfs.js';

/** One split: comments and their gold labels. */
export interface Split {
  comments: Comment[];
  gold: Int32Array;
}

/** Slices: subsets where a classifier may be weak, each with its own head (MeTaL's slice heads). */
export const SLICES: Record<string, (c: Comment) => boolean> = {
  short: (c) => c.text.split(/\s+/).filter(Boolean).length <= 6,
  has_link: (c) => /http|www\.|\.com/i.test(c.text),
};

/**
 * Reads one split of `<dataDir>/wrench/youtube` (the first `max` rows when given).
 *
 * @example
 * ```ts
 * const valid = await readSplit('data', 'valid'); // 120 comments
 * ```
 */
export async function readSplit(dataDir: string, split: string, max?: number): Promise<Split> {
  const path = join(dataDir, 'wrench', 'youtube', `${split}.json`);
  const raw = JSON.parse(await readFile(path, 'utf8')) as Record<
    string,
    { label: number; data: { text: string } }
  >;
  const rows = Object.values(raw).slice(0, max);
  return { comments: rows.map((r) => ({ text: r.data.text })), gold: Int32Array.from(rows, (r) => r.label) };
}
