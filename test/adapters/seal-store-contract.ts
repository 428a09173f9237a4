// The SealStore contract: every store (DynamoDB on dynalite, the in-memory one the core tests use) must
// pass these, so a fake store can never drift from the real one. Run from each store's own test file.
import { beforeEach, describe, expect, it } from 'vitest';
import { SEAL_TABLE, sealKeys } from '../../functions/adapters/seal-table';
import { StoreError } from '../../functions/core/errors';
import type { SealStore } from '../../functions/core/ports';
import type { Seal } from '../../functions/core/seal';
import { TRUNCATED_MARKER } from '../../functions/core/truncate-seal';
import { makeCheck, makeSeal } from '../fixtures/seal-factory';

type Key = Record<string, string>;

/** A fresh, empty store, and its table's items as they are. */
export interface SealStoreHarness {
  readonly store: SealStore;
  rawItem(key: Key): Promise<Record<string, unknown> | undefined>;
  putRaw(item: Record<string, unknown>): Promise<void>;
  deleteRaw(key: Key): Promise<void>;
  /** A store on the same table that keeps seals `days` days. */
  withRetention(days: number): SealStore;
}

/** A seal of `app` checked `minute` minutes after 10:00, with an id unique to that minute. */
function sealAt(minute: number, overrides: Partial<Seal> = {}): Seal {
  const app = overrides.app ?? 'shop';
  const checkedAt = new Date(Date.UTC(2026, 10, 22, 10, minute)).toISOString();
  return makeSeal({
    id: `${app}:manual:m${String(minute).padStart(3, '0')}`,
    trigger: 'manual',
    checkedAt,
    ...overrides,
  });
}

/** A red seal of an outage: `failing` checks that saw everything a check can keep, and `passing` ones. */
function outageSeal(failing: number, passing: number): Seal {
  const long = (char: string, length: number) => char.repeat(length);
  const attempt = (index: number) => ({
    ...makeCheck().attempts[0]!,
    outcome: 'failed' as const,
    url: `https://shop.example.com/t/${index}?${long('q', 1_900)}`,
    finalUrl: `https://shop.example.com/t/${index}?${long('f', 1_900)}`,
    httpStatus: 500,
    error: long('e', 1_990),
    pageErrors: Array.from({ length: 20 }, () => long('p', 490)),
    consoleErrors: Array.from({ length: 20 }, () => long('c', 490)),
    screenshot: `seals/shop/release/r1/run-1/${index}.png`,
    redirectChain: Array.from({ length: 10 }, () => ({
      url: `https://shop.example.com/${long('r', 1_900)}`,
      status: 302,
    })),
    failedRequests: Array.from({ length: 20 }, () => ({
      method: 'GET',
      url: `https://cdn.example.com/${long('u', 1_900)}`,
      status: 500,
      failure: long('x', 400),
    })),
    pageErrorDetails: Array.from({ length: 10 }, () => ({
      message: long('m', 490),
      stack: long('s', 1_990),
    })),
  });
  const checks = [
    ...Array.from({ length: failing }, (_, index) =>
      makeCheck({
        name: `test ${index}: ${long('n', 200)}`,
        kind: 'test',
        outcome: 'failed',
        httpStatus: 500,
        error: long('e', 1_990),
        attempts: [attempt(index), attempt(index)],
      }),
    ),
    ...Array.from({ length: passing }, (_, index) =>
      makeCheck({ name: `passing ${index}`, kind: 'test', path: `/p/${index}` }),
    ),
  ];
  return makeSeal({
    status: 'red',
    summary: `${failing} of ${failing + passing} checks failed`,
    rollbackCommand: 'git revert -m 1 a1b2c3d && git push origin main',
    checks,
    refused: {
      count: 5_000,
      requests: Array.from({ length: 50 }, (_, index) => ({
        method: 'POST',
        url: `https://shop.example.com/${index}/${long('w', 1_900)}`,
        reason: 'read-only',
        count: 100,
      })),
    },
  });
}

