import type { z } from 'zod';

/** A zod refinement for a list whose items need distinct names; the issue points at the repeated name. */
export function uniqueNames(what: string) {
  return (items: readonly { readonly name: string }[], ctx: z.RefinementCtx): void => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      if (seen.has(item.name)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'name'],
          message: `duplicate ${what} name "${item.name}": each ${what} needs its own name`,
        });
      }
      seen.add(item.name);
    });
  };
}
