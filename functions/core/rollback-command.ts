// Renders the command an operator may paste to undo a release. Smoke Seal never runs it.
import { ConfigError } from './errors';
import type { ReleaseInfo } from './seal';

export const DEFAULT_ROLLBACK_TEMPLATE = 'git revert -m 1 {mergeCommit} && git push origin {branch}';

/** Each placeholder with the pattern its value must match before it reaches a shell command. */
export const ROLLBACK_PLACEHOLDERS = {
  mergeCommit: /^[0-9a-f]{7,40}$/,
  commit: /^[0-9a-f]{7,40}$/,
  branch: /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/,
  releaseId: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
  version: /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/,
  app: /^[a-z][a-z0-9-]{0,39}$/,
} as const satisfies Record<string, RegExp>;
export type RollbackPlaceholder = keyof typeof ROLLBACK_PLACEHOLDERS;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The placeholders a template uses; throws ConfigError naming `where` for an unknown one. */
export function rollbackPlaceholders(template: string, where: string): RollbackPlaceholder[] {
  const used: RollbackPlaceholder[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!(name in ROLLBACK_PLACEHOLDERS)) {
      throw new ConfigError(
        `${where}: unknown placeholder {${name}}; allowed: ${Object.keys(ROLLBACK_PLACEHOLDERS)
          .map((key) => `{${key}}`)
          .join(', ')}`,
      );
    }
    used.push(name as RollbackPlaceholder);
  }
  return used;
}

export type RollbackRendering =
  | { readonly command: string }
  | { readonly command: null; readonly reason: string };

/**
 * Fills the template with validated values. A missing or malformed value yields no command and
 * says why, so an alert never carries a half-rendered or injectable command.
 */
export function renderRollbackCommand(
  template: string,
  app: string,
  release: ReleaseInfo,
): RollbackRendering {
  const values: Record<RollbackPlaceholder, string | null> = {
    mergeCommit: release.mergeCommit,
    commit: release.commit,
    branch: release.branch,
    releaseId: release.releaseId,
    version: release.version,
    app,
  };
  const problems: string[] = [];
  const command = template.replace(PLACEHOLDER, (whole, name: string) => {
    const key = name as RollbackPlaceholder;
    const value = values[key];
    if (value === null || value === undefined) {
      problems.push(`{${key}} is unknown for this release`);
      return whole;
    }
    if (!ROLLBACK_PLACEHOLDERS[key].test(value)) {
      problems.push(
        `{${key}} value ${JSON.stringify(value.slice(0, 60))} does not match ${ROLLBACK_PLACEHOLDERS[key]}`,
      );
      return whole;
    }
    return value;
  });
  return problems.length === 0 ? { command } : { command: null, reason: problems.join('; ') };
}
