// Environments: which one a seal checked, and that transitions and alerts never cross them.
import { describe, expect, it } from 'vitest';
import { alertForSeal } from '../../functions/core/alert-for-seal';
import { environmentOf, sealEnvironment } from '../../functions/core/environment-of';
import { buildSealMessage } from '../../functions/core/messages/seal-message';
import { resolveTargetUrl } from '../../functions/core/resolve-target';
import { DEFAULT_ROLLBACK_TEMPLATE } from '../../functions/core/rollback-command';
import { sealTrigger } from '../../functions/core/seal-trigger';
import { SpecSchema } from '../../functions/core/spec';
import { MemoryEvidenceStore } from '../fixtures/memory-evidence-store';
import { MemorySealStore } from '../fixtures/memory-seal-store';
import { RecordingPublisher } from '../fixtures/recording-publisher';
import { type ScriptedAnswer, ScriptedBrowser } from '../fixtures/scripted-browser';
import { makeSeal } from '../fixtures/seal-factory';

const app = {
  name: 'studio',
  url: 'https://studio.example.com',
  allowedHosts: ['cdn.studio.example.com'],
  environments: { staging: 'staging.example.com', preview: '*.preview.example.com' },
  spec: SpecSchema.parse({ checks: [{ kind: 'status', name: 'up', path: '/up', status: 200 }] }),
  rollbackTemplate: DEFAULT_ROLLBACK_TEMPLATE,
};
const STAGING = 'https://staging.example.com/';
const failUp: Record<string, ScriptedAnswer[]> = {
  up: [{ outcome: 'failed', afterMs: 1, error: '/up answered 503, expected 200' }],
};

/** One clock for every seal of a test file: each seal is a minute after the one before. */
let tick = Date.parse('2026-06-26T10:00:00Z');
function ports(store: MemorySealStore, answers: Record<string, ScriptedAnswer[]> = {}) {
  return {
    launcher: new ScriptedBrowser(answers),
    store,
    evidence: new MemoryEvidenceStore(),
    publisher: new RecordingPublisher(),
    clock: {
      now: () => {
        tick += 60_000;
        return new Date(tick);
      },
    },
  };
}

let request = 0;
async function seal(store: MemorySealStore, smokeUrl: string | undefined, answers = {}) {
  request += 1;
  const outcome = await sealTrigger(
    app,
    { trigger: 'manual', requestId: `r${request}`, smokeUrl },
    ports(store, answers),
    5_000,
  );
  return outcome.seal;
}

describe('environmentOf', () => {
  it('names the environment whose host the target is on, else production', () => {
    expect(environmentOf(app, 'https://studio.example.com/')).toBe('production');
    expect(environmentOf(app, 'https://cdn.studio.example.com/')).toBe('production');
    expect(environmentOf(app, STAGING)).toBe('staging');
    expect(environmentOf(app, 'https://pr-7.preview.example.com/')).toBe('preview');
    expect(environmentOf({}, STAGING)).toBe('production');
    expect(sealEnvironment({})).toBe('production');
  });

  it("allows an environment's host as a smoke URL", () => {
    expect(resolveTargetUrl(app, STAGING)).toBe(STAGING);
    expect(() => resolveTargetUrl({ ...app, environments: {} }, STAGING)).toThrow(/not allowed/);
  });
});

describe('seals per environment', () => {
  it('records the environment; a staging seal never breaks or recovers production', async () => {
    const store = new MemorySealStore();
    const prodGreen = await seal(store, undefined);
    expect(prodGreen).toMatchObject({ environment: 'production', transition: 'first' });

    const stagingRed = await seal(store, STAGING, failUp);
    expect(stagingRed).toMatchObject({ environment: 'staging', status: 'red', transition: 'broke' });

    // Production is compared with production only: still unchanged, not recovered from staging's red.
    const prodAgain = await seal(store, undefined);
    expect(prodAgain).toMatchObject({ environment: 'production', transition: 'unchanged' });

    const stagingGreen = await seal(store, STAGING);
    expect(stagingGreen).toMatchObject({ environment: 'staging', transition: 'recovered' });

    expect((await store.history('studio')).seals.map((s) => s.id)).toEqual([prodAgain.id, prodGreen.id]);
    expect((await store.history('studio', { environment: 'staging' })).seals.map((s) => s.id)).toEqual([
      stagingGreen.id,
      stagingRed.id,
    ]);
    expect((await store.latest('studio'))?.id).toBe(prodAgain.id);
  });

  it("repeats a still-red nightly alert from its own environment's streak only", async () => {
    const store = new MemorySealStore();
    const at = (hour: number) => new Date(Date.UTC(2026, 5, 26, hour)).toISOString();
    // Production went red and was alerted 2 hours ago; staging has been red for days with no alert yet seen.
    await store.put(
      makeSeal({
        id: 'p1',
        app: 'studio',
        trigger: 'nightly',
        status: 'red',
        transition: 'broke',
        checkedAt: at(8),
      }),
    );
    const stagingStill = makeSeal({
      id: 's2',
      app: 'studio',
      environment: 'staging',
      trigger: 'nightly',
      status: 'red',
      transition: 'still-red',
      checkedAt: at(10),
    });
    await store.put(stagingStill);
    const decision = await alertForSeal(stagingStill, store);
    // Production's alert at 08:00 does not silence staging: staging's own streak has no alert before it.
    expect(decision.email).toBe(true);
    expect(decision.reason).toMatch(/no earlier alert/);
  });

  it('says the environment in messages, and keeps production unnamed', () => {
    expect(buildSealMessage(makeSeal({ app: 'studio', environment: 'staging' })).title).toMatch(
      /^GREEN seal: studio \(staging\) /,
    );
    expect(buildSealMessage(makeSeal({ app: 'studio' })).title).not.toMatch(/production/);
  });
});
