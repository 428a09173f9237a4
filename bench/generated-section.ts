// docs/performance.md is part generated, part written by hand: the bench rewrites only its own block.

export const GENERATED_START = '<!-- bench:generated:start (npm run bench rewrites this block) -->';
export const GENERATED_END = '<!-- bench:generated:end -->';

const DEFAULT_TAIL = `\n\n## Analysis\n\n_Written by hand; \`npm run bench\` keeps everything below its block._\n`;

/**
 * Puts `generated` between the markers of `existing`, keeping what is before and after; a file
 * without markers (or none at all) gets the block followed by an empty analysis section.
 */
export function spliceGenerated(existing: string | null, generated: string): string {
  const block = `${GENERATED_START}\n${generated.trim()}\n${GENERATED_END}`;
  if (existing === null) return `${block}${DEFAULT_TAIL}`;
  const start = existing.indexOf(GENERATED_START);
  const end = existing.indexOf(GENERATED_END);
  if (start < 0 || end < start) return `${block}\n\n${existing.trim()}\n`;
  return `${existing.slice(0, start)}${block}${existing.slice(end + GENERATED_END.length)}`;
}
