// `smoke-seal demo` (npm start): the whole idea in one command, no AWS account needed.
import { startDemoSite } from '../../e2e/demo-site';
import type { Seal } from '../../functions/core/seal';
import type { StoreChoice } from './parse-command';
import { sealLocally, targetFromUrl } from './run-command';

export interface DemoReporter {
  step(text: string): void;
  seal(seal: Seal): void;
}

export async function demoCommand(store: StoreChoice, report: DemoReporter): Promise<readonly Seal[]> {
  const site = await startDemoSite();
  try {
    const target = { ...targetFromUrl(site.url), name: 'demo' };
    const options = { target, store, deadlineMs: 60_000 };
    report.step(`Demo site on ${site.url}. Sealing it as it is...`);
    const green = (await sealLocally(options)).seal;
    report.seal(green);

    site.setFaults(['up-500', 'tasks-throws', 'home-posts-on-load']);
    report.step(
      'Breaking it: /up answers 500, the tasks page throws, the home page tries to POST. Sealing again...',
    );
    const red = (await sealLocally(options)).seal;
    report.seal(red);

    const writes = site.requests.filter(
      (request) => request.method !== 'GET' && request.method !== 'HEAD',
    ).length;
    report.step(
      `The demo site received ${writes} mutating request(s): the read-only guard refused ${red.refused.count} in the browser.\n` +
        'Both seals are recorded: try `bin/smoke-seal history demo`.',
    );
    return [green, red];
  } finally {
    await site.close();
  }
}
