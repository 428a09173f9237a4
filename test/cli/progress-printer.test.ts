import { describe, expect, it } from 'vitest';
import { ProgressPrinter } from '../../bin/cli/progress-printer';
import type { CheckProgress } from '../../functions/core/ports';

const ESC = '\u001b';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

const failed: CheckProgress = {
  name: 'devops',
  path: '/admin',
  outcome: 'failed',
  durationMs: 812.4,
  attempts: 2,
  error: '/admin answered 200, expected 404 (admin surface exposed)\u001b[2J',
};

describe('ProgressPrinter', () => {
  it('prints a start line and one plain line per check when stderr is not a terminal', () => {
    const out = stream(false);
    const printer = new ProgressPrinter(out, {});
    printer.start('http://127.0.0.1:8080/redmine/', 6);
    printer.checkFinished({
      name: 'home',
      path: '/',
      outcome: 'passed',
      durationMs: 120,
      attempts: 1,
      error: null,
    });
    printer.checkFinished(failed);
    printer.stop();
    expect(out.written.join('')).toBe(
      'sealing http://127.0.0.1:8080/redmine/: launching browser…\n' +
        '✓ home  /  120 ms\n' +
        '✗ devops  /admin  812 ms (2 attempts)  /admin answered 200, expected 404 (admin surface exposed)\\u001b[2J\n',
    );
  });

  it('draws elapsed time and colours on a terminal, and no colour under NO_COLOR', () => {
    const coloured = stream(true);
    const printer = new ProgressPrinter(coloured, {});
    printer.start('https://app.test/', 1);
    printer.checkFinished(failed);
    printer.stop();
    const text = coloured.written.join('');
    expect(text).toMatch(new RegExp(`\r${ESC}\\[K. \\d+\\.\\d s, 0 of 1 checks done`));
    expect(text).toContain('\x1b[31m✗\x1b[0m devops');

    const plain = stream(true);
    const quiet = new ProgressPrinter(plain, { NO_COLOR: '1' });
    quiet.start('https://app.test/', 1);
    quiet.checkFinished(failed);
    quiet.stop();
    expect(plain.written.join('')).not.toContain('\x1b[31m');
    expect(plain.written.join('')).toContain('✗ devops');
  });
});
