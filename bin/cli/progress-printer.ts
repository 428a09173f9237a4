// Progress of a running seal on stderr: a line per finished check; a live elapsed-time line only on a TTY.
import type { CheckProgress } from '../../functions/core/ports';
import { terminalLine } from './terminal-line';

export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

const MARKS = { passed: '✓', failed: '✗', unfinished: '…', skipped: '-' } as const;
const COLOURS = { passed: 32, failed: 31, unfinished: 33, skipped: 90 } as const;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const TICK_MS = 120;

export class ProgressPrinter {
  private readonly tty: boolean;
  private readonly colour: boolean;
  private started = 0;
  private done = 0;
  private total = 0;
  private frame = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly stream: ProgressStream,
    env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    this.tty = stream.isTTY === true;
    // https://no-color.org: any non-empty NO_COLOR turns colour off.
    this.colour = this.tty && !env.NO_COLOR;
  }

  /** The first line, printed before the browser starts. */
  start(url: string, checks: number): void {
    this.started = performance.now();
    this.total = checks;
    this.stream.write(`sealing ${terminalLine(url, 200)}: launching browser…\n`);
    if (this.tty) {
      this.timer = setInterval(() => this.redraw(), TICK_MS);
      this.timer.unref?.();
      this.redraw();
    }
  }

  checkFinished(progress: CheckProgress): void {
    this.done++;
    const mark = this.paint(MARKS[progress.outcome], COLOURS[progress.outcome]);
    const retried = progress.attempts > 1 ? ` (${progress.attempts} attempts)` : '';
    const error =
      progress.error && progress.outcome !== 'passed' ? `  ${terminalLine(progress.error, 160)}` : '';
    this.clearLine();
    this.stream.write(
      `${mark} ${terminalLine(progress.name, 63)}  ${terminalLine(progress.path, 80)}  ${Math.round(progress.durationMs)} ms${retried}${error}\n`,
    );
    if (this.tty) this.redraw();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clearLine();
  }

  private redraw(): void {
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    this.frame = (this.frame + 1) % SPINNER.length;
    this.stream.write(
      `\r\x1b[K${SPINNER[this.frame]} ${seconds} s, ${this.done} of ${this.total} checks done`,
    );
  }

  private clearLine(): void {
    if (this.tty) this.stream.write('\r\x1b[K');
  }

  private paint(text: string, code: number): string {
    return this.colour ? `\x1b[${code}m${text}\x1b[0m` : text;
  }
}
