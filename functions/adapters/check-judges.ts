// One judge per kind of check, plugged into the attempt engine (page-attempt.ts). The engine owns the
// page's lifecycle, the budget and the deadline, the fault rules and the evidence; a judge only says,
// on a page that loaded, why the check failed (or null when it passed).
import type { Page } from 'playwright-core';
import { errorText } from '../core/error-text';
import type { Check } from '../core/spec';
import { type DataCheckContext, judgePageCheck, judgeStatusCheck } from './data-check';

/** A check written in code against a Playwright page; it throws (or rejects) to fail. */
export type ScriptCheckFn = (page: Page, context: { readonly baseUrl: string }) => Promise<void>;

export type JudgeContext = DataCheckContext;

export interface CheckJudge<C extends Check> {
  /** Why the check failed on this loaded page, or null when it passed. */
  judge(check: C, context: JudgeContext): Promise<string | null>;
  /**
   * The page is judged as the app's page: the not-found probe starts beside it, a page that sent
   * itself off the app's hosts after it loaded fails naming where, and its ARIA snapshot and timings
   * go to the baseline comparison (issue 21).
   */
  readonly isAppPage: boolean;
  /** A navigation that ended off the app's hosts fails the check (a script may go where it likes, the guard still rules). */
  readonly staysOnAppHosts: boolean;
}

/** A judge for every kind of check: adding a kind to the spec without its judge does not compile. */
export type CheckJudges = { readonly [K in Check['kind']]: CheckJudge<Extract<Check, { kind: K }>> };

export function checkJudges(scripts: Readonly<Record<string, ScriptCheckFn>>): CheckJudges {
  return {
    status: { judge: judgeStatusCheck, isAppPage: false, staysOnAppHosts: true },
    page: { judge: judgePageCheck, isAppPage: true, staysOnAppHosts: true },
    script: {
      isAppPage: false,
      staysOnAppHosts: false,
      async judge(check, { page, baseUrl, pageErrors, left }) {
        const script = scripts[check.script];
        if (!script) return `no script check named "${check.script}" is registered`;
        page.setDefaultTimeout(left());
        try {
          await script(page, { baseUrl });
        } catch (error) {
          return `${check.name}: ${errorText(error)}`;
        }
        return pageErrors[0] ?? null;
      },
    },
  };
}

/** The judge of one check, typed for it. */
export function judgeOf<C extends Check>(judges: CheckJudges, check: C): CheckJudge<C> {
  return judges[check.kind] as unknown as CheckJudge<C>;
}
