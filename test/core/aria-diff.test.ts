import { describe, expect, it } from 'vitest';
import { describeAriaDiff, diffAriaSnapshots } from '../../functions/core/aria-diff';

const before = `- banner:
  - strong: Changing Tasks
- main:
  - heading "Tasks" [level=1]
  - list:
    - listitem: Write the release notes
    - listitem: Seal the release`;

describe('diffAriaSnapshots', () => {
  it('finds nothing between equal snapshots, whatever the trailing spaces and blank lines', () => {
    expect(diffAriaSnapshots(before, `${before.replace(/\n/g, '  \n')}\n\n`)).toEqual({
      added: [],
      removed: [],
    });
  });

  it('names a renamed heading as one line removed and one added', () => {
    const after = before.replace('heading "Tasks"', 'heading "Todos"');
    const diff = diffAriaSnapshots(before, after);
    expect(diff).toEqual({
      removed: ['  - heading "Tasks" [level=1]'],
      added: ['  - heading "Todos" [level=1]'],
    });
    expect(describeAriaDiff(diff)).toBe('heading renamed');
  });

  it('says what was added or removed, with the line count when more changed', () => {
    const withoutList = before.split('\n').slice(0, 4).join('\n');
    expect(describeAriaDiff(diffAriaSnapshots(before, withoutList))).toBe('list removed (+0 −3 lines)');
    const withLink = `${before}\n  - link "Sign in"`;
    expect(describeAriaDiff(diffAriaSnapshots(before, withLink))).toBe('link added');
    expect(describeAriaDiff(diffAriaSnapshots('- text: a', '- text: b'))).toBe('text changed');
  });

  it('falls back to counting lines on very long snapshots', () => {
    const long = Array.from({ length: 900 }, (_, i) => `- listitem: item ${i}`).join('\n');
    const diff = diffAriaSnapshots(long, long.replace('item 5\n', 'item five\n'));
    expect(diff).toEqual({ removed: ['- listitem: item 5'], added: ['- listitem: item five'] });
  });
});
