import type { Locator, Page } from 'playwright-core';
import type { Landmark } from '../core/spec';

/** Text-like fields a sign-in form has; an input without a type is a text field. */
const SIGN_IN_FIELDS = [
  'input:not([type])',
  'input[type="text" i]',
  'input[type="email" i]',
  'input[type="password" i]',
];

/**
 * The Playwright locator of a landmark. `{ form: "sign-in" }` is any form holding a visible text,
 * email or password field: a plain <form> has no ARIA role unless it is named, and most are not.
 */
export function landmarkLocator(page: Page, landmark: Landmark): Locator {
  if ('selector' in landmark) return page.locator(landmark.selector);
  if ('form' in landmark) {
    return page
      .locator('form')
      .filter({ has: page.locator(SIGN_IN_FIELDS.join(', ')).locator('visible=true') });
  }
  return page.getByRole(landmark.role, landmark.name ? { name: landmark.name } : {});
}
