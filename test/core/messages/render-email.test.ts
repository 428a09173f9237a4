import { describe, expect, it } from 'vitest';
import { renderEmail } from '../../../functions/core/messages/render-email';
import { buildSealMessage, NO_AUTOMATIC_ROLLBACK } from '../../../functions/core/messages/seal-message';
import type { Seal } from '../../../functions/core/seal';
import { expectGolden } from '../../fixtures/golden';
import { greenSeal, inconclusiveSeal, recoveredSeal, redSeal } from '../../fixtures/sample-seals';

const cases: Record<string, Seal> = {
  green: greenSeal(),
  red: redSeal(),
  inconclusive: inconclusiveSeal(),
  recovered: recoveredSeal(),
};

function emailFor(seal: Seal) {
  return renderEmail(buildSealMessage(seal));
}

describe('renderEmail', () => {
  for (const [name, seal] of Object.entries(cases)) {
    it(`renders the ${name} email as in its golden file`, () => {
      const email = emailFor(seal);
      expectGolden(`email/${name}.txt`, `Subject: ${email.subject}\n\n${email.body}`);
    });
  }

  it('names the status, app, release and tally in the subject', () => {
    expect(emailFor(redSeal()).subject).toBe('RED seal: studio release 2026.06.26.1 (2 of 6 checks failed)');
  });

  it('keeps every subject ASCII, on one line and under 100 characters, whatever the release says', () => {
    const long = redSeal({
      app: 'a-very-long-application-name-for-testing',
      trigger: 'nightly',
      release: {
        ...redSeal().release!,
        version: `Ünïcødé-${'x'.repeat(200)}\r\nBcc: someone@example.com`,
      },
    });
    for (const seal of [...Object.values(cases), long]) {
      const { subject } = emailFor(seal);
      expect(subject.length).toBeLessThan(100);
      expect(subject).toMatch(/^[A-Za-z0-9][\x20-\x7e]*$/);
    }
    expect(emailFor(long).subject.endsWith('...')).toBe(true);
  });

  it('gives a red email each failed check, the report, the rollback command and says nothing was rolled back', () => {
    const { body } = emailFor(redSeal());
    expect(body).toContain('  - tasks (/tasks): uncaught ReferenceError: x is not defined');
    expect(body).toContain('  - up (/up): /up answered 503');
    expect(body).toContain('https://evidence.example.com/studio/2026.06.26.1/report.html');
    expect(body).toContain(
      '  git revert -m 1 0a1b2c3d4e5f60718293a4b5c6d7e8f901234567 && git push origin prod',
    );
    expect(body).toContain(NO_AUTOMATIC_ROLLBACK);
  });

  it('says why a red seal carries no rollback command when none could be rendered', () => {
    const { body } = emailFor(redSeal({ release: null, rollbackCommand: null }));
    expect(body).toContain('No rollback command: no release is known for this seal');
    expect(body).not.toContain('git revert');
  });

  it('never offers a rollback on an inconclusive seal, and says what broke', () => {
    const { body } = emailFor(
      inconclusiveSeal({ rollbackCommand: 'git revert -m 1 abcdef0 && git push origin prod' }),
    );
    expect(body).not.toContain('git revert');
    expect(body).not.toContain('Rollback command');
    expect(body).toContain('What broke:\n  Chromium did not start: spawn ENOMEM');
    expect(body).toContain('not a verdict on production');
  });
});
