import { describe, expect, it } from 'vitest';
import {
  decideAlert,
  EMAIL_ALERTS,
  EMAIL_FILTER_POLICY,
  lastAlertedAt,
  SEAL_ATTRIBUTE,
  sealMessageAttributes,
} from '../../functions/core/alert-policy';
import { TransitionSchema, TriggerSchema } from '../../functions/core/seal';
import { greenSeal, inconclusiveSeal, redSeal } from '../fixtures/sample-seals';

const AT = '2026-06-27T03:00:00.000Z';
const channels = (d: ReturnType<typeof decideAlert>) => ({
  email: d.email,
  discord: d.discord,
  releaseApi: d.releaseApi,
});

describe('decideAlert', () => {
  it('always posts a release seal to Discord and the Release record, and emails only red, inconclusive and recovered', () => {
    const expected = [
      ['green', 'unchanged', false, 'none'],
      ['green', 'recovered', true, 'recovered'],
      ['red', 'broke', true, 'red'],
      ['red', 'still-red', true, 'red'],
      ['inconclusive', 'tooling-fault', true, 'inconclusive'],
    ] as const;
    for (const [status, transition, email, alert] of expected) {
      const decision = decideAlert({ trigger: 'release', status, transition, checkedAt: AT }, AT);
      expect(decision, `${status}/${transition}`).toMatchObject({
        email,
        alert,
        discord: true,
        releaseApi: true,
      });
    }
  });

  it('treats a manual seal like a release seal: someone asked, so it always reports', () => {
    const decision = decideAlert(
      { trigger: 'manual', status: 'red', transition: 'still-red', checkedAt: AT },
      AT,
    );
    expect(channels(decision)).toEqual({ email: true, discord: true, releaseApi: true });
  });

  it('keeps a nightly seal silent while nothing changes', () => {
    for (const transition of ['first', 'unchanged'] as const) {
      const decision = decideAlert({ trigger: 'nightly', status: 'green', transition, checkedAt: AT }, null);
      expect(decision).toMatchObject({ alert: 'none', email: false, discord: false, releaseApi: false });
    }
  });

  it('repeats a still-red nightly alert only when the last alert is at least 20 hours old', () => {
    const seal = { trigger: 'nightly', status: 'red', transition: 'still-red', checkedAt: AT } as const;
    expect(decideAlert(seal, '2026-06-26T03:00:05.000Z').email).toBe(true);
    expect(decideAlert(seal, '2026-06-26T07:00:00.000Z').email).toBe(true);
    expect(decideAlert(seal, '2026-06-26T07:00:01.000Z')).toMatchObject({
      email: false,
      discord: false,
      alert: 'none',
    });
    expect(decideAlert(seal, null).email).toBe(true);
  });

  it('emails exactly the decisions whose alert attribute the email filter policy allows', () => {
    for (const trigger of TriggerSchema.options) {
      for (const transition of TransitionSchema.options) {
        for (const status of ['green', 'red', 'inconclusive'] as const) {
          for (const last of [null, '2026-06-27T02:00:00.000Z']) {
            const decision = decideAlert({ trigger, status, transition, checkedAt: AT }, last);
            const filtered = EMAIL_FILTER_POLICY[SEAL_ATTRIBUTE.alert]!.includes(decision.alert);
            expect(filtered, `${trigger}/${status}/${transition}/${last}`).toBe(decision.email);
          }
        }
      }
    }
    expect(EMAIL_ALERTS).toEqual(['red', 'inconclusive', 'recovered']);
  });
});

describe('sealMessageAttributes', () => {
  it('carries app, environment, status, trigger, transition and the alert for subscription filters', () => {
    const seal = redSeal({ trigger: 'nightly', environment: 'staging' });
    expect(sealMessageAttributes(seal, decideAlert(seal, null))).toEqual({
      app: 'studio',
      environment: 'staging',
      status: 'red',
      trigger: 'nightly',
      transition: 'broke',
      alert: 'red',
    });
  });
});

describe('lastAlertedAt', () => {
  it('finds no alert when the previous seal was green', () => {
    expect(lastAlertedAt([greenSeal(), redSeal()])).toBeNull();
  });

  it('replays the current red streak, oldest first, to find the last seal that spoke', () => {
    const night = (day: number, transition: 'broke' | 'still-red') =>
      redSeal({ trigger: 'nightly', transition, checkedAt: `2026-06-${day}T03:00:00.000Z` });
    const release = redSeal({
      trigger: 'release',
      transition: 'still-red',
      checkedAt: '2026-06-21T14:00:00.000Z',
    });
    // newest first: 22 (silenced by the release alert of the 21st at 14:00), release 21, 21 (alerted), 20 (broke)
    const history = [
      night(22, 'still-red'),
      release,
      night(21, 'still-red'),
      night(20, 'broke'),
      greenSeal(),
    ];
    expect(lastAlertedAt(history)).toBe('2026-06-21T14:00:00.000Z');
  });

  it('counts an inconclusive seal inside a red streak as part of it', () => {
    const broke = redSeal({ trigger: 'nightly', transition: 'broke', checkedAt: '2026-06-20T03:00:00.000Z' });
    const fault = inconclusiveSeal({ trigger: 'nightly', checkedAt: '2026-06-21T03:00:00.000Z' });
    expect(lastAlertedAt([fault, broke])).toBe('2026-06-21T03:00:00.000Z');
  });
});
