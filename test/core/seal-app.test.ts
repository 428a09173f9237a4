import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLLBACK_TEMPLATE } from '../../functions/core/rollback-command';
import type { ReleaseInfo } from '../../functions/core/seal';
import { type SealRequest, sealApp } from '../../functions/core/seal-app';
import { SpecSchema } from '../../functions/core/spec';
import { MemoryEvidenceStore } from '../fixtures/memory-evidence-store';
import { MemorySealStore } from '../fixtures/memory-seal-store';
import { RecordingPublisher } from '../fixtures/recording-publisher';
import { type ScriptedAnswer, ScriptedBrowser } from '../fixtures/scripted-browser';

const release: ReleaseInfo = {
  releaseId: '2026.06.26.1',
  version: '2026.06.26.1',
  commit: 'a1b2c3d',
  mergeCommit: '9b1d4e7',
  branch: 'main',
  notesThreadId: null,
  releaseUrl: null,
};

const spec = SpecSchema.parse({
  checks: [
    { kind: 'status', name: 'up', path: '/up', status: 200 },
    { kind: 'status', name: 'devops', path: '/devops', status: 404 },
  ],
});

function request(overrides: Partial<SealRequest> = {}): SealRequest {
  return {
    sealId: 'studio:release:2026.06.26.1',
    app: 'studio',
    trigger: 'release',
    baseUrl: 'https://studio.example.com/',
    appHosts: ['studio.example.com'],
    spec,
    rollbackTemplate: DEFAULT_ROLLBACK_TEMPLATE,
    release,
    deadlineMs: 5_000,
    ...overrides,
  };
}

function ports(answers: Record<string, ScriptedAnswer[]> = {}) {
  let tick = Date.parse('2026-06-26T10:00:00Z');
  return {
    launcher: new ScriptedBrowser(answers),
    store: new MemorySealStore(),
    evidence: new MemoryEvidenceStore(),
    publisher: new RecordingPublisher(),
    clock: {
      now: () => {
        tick += 1_000;
        return new Date(tick);
      },
    },
  };
}

const failUp = { up: [{ outcome: 'failed' as const, afterMs: 1, error: '/up answered 503, expected 200' }] };

describe('sealApp', () => {
  it('runs, records and announces a green seal', async () => {
    const p = ports();
    const outcome = await sealApp(request(), p);
    expect(outcome).toMatchObject({ duplicate: false, published: true });
    expect(outcome.seal).toMatchObject({
      status: 'green',
      transition: 'first',
      rollbackCommand: null,
      trigger: 'release',
    });
    expect((await p.store.get(outcome.seal.id))?.deliveries.published?.state).toBe('delivered');
    expect(p.publisher.published.map((seal) => seal.id)).toEqual(['studio:release:2026.06.26.1']);
    expect([...p.evidence.files.keys()]).toEqual([
      expect.stringMatching(/^studio:release:2026\.06\.26\.1:run-20260626T100001Z-[0-9a-f]{8}\/index\.html$/),
    ]);
  });

  it('renders the rollback command on a red seal of a known release', async () => {
    const outcome = await sealApp(request(), ports(failUp));
    expect(outcome.seal.status).toBe('red');
    expect(outcome.seal.transition).toBe('broke');
    expect(outcome.seal.rollbackCommand).toBe('git revert -m 1 9b1d4e7 && git push origin main');
  });

  it('renders no rollback command when no release is known, and says nothing is wrong with the checker', async () => {
    const outcome = await sealApp(
      request({ release: null, trigger: 'manual', sealId: 'studio:manual:r1' }),
      ports(failUp),
    );
    expect(outcome.seal).toMatchObject({ status: 'red', rollbackCommand: null, toolingError: null });
  });

  it('records why the rollback command could not be rendered instead of pasting a partial one', async () => {
    const outcome = await sealApp(request({ release: { ...release, mergeCommit: null } }), ports(failUp));
    expect(outcome.seal.rollbackCommand).toBeNull();
    expect(outcome.seal.toolingError).toBe('rollback command: {mergeCommit} is unknown for this release');
  });

  it('returns the stored seal for a duplicate without running or announcing again', async () => {
    const p = ports();
    await sealApp(request(), p);
    const again = await sealApp(request(), p);
    expect(again).toMatchObject({ duplicate: true, published: false });
    expect(p.launcher.launches).toBe(1);
    expect(p.publisher.published).toHaveLength(1);
  });

  it('stores before announcing, and a retry after a failed announcement only announces', async () => {
    const p = ports();
    p.publisher.failNext = 1;
    await expect(sealApp(request(), p)).rejects.toThrow('publish failed');
    expect((await p.store.get('studio:release:2026.06.26.1'))?.deliveries.published).toBeUndefined();
    const retry = await sealApp(request(), p);
    expect(retry).toMatchObject({ duplicate: true, published: true });
    expect(p.launcher.launches).toBe(1);
    expect(p.publisher.published).toHaveLength(1);
  });

  it('keeps the verdict when the evidence store fails, and says so on the seal', async () => {
    const p = ports(failUp);
    p.evidence.failWith = new Error('bucket unreachable');
    const outcome = await sealApp(request(), p);
    expect(outcome.seal.status).toBe('red');
    expect(outcome.seal.evidence).toEqual({ reportUrl: null, error: 'report: bucket unreachable' });
  });

  it("compares with the app's previous seal: red after green broke, green after red recovered", async () => {
    const p = ports();
    await sealApp(request({ sealId: 'studio:nightly:2026-06-26', trigger: 'nightly' }), p);
    p.launcher = new ScriptedBrowser(failUp);
    const broke = await sealApp(request({ sealId: 'studio:nightly:2026-06-27', trigger: 'nightly' }), p);
    expect(broke.seal.transition).toBe('broke');
    const still = await sealApp(request({ sealId: 'studio:nightly:2026-06-28', trigger: 'nightly' }), p);
    expect(still.seal.transition).toBe('still-red');
    p.launcher = new ScriptedBrowser({});
    const recovered = await sealApp(request({ sealId: 'studio:nightly:2026-06-29', trigger: 'nightly' }), p);
    expect(recovered.seal.transition).toBe('recovered');
  });
});

describe('sealApp transitions past inconclusive seals', () => {
  it('calls green after red recovered even with an inconclusive seal between them', async () => {
    const p = ports(failUp);
    await sealApp(request({ sealId: 'studio:nightly:1', trigger: 'nightly' }), p);
    p.launcher = new ScriptedBrowser({}, new Error('no chromium'));
    const broken = await sealApp(request({ sealId: 'studio:nightly:2', trigger: 'nightly' }), p);
    expect(broken.seal.transition).toBe('tooling-fault');
    p.launcher = new ScriptedBrowser({});
    const green = await sealApp(request({ sealId: 'studio:nightly:3', trigger: 'nightly' }), p);
    expect(green.seal.transition).toBe('recovered');
  });
});

describe('sealApp under a concurrent duplicate', () => {
  it('announces once when two deliveries of one event run at the same time', async () => {
    const p = ports();
    p.publisher.delayMs = 50;
    const [a, b] = await Promise.all([sealApp(request(), p), sealApp(request(), p)]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(p.publisher.published).toHaveLength(1);
  });
});
