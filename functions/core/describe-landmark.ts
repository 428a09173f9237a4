import type { Landmark } from './spec';

/** A landmark as a failure message names it: `heading`, `form "Sign in"`, `sign-in form`, `"#tasks li"`. */
export function describeLandmark(landmark: Landmark): string {
  if ('selector' in landmark) return `"${landmark.selector}"`;
  if ('form' in landmark) return `${landmark.form} form`;
  return landmark.name ? `${landmark.role} "${landmark.name}"` : landmark.role;
}
