import { describe, expect, it } from 'vitest';
import { WEAK_LF_SETS, entailmentLFs, paraphraseLFs } from '../../src/glue/index.js';

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

  it('are looked up by name', () => {
    expect(WEAK_LF_SETS.names()).toEqual(['entailment', 'paraphrase']);
    expect(() => WEAK_LF_SETS.get('sentiment')).toThrow(
      "unknown weak LF set 'sentiment'; expected one of entailment, paraphrase",
    );
  });
});
