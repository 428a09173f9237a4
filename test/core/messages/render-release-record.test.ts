import { describe, expect, it } from 'vitest';
import { renderReleaseRecord } from '../../../functions/core/messages/render-release-record';
import { buildSealMessage } from '../../../functions/core/messages/seal-message';
import type { Seal } from '../../../functions/core/seal';
import { expectGolden } from '../../fixtures/golden';
import { greenSeal, inconclusiveSeal, recoveredSeal, redSeal } from '../../fixtures/sample-seals';

const cases: Record<string, Seal> = {
  green: greenSeal(),
  red: redSeal(),
  inconclusive: inconclusiveSeal(),
  recovered: recoveredSeal(),
};

describe('renderReleaseRecord', () => {
  for (const [name, seal] of Object.entries(cases)) {
    it(`renders the ${name} Release record as in its golden file`, () => {
      const record = renderReleaseRecord(buildSealMessage(seal));
      expectGolden(`release-record/${name}.json`, `${JSON.stringify(record, null, 2)}\n`);
    });
  }

  it('has exactly the fields the release API takes', () => {
    const record = renderReleaseRecord(buildSealMessage(redSeal()));
    expect(Object.keys(record).sort()).toEqual(
      ['checked_at', 'notes_markdown', 'report_url', 'rollback_command', 'status', 'summary'].sort(),
    );
    expect(record).toMatchObject({
      status: 'red',
      checked_at: '2026-06-26T14:03:07.000Z',
      rollback_command: 'git revert -m 1 0a1b2c3d4e5f60718293a4b5c6d7e8f901234567 && git push origin prod',
    });
  });

  it('carries a rollback command only on red seals', () => {
    for (const seal of [
      greenSeal(),
      recoveredSeal(),
      inconclusiveSeal({ rollbackCommand: 'git revert x' }),
    ]) {
      expect(renderReleaseRecord(buildSealMessage(seal)).rollback_command).toBeNull();
    }
  });

  it('keeps the release notes block short when many checks fail', () => {
    const failing = Array.from({ length: 40 }, (_, index) => ({
      ...redSeal().checks[2]!,
      name: `check-${index}`,
      error: 'e'.repeat(500),
    }));
    const { notes_markdown } = renderReleaseRecord(buildSealMessage(redSeal({ checks: failing })));
    expect(notes_markdown.length).toBeLessThanOrEqual(2000);
    expect(notes_markdown).toContain('… and 35 more in the report');
  });
});
