// Everything one bench run measured, as the report reads it.
import type { IsolationVariant } from './bench-launcher';
import type { BundleSize } from './bundle-size';
import type { PeerRun } from './run-peer';
import type { SealRun } from './run-seal-job';

export interface MachineInfo {
  readonly date: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly chromium: string;
  readonly sparticuz: string;
  readonly playwrightCore: string;
  readonly playwrightTest: string;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly benchMs: number;
}

export type IsolationResult =
  | { readonly works: true; readonly runs: readonly SealRun[] }
  | { readonly works: false; readonly summary: string };

export interface BenchData {
  readonly machine: MachineInfo;
  readonly cold: readonly SealRun[];
  /** The default spec, concurrency 4, the shipped adapter. */
  readonly warm: readonly SealRun[];
  /** The default spec with concurrency 1, interleaved with `warm`. */
  readonly sequential: readonly SealRun[];
  /** The demo site's added latency for the network-like concurrency pair. */
  readonly latencyMs: number;
  /** The default spec against the site answering after `latencyMs`, concurrency 1 and 4, interleaved. */
  readonly latencySequential: readonly SealRun[];
  readonly latencyConcurrent: readonly SealRun[];
  /** Seal runs by check count (concurrency 4); 6 is `warm`. */
  readonly scaling: ReadonlyMap<number, readonly SealRun[]>;
  readonly isolation: ReadonlyMap<IsolationVariant, IsolationResult>;
  /** Peer runs against the instant demo site, by worker setting: "default" (half the cores) or a number. */
  readonly peer: ReadonlyMap<string, readonly PeerRun[]>;
  /** The same peer runs against the site answering after `latencyMs`; the seal side is `latencyConcurrent`. */
  readonly latencyPeer: ReadonlyMap<string, readonly PeerRun[]>;
  readonly bundle: BundleSize;
  readonly memoryMb: number;
}
