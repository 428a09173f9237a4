// The Chromium inside @sparticuz/chromium, decompressed once into the temp folder even when several seals
// start at once. The library writes `<tmpdir>/chromium` in place and takes an existing file for a finished
// one: a second process that starts while the first is still writing launches a half-written binary
// ("spawn ETXTBSY"), an inconclusive seal for nothing on a fresh laptop or CI runner. A lock folder beside
// it makes the others wait for the first to finish (docs/architecture.md, "The browser binary").
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sparticuz from '@sparticuz/chromium';

/** Held while one process decompresses; `mkdir` is atomic, so exactly one process holds it. */
export const CHROMIUM_LOCK = 'smoke-seal-chromium.lock';
/** A lock older than this was left by a process that died decompressing (it takes seconds); one whose process is gone, at once. */
const STALE_LOCK_MS = 120_000;
const POLL_MS = 100;

export interface ChromiumBinaryOptions {
  /** Where the library decompresses to (its `os.tmpdir()`); tests give their own. */
  readonly dir?: string;
  /** Gives up waiting for another process's lock after this long. */
  readonly waitMs?: number;
  readonly decompress?: () => Promise<string>;
}

let shared: Promise<string> | null = null;

/** The browser's path, decompressed if needed; one decompression per process, one at a time per folder. */
export function chromiumExecutable(options: ChromiumBinaryOptions = {}): Promise<string> {
  if (options.dir !== undefined || options.decompress !== undefined) return decompressOnce(options);
  shared ??= decompressOnce(options).catch((error: unknown) => {
    shared = null; // a failed start is tried again by the next seal
    throw error;
  });
  return shared;
}

async function decompressOnce(options: ChromiumBinaryOptions): Promise<string> {
  const dir = options.dir ?? tmpdir();
  const decompress = options.decompress ?? (() => sparticuz.executablePath());
  const binary = join(dir, 'chromium');
  const lock = join(dir, CHROMIUM_LOCK);
  const giveUpAt = Date.now() + (options.waitMs ?? STALE_LOCK_MS + 30_000);
  for (;;) {
    // A binary with no decompression under way is whole (or was put there by someone else: taken as is).
    if (existsSync(binary) && !existsSync(lock)) return decompress();
    try {
      await mkdir(lock);
      // Who holds it: a lock whose process is gone (a Ctrl-C mid-way) is cleared at once, not after minutes.
      await writeFile(join(lock, 'pid'), String(process.pid)).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() > giveUpAt) {
        throw new Error(
          `another process has been decompressing Chromium into ${dir} for too long (remove ${lock} if none is running)`,
        );
      }
      await clearStaleLock(lock, binary);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      continue;
    }
    try {
      // Under the lock the library writes the binary if there is none (a stale lock's half binary was
      // removed with it), or takes the one another process has just finished.
      return await decompress();
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
}

/** The lock names a process that no longer runs (a pid reused since reads as alive: the age rule then decides). */
async function holderGone(lock: string): Promise<boolean> {
  const pid = Number.parseInt(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''), 10);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * A lock left by a process that died mid-way: its half-written binary goes with it. Renamed first, so of
 * several waiters exactly one clears it (rename is atomic) and none removes a binary another is writing.
 */
async function clearStaleLock(lock: string, binary: string): Promise<void> {
  const age = await stat(lock).then(
    (info) => Date.now() - info.mtimeMs,
    () => 0,
  );
  if (age < STALE_LOCK_MS && !(await holderGone(lock))) return;
  const claimed = `${lock}.stale-${process.pid}-${Date.now()}`;
  try {
    await rename(lock, claimed);
  } catch {
    return; // another waiter cleared it
  }
  await rm(binary, { force: true });
  await rm(join(dirname(binary), 'fonts'), { recursive: true, force: true });
  await rm(claimed, { recursive: true, force: true });
}
