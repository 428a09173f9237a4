import type { z } from 'zod';

/**
 * Renders zod issues as `path: message` lines, e.g.
 * `apps[1].url: expected an https URL, got "ftp://…"`, so a reader sees the field and the fix.
 */
export function describeZodError(error: z.ZodError, root = ''): string {
  return error.issues
    .map((issue) => {
      const path = formatPath(root, issue.path);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('\n');
}

function formatPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
