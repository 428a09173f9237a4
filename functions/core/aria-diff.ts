// Lines added and removed between two ARIA snapshots (Playwright's YAML), and one phrase that names the change.

/** Past this many lines a side, the diff is by line counts rather than a longest common subsequence. */
const MAX_LCS_LINES = 800;
/** How much of a line an ignore pattern is tested on. */
const MAX_IGNORE_TESTED_CHARS = 1_000;

export interface AriaDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

export interface AriaDiffOptions {
  /** Lines left out of the comparison (a rotating tip, a news ticker): the team's patterns for this check. */
  readonly ignore?: readonly RegExp[];
}

/**
 * Lines are compared with their volatile tokens (generated ids, UUIDs, long numbers, dates and clock
 * times) masked, so an app that names a fresh record or tab on every load is not "changed"; the lines
 * reported are the snapshots' own.
 */
export function diffAriaSnapshots(before: string, after: string, options: AriaDiffOptions = {}): AriaDiff {
  const ignore = options.ignore ?? [];
  // Tested on a bounded head of the line: the page writes the line, the pattern is the team's.
  const kept = (line: string) =>
    !ignore.some((pattern) => pattern.test(line.slice(0, MAX_IGNORE_TESTED_CHARS)));
  const shownA = lines(before).filter(kept);
  const shownB = lines(after).filter(kept);
  const a = shownA.map(maskVolatile);
  const b = shownB.map(maskVolatile);
  if (a.length > MAX_LCS_LINES || b.length > MAX_LCS_LINES) return multisetDiff(shownA, shownB);
  // Longest common subsequence, then walk it: what is not common was removed (a) or added (b).
  const n = a.length;
  const m = b.length;
  const table = new Uint16Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[at(i, j)] =
        a[i] === b[j] ? table[at(i + 1, j + 1)]! + 1 : Math.max(table[at(i + 1, j)]!, table[at(i, j + 1)]!);
    }
  }
  const added: string[] = [];
  const removed: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      i++;
      j++;
    } else if (table[at(i + 1, j)]! >= table[at(i, j + 1)]!) {
      removed.push(shownA[i++]!);
    } else {
      added.push(shownB[j++]!);
    }
  }
  while (i < n) removed.push(shownA[i++]!);
  while (j < m) added.push(shownB[j++]!);
  return { added, removed };
}

/**
 * What changes on every load of an unchanged page, replaced by a placeholder before lines are compared:
 * UUIDs; hex runs of 8 or more with a digit and a letter (generated ids, hashes: Node-RED names a new
 * flow tab `2b070191e8975f23` on each load); runs of 6 or more digits (timestamps, record ids); ISO
 * dates and times; clock times. Short numbers stay compared: "3 tasks" becoming "0 tasks" is a change.
 */
export function maskVolatile(line: string): string {
  return line
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
    .replace(
      /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g,
      '<date>',
    )
    .replace(/\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?\b/g, '<time>')
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<id>')
    .replace(/\d{6,}/g, '<n>');
}

/** `heading renamed`, `link added`, `list removed`, with the count of lines when more changed. */
export function describeAriaDiff(diff: AriaDiff): string {
  const removedRoles = diff.removed.map(roleOf);
  const addedRoles = diff.added.map(roleOf);
  let phrase: string;
  const renamed = removedRoles.find((role) => role !== null && addedRoles.includes(role));
  if (renamed) phrase = `${renamed} renamed`;
  else if (addedRoles.some(Boolean)) phrase = `${addedRoles.find(Boolean)} added`;
  else if (removedRoles.some(Boolean)) phrase = `${removedRoles.find(Boolean)} removed`;
  else phrase = 'text changed';
  const total = diff.added.length + diff.removed.length;
  return total > 2 ? `${phrase} (+${diff.added.length} −${diff.removed.length} lines)` : phrase;
}

function lines(snapshot: string): string[] {
  return snapshot
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
}

/** `  - heading "Tasks" [level=1]` -> heading; `- text: x` -> null (plain text is not a role). */
function roleOf(line: string): string | null {
  const match = /^\s*-\s+([a-z]+)\b/.exec(line);
  if (!match || match[1] === 'text') return null;
  return match[1]!;
}

function multisetDiff(a: readonly string[], b: readonly string[]): AriaDiff {
  const counts = new Map<string, number>();
  for (const line of a) counts.set(maskVolatile(line), (counts.get(maskVolatile(line)) ?? 0) + 1);
  const added: string[] = [];
  for (const line of b) {
    const key = maskVolatile(line);
    const left = counts.get(key) ?? 0;
    if (left > 0) counts.set(key, left - 1);
    else added.push(line);
  }
  const removed: string[] = [];
  for (const line of a) {
    const key = maskVolatile(line);
    const left = counts.get(key) ?? 0;
    if (left > 0) {
      removed.push(line);
      counts.set(key, left - 1);
    }
  }
  return { added, removed };
}
