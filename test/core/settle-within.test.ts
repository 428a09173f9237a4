import { describe, expect, it } from 'vitest';
import { settleWithin, valueWithin } from '../../functions/core/settle-within';

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(resolve, ms, value));

describe('settleWithin', () => {
  it('is true when the work settles in time, rejected or not, and false when time runs out', async () => {
    expect(await settleWithin(after(1, 'done'), 1_000)).toBe(true);
    expect(await settleWithin(Promise.reject(new Error('no')), 1_000)).toBe(true);
    expect(await settleWithin(new Promise(() => undefined), 20)).toBe(false);
  });
});

describe('valueWithin', () => {
  it("gives the work's value in time, else the fallback, also when the work rejects", async () => {
    expect(await valueWithin(after(1, ['a']), 1_000, [])).toEqual(['a']);
    expect(await valueWithin(new Promise<string[]>(() => undefined), 20, [])).toEqual([]);
    expect(await valueWithin(Promise.reject<string[]>(new Error('closed')), 1_000, [])).toEqual([]);
  });

  it('leaves no timer behind once it has answered (a pending one would hold a CLI process open)', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = timers();
    await valueWithin(Promise.resolve('now'), 60_000, 'late');
    expect(timers()).toBe(before);
  });
});