export function sealStoreContract(open: () => Promise<SealStoreHarness>): void {
  let h: SealStoreHarness;
  let store: SealStore;
  const rawItem = (key: Key) => h.rawItem(key);

  beforeEach(async () => {
    h = await open();
    store = h.store;
  });

  describe('put and get', () => {
    it('stores a seal and reads it back by id', async () => {
      const seal = makeSeal();

      const result = await store.put(seal);

      expect(result).toEqual({ seal, duplicate: false });
      expect(await store.get(seal.id)).toEqual(seal);
    });

    it('returns undefined for an id that was never stored', async () => {
      expect(await store.get('shop:manual:nope')).toBeUndefined();
    });

    it('returns the first seal and says it is a duplicate when the id is put again', async () => {
      const first = makeSeal({ status: 'green', summary: 'all 6 checks passed' });
      const second = makeSeal({
        status: 'red',
        summary: 'home answered 500',
        checkedAt: '2026-11-22T10:05:00.000Z',
      });

      await store.put(first);
      const again = await store.put(second);

      expect(again).toEqual({ seal: first, duplicate: true });
      expect(await store.get(first.id)).toEqual(first);
      expect((await store.history('shop')).seals).toHaveLength(1);
    });

    it('makes one seal of concurrent puts of the same id, and tells exactly one writer it was first', async () => {
      const variants = Array.from({ length: 8 }, (_, index) => makeSeal({ summary: `writer ${index}` }));

      const results = await Promise.all(variants.map((seal) => store.put(seal)));

      expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
      const winner = results.find((result) => !result.duplicate)!.seal;
      for (const result of results) expect(result.seal).toEqual(winner);
      expect(await store.get(winner.id)).toEqual(winner);
    });

    it('keeps seals of the same id apart from other ids', async () => {
      await store.put(sealAt(1));
      await store.put(sealAt(2));

      expect((await store.get(sealAt(1).id))?.checkedAt).toBe(sealAt(1).checkedAt);
      expect((await store.get(sealAt(2).id))?.checkedAt).toBe(sealAt(2).checkedAt);
    });
  });

  describe('latest', () => {
    it('is undefined for an app that has no seal', async () => {
      expect(await store.latest('shop')).toBeUndefined();
    });

    it('never moves back when an older seal is stored after a newer one', async () => {
      await store.put(sealAt(5));
      await store.put(sealAt(3));

      expect((await store.latest('shop'))?.id).toBe(sealAt(5).id);
    });

    it('leaves the newest of 20 concurrent seals of one app as latest', async () => {
      const minutes = [13, 2, 19, 7, 0, 11, 5, 17, 3, 9, 15, 1, 18, 6, 12, 4, 16, 8, 14, 10];
      await Promise.all(minutes.map((minute) => store.put(sealAt(minute))));

      expect((await store.latest('shop'))?.id).toBe(sealAt(19).id);
    });

    it('orders two seals checked at the same instant by id, so every writer agrees', async () => {
      const at = '2026-11-22T10:00:00.000Z';
      await store.put(makeSeal({ id: 'shop:manual:b', checkedAt: at }));
      await store.put(makeSeal({ id: 'shop:manual:a', checkedAt: at }));

      expect((await store.latest('shop'))?.id).toBe('shop:manual:b');
    });

    it('keeps the latest seal of an app after its seal item has expired', async () => {
      const seal = sealAt(1);
      await store.put(seal);
      await h.deleteRaw(sealKeys.seal(seal.id));

      expect(await store.latest('shop')).toEqual(seal);
    });

    it('repairs a pointer that never moved when the same seal is put again', async () => {
      const seal = sealAt(1);
      await store.put(seal);
      await h.deleteRaw(sealKeys.latest('shop'));

      const again = await store.put(seal);

      expect(again.duplicate).toBe(true);
      expect((await store.latest('shop'))?.id).toBe(seal.id);
    });
  });

  describe('history', () => {
    it('lists an app newest first across pages, with no cursor on the last page', async () => {
      for (const minute of [4, 1, 6, 3, 0, 5, 2]) await store.put(sealAt(minute));
      await store.put(sealAt(9, { app: 'blog' }));

      const first = await store.history('shop', { limit: 3 });
      const second = await store.history('shop', { limit: 3, cursor: first.cursor });
      const third = await store.history('shop', { limit: 3, cursor: second.cursor });

      const ids = (page: { seals: readonly Seal[] }) => page.seals.map((seal) => seal.id);
      expect(ids(first)).toEqual([sealAt(6).id, sealAt(5).id, sealAt(4).id]);
      expect(ids(second)).toEqual([sealAt(3).id, sealAt(2).id, sealAt(1).id]);
      expect(ids(third)).toEqual([sealAt(0).id]);
      expect(first.cursor).toEqual(expect.any(String));
      expect(third.cursor).toBeUndefined();
    });

    it('gives no cursor when the last page is exactly full', async () => {
      for (const minute of [0, 1, 2, 3]) await store.put(sealAt(minute));

      const first = await store.history('shop', { limit: 2 });
      const second = await store.history('shop', { limit: 2, cursor: first.cursor });

      expect(second.seals.map((seal) => seal.id)).toEqual([sealAt(1).id, sealAt(0).id]);
      expect(second.cursor).toBeUndefined();
    });

    it('is empty for an app with no seals', async () => {
      expect(await store.history('nothing-here')).toEqual({ seals: [], corrupt: [], cursor: undefined });
    });

    it('refuses a cursor that belongs to another app', async () => {
      for (const minute of [0, 1]) await store.put(sealAt(minute));
      const page = await store.history('shop', { limit: 1 });

      await expect(store.history('blog', { cursor: page.cursor })).rejects.toThrow(
        /cursor: not a history cursor of app "blog"/,
      );
      await expect(store.history('shop', { cursor: 'garbage' })).rejects.toThrow(/cursor:/);
    });

    it('reports an item that does not parse with its key and field, and still lists the others', async () => {
      await store.put(sealAt(1));
      await store.put(sealAt(3));
      const bad = { ...sealAt(2), status: 'purple' };
      const order = sealKeys.order(bad.checkedAt, bad.id);
      await h.putRaw({ ...bad, ...sealKeys.seal(bad.id), byAppPk: sealKeys.byAppPk('shop'), byAppSk: order });

      const page = await store.history('shop');

      expect(page.seals.map((seal) => seal.id)).toEqual([sealAt(3).id, sealAt(1).id]);
      expect(page.corrupt).toEqual([
        { key: `pk="SEAL#${bad.id}" sk="SEAL"`, problem: expect.stringMatching(/^status: /) },
      ]);
      await expect(store.get(bad.id)).rejects.toThrow(
        /corrupt item pk="SEAL#shop:manual:m002" sk="SEAL" .*status: /,
      );
    });
  });

  describe('forRelease', () => {
    it('returns every seal of one release of one app, newest first', async () => {
      const release = makeSeal().release!;
      const other = { ...release, releaseId: 'rel-older' };
      await store.put(sealAt(0, { id: 'shop:release:rel-2026-11-22-1', trigger: 'release', release }));
      await store.put(sealAt(10, { id: 'shop:nightly:2026-11-22', trigger: 'nightly', release }));
      await store.put(sealAt(20, { id: 'shop:manual:req-1', trigger: 'manual', release }));
      await store.put(sealAt(5, { id: 'shop:release:rel-older', release: other }));
      await store.put(sealAt(6, { id: 'shop:manual:no-release', release: null }));
      await store.put(sealAt(7, { app: 'blog', id: 'blog:release:same-id', release }));

      const page = await store.forRelease('shop', release.releaseId);

      expect(page.seals.map((seal) => seal.id)).toEqual([
        'shop:manual:req-1',
        'shop:nightly:2026-11-22',
        'shop:release:rel-2026-11-22-1',
      ]);
      expect(page.cursor).toBeUndefined();
    });
  });

  describe('latestOfEveryApp', () => {
    it('returns the newest seal of each app, sorted by app', async () => {
      await store.put(sealAt(1, { app: 'shop' }));
      await store.put(sealAt(4, { app: 'shop' }));
      await store.put(sealAt(2, { app: 'blog' }));
      await store.put(sealAt(3, { app: 'admin', status: 'red', summary: 'sign-in answered 500' }));

      const page = await store.latestOfEveryApp();

      expect(page.seals.map((seal) => [seal.app, seal.id])).toEqual([
        ['admin', sealAt(3, { app: 'admin' }).id],
        ['blog', sealAt(2, { app: 'blog' }).id],
        ['shop', sealAt(4).id],
      ]);
      expect(page.corrupt).toEqual([]);
    });

    it('reports a pointer that does not parse and still lists the other apps', async () => {
      await store.put(sealAt(1, { app: 'shop' }));
      await h.putRaw({ ...sealKeys.latest('blog'), order: 'x' });

      const page = await store.latestOfEveryApp();

      expect(page.seals.map((seal) => seal.app)).toEqual(['shop']);
      expect(page.corrupt).toEqual([
        { key: 'pk="LATEST" sk="APP#blog"', problem: expect.stringContaining('sealId') },
      ]);
    });
  });

  describe('updateDelivery', () => {
    const delivered = {
      state: 'delivered' as const,
      attempts: 1,
      updatedAt: '2026-11-22T10:01:00.000Z',
      detail: null,
    };
    const failed = {
      state: 'failed' as const,
      attempts: 3,
      updatedAt: '2026-11-22T10:02:00.000Z',
      detail: 'HTTP 503',
    };

    it('updates one channel without touching the verdict or the other channels', async () => {
      const seal = makeSeal({
        status: 'red',
        summary: 'home answered 500',
        deliveries: { email: delivered },
      });
      await store.put(seal);

      await Promise.all([
        store.updateDelivery(seal.id, 'discord', failed),
        store.updateDelivery(seal.id, 'releaseApi', delivered),
      ]);

      const stored = await store.get(seal.id);
      expect(stored).toEqual({
        ...seal,
        deliveries: { email: delivered, discord: failed, releaseApi: delivered },
      });
      expect((await store.latest('shop'))?.deliveries.discord).toEqual(failed);
    });

    it('refuses to record a delivery of a seal that does not exist', async () => {
      await expect(store.updateDelivery('shop:manual:nope', 'discord', delivered)).rejects.toThrow(
        /no seal "shop:manual:nope" in table "[^"]+" to record its discord delivery/,
      );
    });
  });

  describe('claimDelivery', () => {
    const NOW = '2026-11-22T10:01:00.000Z';
    const LATER = '2026-11-22T10:03:00.000Z';
    const claimBy = (owner: string, now = NOW, until = LATER) => ({ owner, now, until });

    it('lets exactly one of many concurrent claimers of a channel win, and stores its claim on the seal item', async () => {
      const seal = makeSeal();
      await store.put(seal);
      const owners = Array.from({ length: 8 }, (_, index) => `relay-${index}`);

      const won = await Promise.all(
        owners.map((owner) => store.claimDelivery(seal.id, 'discord', claimBy(owner))),
      );

      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = owners[won.indexOf(true)];
      expect((await rawItem(sealKeys.seal(seal.id)))?.discordClaim).toEqual({ owner: winner, until: LATER });
      // The claim is the store's business, not part of the seal.
      expect(await store.get(seal.id)).toEqual(seal);
    });

    it('refuses another owner while the claim runs, and lets it take over once the claim has expired', async () => {
      const seal = makeSeal();
      await store.put(seal);
      await store.claimDelivery(seal.id, 'discord', claimBy('relay-a'));

      expect(
        await store.claimDelivery(seal.id, 'discord', claimBy('relay-b', '2026-11-22T10:02:59.999Z')),
      ).toBe(false);
      expect(
        await store.claimDelivery(seal.id, 'discord', claimBy('relay-b', LATER, '2026-11-22T10:05:00.000Z')),
      ).toBe(true);
      expect((await rawItem(sealKeys.seal(seal.id)))?.discordClaim).toEqual({
        owner: 'relay-b',
        until: '2026-11-22T10:05:00.000Z',
      });
      expect(await store.claimDelivery(seal.id, 'discord', claimBy('relay-a', LATER))).toBe(false);
    });

    it('lets the holder claim again, so a retried request does not lock itself out', async () => {
      const seal = makeSeal();
      await store.put(seal);

      expect(await store.claimDelivery(seal.id, 'discord', claimBy('relay-a'))).toBe(true);
      expect(await store.claimDelivery(seal.id, 'discord', claimBy('relay-a'))).toBe(true);
    });

    it('never grants a channel that is already delivered, claimed or not', async () => {
      const seal = makeSeal();
      await store.put(seal);
      await store.updateDelivery(seal.id, 'discord', {
        state: 'delivered',
        attempts: 1,
        updatedAt: NOW,
        detail: 'posted',
      });

      expect(await store.claimDelivery(seal.id, 'discord', claimBy('relay-a'))).toBe(false);
      expect((await rawItem(sealKeys.seal(seal.id)))?.discordClaim).toBeUndefined();
    });

    it('grants a channel whose last delivery failed, and keeps channels apart', async () => {
      const seal = makeSeal({
        deliveries: { discord: { state: 'failed', attempts: 4, updatedAt: NOW, detail: 'HTTP 503' } },
      });
      await store.put(seal);

      expect(await store.claimDelivery(seal.id, 'discord', claimBy('relay-a'))).toBe(true);
      expect(await store.claimDelivery(seal.id, 'releaseApi', claimBy('relay-b'))).toBe(true);
      expect(await store.claimDelivery(seal.id, 'releaseApi', claimBy('relay-a'))).toBe(false);
    });

    it('grants nothing for a seal that does not exist, and creates no item', async () => {
      expect(await store.claimDelivery('shop:manual:nope', 'discord', claimBy('relay-a'))).toBe(false);
      expect(await rawItem(sealKeys.seal('shop:manual:nope'))).toBeUndefined();
    });

    it('refuses a claim time that is not ISO-8601, since claims are compared as strings', async () => {
      await store.put(makeSeal());
      await expect(
        store.claimDelivery(makeSeal().id, 'discord', claimBy('relay-a', 'yesterday')),
      ).rejects.toThrow(StoreError);
    });
  });

  describe('size and retention', () => {
    it('cuts long texts with a visible marker and caps error lists, keeping the item small', async () => {
      const huge = 'x'.repeat(200_000);
      const check = makeCheck({
        outcome: 'failed',
        error: huge,
        attempts: [
          {
            ...makeCheck().attempts[0]!,
            outcome: 'failed',
            error: huge,
            pageErrors: Array.from({ length: 500 }, (_, index) => `TypeError ${index}: ${'y'.repeat(5_000)}`),
            consoleErrors: [huge],
          },
        ],
      });
      const seal = makeSeal({ status: 'red', summary: huge, toolingError: null, checks: [check] });

      const { seal: stored } = await store.put(seal);

      expect(stored.summary.endsWith(TRUNCATED_MARKER)).toBe(true);
      expect(stored.summary.length).toBeLessThanOrEqual(1_000);
      const attempt = stored.checks[0]!.attempts[0]!;
      expect(attempt.error?.endsWith(TRUNCATED_MARKER)).toBe(true);
      expect(attempt.pageErrors).toHaveLength(10);
      expect(attempt.pageErrors.at(-1)).toBe(`${TRUNCATED_MARKER} 491 more not kept`);
      expect(attempt.consoleErrors[0]?.endsWith(TRUNCATED_MARKER)).toBe(true);
      expect(stored.status).toBe('red');
      expect(await store.get(seal.id)).toEqual(stored);
      const bytes = Buffer.byteLength(JSON.stringify(await rawItem(sealKeys.seal(seal.id))));
      expect(bytes).toBeLessThan(64 * 1024);
    });

    it('stores a seal of hundreds of failing checks by cutting harder, far below 400 KB', async () => {
      const checks = Array.from({ length: 300 }, (_, index) =>
        makeCheck({ name: `check ${index}`, outcome: 'failed', error: 'e'.repeat(3_000) }),
      );
      const seal = makeSeal({ status: 'red', checks });

      const { seal: stored } = await store.put(seal);

      expect(stored.checks).toHaveLength(300);
      expect(stored.checks[0]!.error).toHaveLength(300);
      const bytes = Buffer.byteLength(JSON.stringify(await rawItem(sealKeys.seal(seal.id))));
      expect(bytes).toBeLessThan(300 * 1024);
    });

    it('stores a seal of 400 failing checks with everything they saw: verdict, counts and failing names kept, each item under 400 KB', async () => {
      // Before: "refused to store seal … over 300 KB": no seal, the CLI exited 2, the Lambda retried into the DLQ.
      const seal = outageSeal(400, 20);

      const { seal: stored } = await store.put(seal);

      expect(stored.status).toBe('red');
      expect(stored.rollbackCommand).toBe(seal.rollbackCommand);
      const verdictOf = (checks: Seal['checks']) =>
        checks.map((check) => [check.name, check.outcome, check.httpStatus]);
      expect(verdictOf(stored.checks)).toEqual(verdictOf(seal.checks));
      expect(stored.refused.count).toBe(seal.refused.count);
      expect(await store.get(seal.id)).toEqual(stored);
      expect((await store.latest('shop'))?.id).toBe(seal.id);
      for (const key of [sealKeys.seal(seal.id), sealKeys.latest('shop')]) {
        expect(Buffer.byteLength(JSON.stringify(await rawItem(key)))).toBeLessThan(400 * 1024);
      }
    });

    it('stores a seal of thousands of checks, keeping the failing ones and saying how many were left out', async () => {
      const seal = outageSeal(5, 4_000);

      const { seal: stored } = await store.put(seal);

      expect(stored.status).toBe('red');
      const failing = (checks: Seal['checks']) =>
        checks.filter((check) => check.outcome === 'failed').map((check) => check.name);
      expect(failing(stored.checks)).toEqual(failing(seal.checks));
      expect(stored.summary).toMatch(/\d+ of 4005 checks not kept in this record; the report has them all/);
      expect(Buffer.byteLength(JSON.stringify(await rawItem(sealKeys.seal(seal.id))))).toBeLessThan(
        400 * 1024,
      );
    });

    it('sets the TTL from the check time and the configured days, and never on the latest pointer', async () => {
      const month = h.withRetention(30);
      const seal = makeSeal({ checkedAt: '2026-11-22T10:00:00.000Z' });
      await month.put(seal);

      const checked = Date.parse(seal.checkedAt) / 1000;
      expect((await rawItem(sealKeys.seal(seal.id)))?.[SEAL_TABLE.timeToLiveAttribute]).toBe(
        checked + 30 * 86_400,
      );
      expect(await rawItem(sealKeys.latest('shop'))).not.toHaveProperty(SEAL_TABLE.timeToLiveAttribute);

      await store.put(makeSeal({ id: 'shop:manual:year' }));
      expect((await rawItem(sealKeys.seal('shop:manual:year')))?.[SEAL_TABLE.timeToLiveAttribute]).toBe(
        checked + 365 * 86_400,
      );
    });

    it('refuses a seal whose checkedAt is not a time', async () => {
      await expect(store.put(makeSeal({ checkedAt: 'yesterday' }))).rejects.toThrow(
        /checkedAt "yesterday" is not an ISO-8601 time/,
      );
    });
  });

  describe('environments', () => {
    it('keeps one history and one latest seal per environment; seals stored before environments are production', async () => {
      // A seal written before environments existed: no environment attribute at all.
      const { environment: _none, ...legacy } = sealAt(1);
      await store.put(legacy as Seal);
      const staging = [2, 3, 4].map((minute) => sealAt(minute, { environment: 'staging' }));
      for (const seal of staging) await store.put(seal);
      const production = sealAt(5, { environment: 'production' });
      await store.put(production);

      const prod = await store.history('shop');
      expect(prod.seals.map((seal) => seal.id)).toEqual([production.id, legacy.id]);
      expect(prod.seals[1]?.environment).toBeUndefined();
      const page = await store.history('shop', { environment: 'staging', limit: 2 });
      expect(page.seals.map((seal) => seal.id)).toEqual([staging[2]!.id, staging[1]!.id]);
      const next = await store.history('shop', { environment: 'staging', limit: 2, cursor: page.cursor });
      expect(next.seals.map((seal) => seal.id)).toEqual([staging[0]!.id]);
      // A staging cursor is not a production one.
      await expect(store.history('shop', { cursor: page.cursor })).rejects.toThrow(
        /cursor: not a history cursor/,
      );

      expect((await store.latest('shop'))?.id).toBe(production.id);
      expect((await store.latest('shop', 'staging'))?.id).toBe(staging[2]!.id);
      // The overview shows each app's production and each environment.
      const overview = await store.latestOfEveryApp();
      expect(overview.seals.map((seal) => [seal.app, seal.environment ?? 'production'])).toEqual([
        ['shop', 'production'],
        ['shop', 'staging'],
      ]);
      // The staging seals live under their own byApp partition, so a production query never reads them.
      expect(
        (await rawItem(sealKeys.seal(staging[0]!.id)))?.[SEAL_TABLE.indexes.byApp.partitionKey.name],
      ).toBe('APP#shop#ENV#staging');
    });
  });
}
