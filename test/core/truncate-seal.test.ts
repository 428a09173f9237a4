import { describe, expect, it } from 'vitest';
import { TRUNCATED_MARKER, truncateDelivery, truncateSeal } from '../../functions/core/truncate-seal';
import { makeCheck, makeSeal } from '../fixtures/seal-factory';

describe('truncateSeal', () => {
  it('leaves a seal of ordinary size exactly as it is', () => {
    const seal = makeSeal();
    expect(truncateSeal(seal)).toEqual(seal);
  });

  it('cuts a long summary to the limit and ends it with the marker', () => {
    const summary = truncateSeal(makeSeal({ summary: 's'.repeat(5_000) })).summary;

    expect(summary).toHaveLength(1_000);
    expect(summary).toBe('s'.repeat(1_000 - TRUNCATED_MARKER.length) + TRUNCATED_MARKER);
  });

  it('never splits an emoji in two', () => {
    const summary = truncateSeal(makeSeal({ summary: '🔥'.repeat(1_000) })).summary;

    expect(summary.endsWith(TRUNCATED_MARKER)).toBe(true);
    // A lone surrogate does not survive a UTF-8 round trip.
    expect(Buffer.from(summary, 'utf8').toString('utf8')).toBe(summary);
  });

  it('never cuts the rollback command, even when tight', () => {
    const rollbackCommand = `kamal rollback ${'v'.repeat(3_000)}`;
    expect(truncateSeal(makeSeal({ status: 'red', rollbackCommand }), 'tight').rollbackCommand).toBe(
      rollbackCommand,
    );
  });

  it('keeps the exact count of refused requests while listing only the first ones', () => {
    const requests = Array.from({ length: 80 }, (_, index) => ({
      method: 'POST',
      url: `https://x/${index}`,
      reason: 'read-only',
      count: 1,
    }));

    const refused = truncateSeal(makeSeal({ refused: { count: 80, requests } })).refused;

    expect(refused.count).toBe(80);
    expect(refused.requests).toHaveLength(50);
  });

  it('cuts check and tooling errors harder on the tight budget', () => {
    const seal = makeSeal({
      toolingError: 't'.repeat(10_000),
      checks: [makeCheck({ outcome: 'failed', error: 'e'.repeat(10_000) })],
    });

    const tight = truncateSeal(seal, 'tight');

    expect(tight.toolingError).toHaveLength(300);
    expect(tight.checks[0]?.error).toHaveLength(300);
    expect(tight.checks[0]?.outcome).toBe('failed');
  });
});

describe('truncateDelivery', () => {
  it('cuts a long detail from a remote API', () => {
    const state = {
      state: 'failed' as const,
      attempts: 2,
      updatedAt: '2026-11-22T10:00:00.000Z',
      detail: 'd'.repeat(9_000),
    };

    expect(truncateDelivery(state).detail?.endsWith(TRUNCATED_MARKER)).toBe(true);
    expect(truncateDelivery(state).detail).toHaveLength(2_000);
  });
});

describe('truncateSeal and the evidence of an attempt', () => {
  it('cuts stacks, failed requests and redirect URLs when tight, and keeps old seals without them as they are', () => {
    const base = makeCheck().attempts[0]!;
    const attempt = {
      ...base,
      redirectChain: [{ url: `https://x.test/${'r'.repeat(1_000)}`, status: 302 }],
      failedRequests: Array.from({ length: 20 }, (_, index) => ({
        method: 'GET',
        url: `https://x.test/${index}/${'u'.repeat(1_000)}`,
        status: 500,
        failure: null,
      })),
      pageErrorDetails: Array.from({ length: 10 }, () => ({
        message: 'uncaught Error: x',
        stack: 's'.repeat(2_000),
      })),
    };
    const seal = makeSeal({ checks: [makeCheck({ attempts: [attempt] })] });
    const cut = truncateSeal(seal, 'tight').checks[0]!.attempts[0]!;
    expect(cut.redirectChain?.[0]?.url).toHaveLength(300);
    expect(cut.failedRequests).toHaveLength(6);
    expect(cut.failedRequests?.[0]?.url).toHaveLength(300);
    expect(cut.pageErrorDetails).toHaveLength(3);
    expect(cut.pageErrorDetails?.[0]?.stack).toHaveLength(300);
    expect(truncateSeal(makeSeal()).checks[0]!.attempts[0]).not.toHaveProperty('failedRequests');
  });
});
