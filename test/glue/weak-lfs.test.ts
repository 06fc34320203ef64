import { describe, expect, it } from 'vitest';
import { WEAK_LF_SETS, entailmentLFs, paraphraseLFs, sentimentLFs } from '../../src/glue/index.js';

const vote = (lfs: ReturnType<typeof entailmentLFs>, textA: string, textB: string) =>
  Object.fromEntries(lfs.map((lf) => [lf.name, lf.apply({ textA, textB })]));

describe('weak LF sets', () => {
  it('vote entailment with the target task’s class ids', () => {
    const lfs = entailmentLFs('RTE'); // entailment 0, not_entailment 1
    expect(vote(lfs, 'The cat sat on the mat in 2004.', 'The cat sat on the mat.')).toEqual({
      high_overlap: 0,
      low_overlap: -1,
      negation_mismatch: -1,
      new_number: -1,
    });
    expect(vote(lfs, 'Prices rose in 2004.', 'Prices did not rise in 1999.')).toMatchObject({
      low_overlap: 1,
      negation_mismatch: 1,
      new_number: 1,
    });
  });

  it('vote paraphrase with MRPC’s ids (1 = paraphrase)', () => {
    const lfs = paraphraseLFs('MRPC');
    expect(vote(lfs, 'He left the office at 5 pm.', 'At 5 pm he left the office.')).toMatchObject({
      high_mutual_overlap: 1,
      number_mismatch: -1,
    });
    expect(vote(lfs, 'Shares fell 3 percent.', 'The weather was sunny all week.')).toMatchObject({
      low_mutual_overlap: 0,
    });
  });

  it('vote sentiment with SST-2’s ids (1 = positive) from the lexicon, the contrast clause and review words', () => {
    const lfs = sentimentLFs('SST-2');
    const votes = (textA: string) => Object.fromEntries(lfs.map((lf) => [lf.name, lf.apply({ textA })]));
    expect(votes('not funny , but a moving , beautifully acted film')).toEqual({
      lexicon_positive: -1,
      lexicon_negative: -1,
      contrast_clause: 1,
      negated_praise: 0,
      pan_words: -1,
      praise_words: 1,
    });
    expect(votes('a dull , tedious mess')).toMatchObject({ lexicon_negative: 0, pan_words: 0 });
    expect(votes("the year 's best and most heartfelt comedy")).toMatchObject({
      lexicon_positive: 1,
      praise_words: 1,
    });
    expect(votes('a film about a man and his dog')).toEqual(
      Object.fromEntries(lfs.map((lf) => [lf.name, -1])),
    );
  });

  it('pair sets abstain on single sentences', () => {
    for (const lfs of [entailmentLFs('RTE'), paraphraseLFs('MRPC')]) {
      expect(lfs.map((lf) => lf.apply({ textA: 'Prices did not rise in 1999.' }))).toEqual(lfs.map(() => -1));
    }
  });

  it('are looked up by name', () => {
    expect(WEAK_LF_SETS.names()).toEqual(['entailment', 'paraphrase', 'sentiment']);
    expect(() => WEAK_LF_SETS.get('toxicity')).toThrow(
      "unknown weak LF set 'toxicity'; expected one of entailment, paraphrase, sentiment",
    );
  });
});
