// Runs a process to its end while sampling its memory: wall time, peak memory, output.
import { spawn } from 'node:child_process';
import { type MemoryPeak, MemorySampler } from './memory-sampler';

export interface MeasuredProcess {
  readonly wallMs: number;
  readonly memory: MemoryPeak;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface MeasureOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** The process is sent SIGTERM (then SIGKILL) past this; the bench never waits unbounded. */
  readonly timeoutMs: number;
}

export function runMeasured(
  command: string,
  args: readonly string[],
  options: MeasureOptions,
): Promise<MeasuredProcess> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) {
      reject(new Error(`could not start ${command}`));
      return;
    }
    const sampler = new MemorySampler(child.pid);
    sampler.start();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const term = setTimeout(() => {
      stderr += `\n[bench] timed out after ${options.timeoutMs} ms, sending SIGTERM`;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(term);
      sampler.stop();
      reject(error);
    });
    child.once('close', (code) => {
      const wallMs = performance.now() - started;
      clearTimeout(term);
      resolve({ wallMs, memory: sampler.stop(), exitCode: code, stdout, stderr });
    });
  });
}
