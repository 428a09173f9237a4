// The smoke-seal CLI: parse, call the command, print, exit with the seal's code.
// Each command loads its own modules when it runs: help and usage errors answer at once, and a listing
// does not load the browser, the proxy or Playwright (docs/performance.md, "The CLI's start").
import { ConfigError, EventError } from '../functions/core/errors';
import type { HistoryPage } from '../functions/core/ports';
import type { Seal } from '../functions/core/seal';
import { type Command, parseCommand } from './cli/parse-command';
import { terminalText } from './cli/terminal-text';
import { EXIT_USAGE, USAGE, UsageError } from './cli/usage';

const EXIT_CODES = { green: 0, red: 1, inconclusive: 2 } as const;
/** The checker itself failed (store down, browser missing): like an inconclusive seal. */
const EXIT_TOOLING = 2;

async function main(argv: readonly string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    return usageFailure(error);
  }
  try {
    return await execute(command);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof EventError) {
      return usageFailure(error);
    }
    err(`smoke-seal: ${(error as Error).message ?? String(error)}`);
    if ((error as Error).cause) err(`  caused by: ${String((error as Error).cause)}`);
    return EXIT_TOOLING;
  }
}

async function execute(command: Command): Promise<number> {
  switch (command.name) {
    case 'help':
      out(USAGE);
      return 0;
    case 'run': {
      const { runCommand } = await import('./cli/run-command');
      const seal = await runCommand(command);
      await printSeal(seal, command.json);
      return EXIT_CODES[seal.status];
    }
    case 'demo': {
      const [{ demoCommand }, { renderSealTable }] = await Promise.all([
        import('./cli/demo-command'),
        import('./cli/render-seal'),
      ]);
      const seals = await demoCommand(command.store, {
        step: (text) => (command.json ? err(text) : out(`\n${text}\n`)),
        seal: (seal) => (command.json ? undefined : out(renderSealTable(seal))),
      });
      if (command.json) out(JSON.stringify(seals, null, 2));
      // The demo succeeds when it showed both verdicts.
      return seals[0]?.status === 'green' && seals[1]?.status === 'red' ? 0 : EXIT_TOOLING;
    }
    case 'history': {
      const [{ withStore }, { renderHistoryTable }, { writeHistoryHtml }] = await Promise.all([
        import('./cli/open-store'),
        import('./cli/render-seal'),
        import('./cli/write-history-html'),
      ]);
      return withStore(command.store, async ({ store }) => {
        const page = await store.history(command.app, {
          limit: command.limit,
          cursor: command.cursor,
          environment: command.environment,
        });
        if (command.html) {
          out(await writeHistoryHtml(command.store.stateDir, command.app, command.environment, page.seals));
          return 0;
        }
        printPage(page, command.json, renderHistoryTable);
        if (page.cursor && !command.json) {
          out(
            `more: smoke-seal history ${command.app}${command.environment === 'production' ? '' : ` --env ${command.environment}`} --limit ${command.limit} --cursor ${page.cursor}`,
          );
        }
        return 0;
      });
    }
    case 'overview': {
      const [{ withStore }, { renderOverviewTable }] = await Promise.all([
        import('./cli/open-store'),
        import('./cli/render-seal'),
      ]);
      return withStore(command.store, async ({ store }) => {
        printPage(await store.latestOfEveryApp(), command.json, renderOverviewTable);
        return 0;
      });
    }
    case 'show': {
      const { withStore } = await import('./cli/open-store');
      return withStore(command.store, async ({ store, where }) => {
        const seal = await store.get(command.id);
        if (!seal) {
          err(`smoke-seal: no seal "${command.id}" in ${where}; list them with \`smoke-seal history <app>\``);
          return EXIT_USAGE;
        }
        await printSeal(seal, command.json);
        return 0;
      });
    }
  }
}

/** A listing as JSON or a table; unreadable items are reported on stderr, never fatal. */
function printPage(page: HistoryPage, json: boolean, render: (seals: readonly Seal[]) => string): void {
  out(json ? JSON.stringify(page, null, 2) : render(page.seals));
  for (const item of page.corrupt) err(`skipped unreadable item ${item.key}: ${item.problem}`);
}

async function printSeal(seal: Seal, json: boolean): Promise<void> {
  if (json) return out(JSON.stringify(seal, null, 2));
  const { renderSealTable } = await import('./cli/render-seal');
  out(renderSealTable(seal));
}

function usageFailure(error: unknown): number {
  err(`smoke-seal: ${(error as Error).message}`);
  if (error instanceof UsageError) err(`\n${USAGE}`);
  return EXIT_USAGE;
}

/** Every line the CLI prints goes through here: page text must not drive the terminal. */
function out(text: string): void {
  console.log(terminalText(text));
}

function err(text: string): void {
  console.error(terminalText(text));
}

const argv = process.argv.slice(2);
process.exitCode =
  argv[0] === 'announce'
    ? await (await import('./cli/announce-command')).announceMain(argv.slice(1), {
        env: process.env,
        stdout: out,
        stderr: err,
      })
    : await main(argv);
