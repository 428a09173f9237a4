import { describe, expect, it } from 'vitest';
import { comparePeer, judgePeerRatio } from '../../bench/peer-comparison';

const peerRun = (processWallMs: number, reportedMs: number) => ({ processWallMs, reportedMs });
const sealRun = (processWallMs: number, sealMs: number) => ({ processWallMs, result: { sealMs } });

describe('comparePeer', () => {
  it('compares the seal with the worker setting whose median wall time is lowest', () => {
    const peer = new Map([
      ['default', [peerRun(6000, 5000), peerRun(9000, 8000), peerRun(6600, 5400)]],
      ['4', [peerRun(3000, 2400), peerRun(3300, 2700), peerRun(12_000, 11_000)]],
    ]);
    const comparison = comparePeer(peer, [sealRun(1000, 600), sealRun(1100, 700), sealRun(5000, 4000)]);
    expect(comparison.fastest).toMatchObject({ workers: '4', wall: 3300 });
    expect(comparison.wallRatio).toBeCloseTo(3300 / 1100, 12);
    expect(comparison.ownRatio).toBeCloseTo(2700 / 700, 12);
  });

  it('skips a worker setting that has no runs', () => {
    const peer = new Map([
      ['default', []],
      ['4', [peerRun(4000, 3000)]],
    ]);
    expect(comparePeer(peer, [sealRun(2000, 1000)])).toMatchObject({
      fastest: { workers: '4' },
      wallRatio: 2,
      ownRatio: 3,
    });
  });

  it('has no ratio when either side did not run', () => {
    expect(comparePeer(new Map(), [sealRun(1000, 500)])).toEqual({
      fastest: null,
      wallRatio: null,
      ownRatio: null,
    });
    const onlyPeer = comparePeer(new Map([['default', [peerRun(3000, 2000)]]]), []);
    expect(onlyPeer.fastest?.workers).toBe('default');
    expect(onlyPeer.wallRatio).toBeNull();
  });
});

describe('judgePeerRatio', () => {
  it('meets the target at three times and above', () => {
    expect(judgePeerRatio(3)).toBe('met');
    expect(judgePeerRatio(4.2)).toBe('met');
  });

  it('says by how much a ratio below three misses', () => {
    expect(judgePeerRatio(1.46)).toBe('missed by 1.54×');
  });

  it('says when there is nothing to judge', () => {
    expect(judgePeerRatio(null)).toBe('not measured');
  });
});
