import { describe, expect, it } from 'vitest';
import { MAX_REFUSED_GROUPS, MAX_REFUSED_URL_CHARS, RefusalTally } from '../../functions/core/refusal-tally';

describe('RefusalTally', () => {
  it('groups by method, URL and reason with a count each', () => {
    const tally = new RefusalTally();
    for (let i = 0; i < 3; i++)
      tally.add({ method: 'POST', url: 'https://a/analytics/collect', reason: 'r' });
    tally.add({ method: 'PUT', url: 'https://a/analytics/collect', reason: 'r' });
    tally.add({ method: 'POST', url: 'https://a/analytics/collect', reason: 'other' });
    expect(tally.snapshot()).toEqual({
      count: 5,
      requests: [
        { method: 'POST', url: 'https://a/analytics/collect', reason: 'r', count: 3 },
        { method: 'PUT', url: 'https://a/analytics/collect', reason: 'r', count: 1 },
        { method: 'POST', url: 'https://a/analytics/collect', reason: 'other', count: 1 },
      ],
    });
  });

  it('lists the first 50 groups, keeps counting the listed ones, and keeps the total exact', () => {
    const tally = new RefusalTally();
    for (let i = 0; i < 80; i++) tally.add({ method: 'POST', url: `https://a/${i}`, reason: 'r' });
    tally.add({ method: 'POST', url: 'https://a/0', reason: 'r' });
    const { count, requests } = tally.snapshot();
    expect(count).toBe(81);
    expect(requests).toHaveLength(MAX_REFUSED_GROUPS);
    expect(requests[0]?.count).toBe(2);
  });

  it('bounds URLs where they enter and strips control characters', () => {
    const tally = new RefusalTally();
    tally.add({ method: 'POST', url: `https://a/${'x'.repeat(5_000)}`, reason: 'r' });
    tally.add({ method: 'POST\u001b[31m', url: 'https://a/\u0007bell', reason: 'r\n' });
    const [long, control] = tally.snapshot().requests;
    expect(long?.url).toHaveLength(MAX_REFUSED_URL_CHARS);
    expect(long?.url.endsWith('…')).toBe(true);
    expect(control).toMatchObject({ method: 'POST?[31m', url: 'https://a/?bell', reason: 'r?' });
  });
});
