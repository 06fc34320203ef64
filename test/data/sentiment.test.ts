import { describe, expect, it } from 'vitest';
import { SentimentScorer } from '../../src/data/index.js';

describe('SentimentScorer', () => {
  const s = new SentimentScorer();
  it('scores positive, negative, neutral and negated text in [-1, 1]', () => {
    const pos = s.score('a wonderful , moving film');
    const neg = s.score('dull and tedious');
    expect(pos).toBeGreaterThan(0.25);
    expect(neg).toBeLessThan(-0.25);
    expect(s.score('a film about a man and his dog')).toBe(0);
    expect(s.score('not good')).toBeLessThan(0);
    for (const v of [pos, neg]) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });
});
