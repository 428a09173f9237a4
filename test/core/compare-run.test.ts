// A seal with nothing to compare says so: never "unchanged", never "first seal".
import { describe, expect, it } from 'vitest';
import { BASELINE_SCHEMA_VERSION, type StoredBaseline } from '../../functions/core/baseline';
import { DEFAULT_BASELINE_SETTINGS } from '../../functions/core/baseline-settings';
import { compareRun, NOTHING_TO_COMPARE } from '../../functions/core/changes-since-green';
import { describeChanges } from '../../functions/core/describe-changes';
import { FakeImageDiffer } from '../fixtures/fake-image-differ';

const stored: StoredBaseline = {
  baseline: {
    schemaVersion: BASELINE_SCHEMA_VERSION,
    app: 'shop',
    environment: 'production',
    sealId: 'shop:release:r1',
    checkedAt: '2026-12-01T00:01:00.000Z',
    release: { releaseId: 'r1', version: '2026-12-01.1', commit: null },
    checks: [],
  },
  screenshots: new Map(),
};

describe('compareRun with no comparable check (a seal of Playwright tests only)', () => {
  it.each([
    ['a stored baseline', { kind: 'found' as const, stored }],
    ['no baseline yet', { kind: 'none' as const }],
  ])('says it was not compared, with %s', (_, read) => {
    const run = compareRun(read, [], DEFAULT_BASELINE_SETTINGS, new FakeImageDiffer());
    expect(run.changes).toMatchObject({ state: 'unavailable', note: NOTHING_TO_COMPARE, checks: [] });
    expect(describeChanges(run.changes)).toBe(`not compared with the last green seal: ${NOTHING_TO_COMPARE}`);
  });
});
