// Checks written as code against a Playwright page, referenced from configuration by name
// (`{ "kind": "script", "script": "tasks-have-rows" }`). Read-only: look, never click a button that writes.
import type { ScriptCheckFn } from './check-judges';

export const scriptChecks: Readonly<Record<string, ScriptCheckFn>> = {
  /** The tasks page lists at least one task. */
  'tasks-have-rows': async (page) => {
    const count = await page.getByRole('listitem').count();
    if (count === 0) throw new Error('the tasks list is empty');
  },
  /** The sign-in form offers an email field and a submit button (without submitting it). */
  'sign-in-form-complete': async (page) => {
    await page.getByRole('textbox').first().waitFor({ state: 'visible', timeout: 3_000 });
    await page.getByRole('button').first().waitFor({ state: 'visible', timeout: 3_000 });
  },
};
