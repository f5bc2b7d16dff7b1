// One conversion's journey as every reader shows it: the per-journey models flagged in the registry, each crediting the whole conversion.
import { describe, expect, it } from 'vitest';
import { MODEL_NAMES } from './attribution-result.js';
import { journeyAnswer } from './journey-answer.js';
import { JOURNEY_MODELS } from './models-registry.js';

describe('journeyAnswer', () => {
  it("lists the linked devices' touchpoints in the lookback and credits them under every per-journey model", () => {
    const conversion = { id: 'c', visitorId: 'laptop', sessionId: 'l1', timestamp: 1000, revenue: 30 };
    const sessions = [
      { id: 'p0', visitorId: 'phone', startedAt: 100, channel: 'email', campaign: null },
      { id: 'l1', visitorId: 'laptop', startedAt: 900, channel: null, campaign: 'x' },
      { id: 'p9', visitorId: 'phone', startedAt: 10, channel: 'paid_search', campaign: null },
    ];
    const answer = journeyAnswer(conversion, { visitors: ['laptop', 'phone'], sessions }, 950);
    expect(answer.touchpoints).toEqual([
      { channel: 'email', timestamp: 100, campaign: null },
      { channel: 'direct', timestamp: 900, campaign: 'x' },
    ]);
    expect(Object.keys(answer.credits)).toEqual([...JOURNEY_MODELS]);
    for (const m of JOURNEY_MODELS) expect(answer.credits[m].reduce((sum, c) => sum + c.credit, 0)).toBeCloseTo(1, 12);
    expect(answer.credits.first_touch).toEqual([{ channel: 'email', credit: 1, revenue: 30 }]);
  });

  it('flags every model but the population ones (Markov, Shapley) as per-journey', () => {
    expect(JOURNEY_MODELS).toEqual(MODEL_NAMES.filter((m) => m !== 'markov' && m !== 'shapley'));
  });
});
