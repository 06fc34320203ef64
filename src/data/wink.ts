import { createRequire } from 'node:module';
import { MmtlError } from '../core/index.js';

/** The part of a wink-nlp document that mmtl reads. */
export interface WinkDoc {
  tokens(): { out(what?: unknown): string[] };
  out(what?: unknown): unknown;
}

/** The part of wink-nlp that mmtl uses. */
export interface WinkNlp {
  readDoc(text: string): WinkDoc;
  its: { pos: unknown; value: unknown; sentiment: unknown };
}

let shared: WinkNlp | undefined;

/**
 * The English wink-nlp pipeline (wink-eng-lite-web-model, ~1 MB, offline), loaded once per process on first
 * use; `what` names the caller in the error when the packages are missing.
 *
 * @example
 * ```ts
 * const nlp = winkEnglish('the POS tagger');
 * nlp.readDoc('A fine film.').out(nlp.its.sentiment); // a number in [-1, 1]
 * ```
 */
export function winkEnglish(what: string): WinkNlp {
  if (!shared) {
    const require = createRequire(import.meta.url);
    try {
      const winkNLP = require('wink-nlp') as (model: unknown) => WinkNlp;
      shared = winkNLP(require('wink-eng-lite-web-model'));
    } catch (e) {
      throw new MmtlError('E_ENGINE', `could not load ${what}: ${(e as Error).message}`, {
        hint: 'npm ci installs wink-nlp and wink-eng-lite-web-model',
        cause: e,
      });
    }
  }
  return shared;
}
