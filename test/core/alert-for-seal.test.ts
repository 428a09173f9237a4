import { describe, expect, it } from 'vitest';
import { alertForSeal } from '../../functions/core/alert-for-seal';
import type { AlertKind } from '../../functions/core/alert-policy';
import type { Seal, SealStatus, Trigger } from '../../functions/core/seal';
import { decideTransition } from '../../functions/core/transition';
import { MemorySealStore } from '../fixtures/memory-seal-store';
import { sampleSeal } from '../fixtures/sample-seals';

/** Seals one verdict after another as sealApp would (transition from the latest), and asks what each says. */
async function replay(
  verdicts: readonly [string, Trigger, SealStatus][],
): Promise<[string, AlertKind, boolean][]> {
  const store = new MemorySealStore();
  const said: [string, AlertKind, boolean][] = [];
  for (const [checkedAt, trigger, status] of verdicts) {
    const previous = await store.latest('studio');
    const seal: Seal = sampleSeal({
      id: `studio:${trigger}:${checkedAt}`,
      trigger,
      status,
      transition: decideTransition(previous, status),
      checkedAt,
    });
    await store.put(seal);
    const decision = await alertForSeal(seal, store);
    said.push([checkedAt.slice(5, 13), decision.alert, decision.discord]);
  }
  return said;
}

describe('alertForSeal over a sequence of nightly verdicts', () => {
  it('speaks on a change, repeats a still-red seal once a day, and says "recovered"', async () => {
    const said = await replay([
      ['2026-06-01T03:00:01.000Z', 'nightly', 'green'],
      ['2026-06-02T03:00:04.000Z', 'nightly', 'green'],
      ['2026-06-03T03:00:02.000Z', 'nightly', 'red'],
      ['2026-06-04T03:00:00.000Z', 'nightly', 'red'],
      ['2026-06-05T03:00:09.000Z', 'nightly', 'red'],
      ['2026-06-06T03:00:01.000Z', 'nightly', 'green'],
      ['2026-06-07T03:00:01.000Z', 'nightly', 'green'],
      ['2026-06-08T03:00:03.000Z', 'nightly', 'red'],
    ]);
    expect(said).toEqual([
      ['06-01T03', 'none', false],
      ['06-02T03', 'none', false],
      ['06-03T03', 'red', true],
      ['06-04T03', 'red', true],
      ['06-05T03', 'red', true],
      ['06-06T03', 'recovered', true],
      ['06-07T03', 'none', false],
      ['06-08T03', 'red', true],
    ]);
  });

  it('keeps a nightly seal quiet the morning after a red release already alerted', async () => {
    const said = await replay([
      ['2026-06-01T03:00:00.000Z', 'nightly', 'green'],
      ['2026-06-01T14:00:00.000Z', 'release', 'red'],
      ['2026-06-02T03:00:00.000Z', 'nightly', 'red'],
      ['2026-06-03T03:00:00.000Z', 'nightly', 'red'],
      ['2026-06-03T12:00:00.000Z', 'manual', 'red'],
      ['2026-06-04T03:00:00.000Z', 'nightly', 'inconclusive'],
      ['2026-06-05T03:00:00.000Z', 'nightly', 'inconclusive'],
    ]);
    expect(said).toEqual([
      ['06-01T03', 'none', false],
      ['06-01T14', 'red', true],
      ['06-02T03', 'none', false],
      ['06-03T03', 'red', true],
      ['06-03T12', 'red', true],
      ['06-04T03', 'none', false],
      ['06-05T03', 'inconclusive', true],
    ]);
  });
});
