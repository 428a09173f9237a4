import { describe, expect, it } from 'vitest';
import { fitSeal, MAX_SEAL_BYTES, sealBytes } from '../../functions/core/fit-seal';
import type { Seal } from '../../functions/core/seal';
import { makeCheck, makeSeal } from '../fixtures/seal-factory';

const noisyAttempt = (outcome: 'passed' | 'failed') => ({
  ...makeCheck().attempts[0]!,
  outcome,
  error: outcome === 'failed' ? 'e'.repeat(250) : null,
  pageErrors: ['p'.repeat(150), 'p'.repeat(150)],
  consoleErrors: ['c'.repeat(150)],
});

/** 30 passing checks and 10 failing ones, each with page and console errors. */
function mixedSeal(): Seal {
  return makeSeal({
    status: 'red',
    rollbackCommand: 'git revert -m 1 a1b2c3d && git push origin main',
    checks: [
      ...Array.from({ length: 30 }, (_, index) =>
        makeCheck({ name: `ok ${index}`, attempts: [noisyAttempt('passed')] }),
      ),
      ...Array.from({ length: 10 }, (_, index) =>
        makeCheck({
          name: `broken ${index}`,
          outcome: 'failed',
          httpStatus: 500,
          error: 'e'.repeat(250),
          attempts: [noisyAttempt('failed'), noisyAttempt('failed')],
        }),
      ),
    ],
  });
}

const verdict = (seal: Seal) => ({
  status: seal.status,
  transition: seal.transition,
  rollbackCommand: seal.rollbackCommand,
  outcomes: seal.checks.map((check) => [check.outcome, check.httpStatus]),
  failing: seal.checks.filter((check) => check.outcome === 'failed').map((check) => check.name),
});

describe('fitSeal', () => {
  it('leaves a seal that fits as it is', () => {
    const seal = makeSeal();
    expect(fitSeal(seal)).toEqual({ seal, cut: 'none', bytes: sealBytes(seal) });
  });

  it("cuts the passing checks' detail first, keeping every failing attempt's messages", () => {
    const seal = mixedSeal();
    const passingDetail = sealBytes({
      ...seal,
      checks: seal.checks.map((check) => (check.outcome === 'passed' ? { ...check, attempts: [] } : check)),
    });

    const fitted = fitSeal(seal, passingDetail, 0);

    expect(fitted.cut).toBe('passing-detail');
    expect(fitted.bytes).toBeLessThanOrEqual(passingDetail);
    const passing = fitted.seal.checks.filter((check) => check.outcome === 'passed');
    expect(passing.every((check) => check.attempts.length === 0)).toBe(true);
    const failing = fitted.seal.checks.filter((check) => check.outcome === 'failed');
    expect(failing.every((check) => check.attempts.length === 2)).toBe(true);
    expect(failing[0]!.attempts[0]!.pageErrors).toEqual(['p'.repeat(150), 'p'.repeat(150)]);
    expect(verdict(fitted.seal)).toEqual(verdict(seal));
  });

  it('then cuts messages, then the failing attempts, and never the verdict', () => {
    const seal = mixedSeal();
    // 47 KB whole: 28 KB without the passing detail, 16 KB with messages cut, 8 KB without failing attempts.
    const cuts = [30_000, 20_000, 10_000].map((max) => fitSeal(seal, max, 0));

    for (const fitted of cuts) {
      expect(fitted.bytes).toBeLessThanOrEqual(sealBytes(fitted.seal));
      expect(verdict(fitted.seal)).toEqual(verdict(seal));
    }
    const order = [
      'texts-tight',
      'passing-detail',
      'messages',
      'failing-attempts',
      'passing-checks-bare',
      'checks-bare',
      'checks-dropped',
    ];
    expect(cuts.map((fitted) => fitted.cut)).toEqual(['passing-detail', 'messages', 'failing-attempts']);
    expect(order.indexOf(cuts[2]!.cut)).toBeGreaterThan(order.indexOf(cuts[1]!.cut));
    const messages = cuts[1]!.seal.checks.find((check) => check.outcome === 'failed')!;
    expect(messages.attempts[0]!.pageErrors).toEqual(['… [truncated] 2 not kept']);
    expect(messages.error!.length).toBeLessThanOrEqual(120);
  });

  it('never refuses: a seal of many thousands of checks keeps its failing ones and fits', () => {
    const seal = makeSeal({
      status: 'red',
      checks: [
        makeCheck({ name: 'checkout', outcome: 'failed', httpStatus: 500, error: 'checkout answered 500' }),
        ...Array.from({ length: 5_000 }, (_, index) =>
          makeCheck({ name: `ok ${index}`, path: `/p/${index}` }),
        ),
      ],
    });

    const fitted = fitSeal(seal);

    expect(fitted.bytes).toBeLessThanOrEqual(MAX_SEAL_BYTES);
    expect(fitted.cut).toBe('checks-dropped');
    expect(fitted.seal.status).toBe('red');
    expect(fitted.seal.checks[0]).toMatchObject({ name: 'checkout', outcome: 'failed', httpStatus: 500 });
    expect(fitted.seal.summary).toMatch(/of 5001 checks not kept in this record; the report has them all/);
  });
});
