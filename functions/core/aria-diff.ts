// Lines added and removed between two ARIA snapshots (Playwright's YAML), and one phrase that names the change.

/** Past this many lines a side, the diff is by line counts rather than a longest common subsequence. */
const MAX_LCS_LINES = 800;

export interface AriaDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

export function diffAriaSnapshots(before: string, after: string): AriaDiff {
  const a = lines(before);
  const b = lines(after);
  if (a.length > MAX_LCS_LINES || b.length > MAX_LCS_LINES) return multisetDiff(a, b);
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
      removed.push(a[i++]!);
    } else {
      added.push(b[j++]!);
    }
  }
  while (i < n) removed.push(a[i++]!);
  while (j < m) added.push(b[j++]!);
  return { added, removed };
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
  for (const line of a) counts.set(line, (counts.get(line) ?? 0) + 1);
  const added: string[] = [];
  for (const line of b) {
    const left = counts.get(line) ?? 0;
    if (left > 0) counts.set(line, left - 1);
    else added.push(line);
  }
  const removed: string[] = [];
  for (const line of a) {
    const left = counts.get(line) ?? 0;
    if (left > 0) {
      removed.push(line);
      counts.set(line, left - 1);
    }
  }
  return { added, removed };
}
