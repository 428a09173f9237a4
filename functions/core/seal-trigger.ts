// What starts a seal (a release event, a nightly schedule, a manual request) turned into one SealRequest.

import { environmentOf } from './environment-of';
import type { SpecSuite, TargetAuth } from './ports';
import { resolveTargetUrl, type TargetPolicy } from './resolve-target';
import type { ReleaseInfo } from './seal';
import { type SealOutcome, type SealPorts, sealApp } from './seal-app';
import { sealId } from './seal-id';
import type { Spec } from './spec';

export type SealTrigger =
  | { readonly trigger: 'release'; readonly release: ReleaseInfo; readonly smokeUrl?: string }
  | { readonly trigger: 'nightly'; readonly night: string }
  | {
      readonly trigger: 'manual';
      readonly requestId: string;
      /** Re-seal this release; by default the app's last known release. */
      readonly releaseId?: string;
      readonly smokeUrl?: string;
    };

export interface AppTarget extends TargetPolicy {
  readonly spec: Spec;
  readonly rollbackTemplate: string;
  /** Sign-in material for the app's hosts, resolved by the edge (Secrets Manager, environment). */
  readonly auth?: TargetAuth;
  /** The app's Playwright spec did not load: the seal is inconclusive with this reason. */
  readonly specError?: string;
  /** The app's own Playwright suite, run by Playwright Test. */
  readonly suite?: SpecSuite;
}

export async function sealTrigger(
  app: AppTarget,
  trigger: SealTrigger,
  ports: SealPorts,
  deadlineMs: number,
): Promise<SealOutcome> {
  const smokeUrl = trigger.trigger === 'nightly' ? undefined : trigger.smokeUrl;
  // Refused before anything runs, is stored or is sent.
  const baseUrl = resolveTargetUrl(
    app,
    smokeUrl,
    trigger.trigger === 'release' ? 'detail.smokeUrl' : 'smokeUrl',
  );
  const release =
    trigger.trigger === 'release' ? trigger.release : await currentRelease(app.name, trigger, ports);
  const key =
    trigger.trigger === 'release'
      ? trigger.release.releaseId
      : trigger.trigger === 'nightly'
        ? trigger.night
        : trigger.requestId;
  return sealApp(
    {
      sealId: sealId(app.name, trigger.trigger, key),
      app: app.name,
      environment: environmentOf(app, baseUrl),
      trigger: trigger.trigger,
      baseUrl,
      appHosts: [new URL(app.url).host, new URL(baseUrl).host, ...app.allowedHosts],
      auth: app.auth,
      spec: app.spec,
      rollbackTemplate: app.rollbackTemplate,
      release,
      deadlineMs,
      specError: app.specError,
      suite: app.suite,
    },
    ports,
  );
}

/** A nightly or manual seal speaks for the release in production: the one the app's seals last named. */
async function currentRelease(
  app: string,
  trigger: Exclude<SealTrigger, { trigger: 'release' }>,
  ports: SealPorts,
): Promise<ReleaseInfo | null> {
  if (trigger.trigger === 'manual' && trigger.releaseId) {
    const page = await ports.store.forRelease(app, trigger.releaseId);
    return page.seals[0]?.release ?? { ...UNKNOWN_RELEASE, releaseId: trigger.releaseId };
  }
  return (await ports.store.latest(app))?.release ?? null;
}

const UNKNOWN_RELEASE: ReleaseInfo = {
  releaseId: '',
  version: null,
  commit: null,
  mergeCommit: null,
  branch: null,
  notesThreadId: null,
  releaseUrl: null,
};
