import { describe, expect, it } from 'vitest';
import { describeAriaDiff, diffAriaSnapshots, maskVolatile } from '../../functions/core/aria-diff';

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

describe('what changes on every load of an unchanged page', () => {
  // Node-RED's editor, loaded twice without a saved flow: a fresh tab id and a rotating tip.
  const first = [
    '- tablist:',
    '  - row "Flow \\"2b070191e8975f23\\"":',
    '    - cell "\\"2b070191e8975f23\\""',
    '    - /url: "#2b070191e8975f23"',
    '- text: Hold down ctrl when you click on a node to add or remove it from the current selection',
    '- text: "Last deployed: 2026-12-07T12:20:26Z, 12:20 PM, request 1733574026"',
    '- link "Order 3f2504e0-4f89-11d3-9a0c-0305e82c3301"',
  ].join('\n');
  const second = [
    '- tablist:',
    '  - row "Flow \\"577c20a041f5421c\\"":',
    '    - cell "\\"577c20a041f5421c\\""',
    '    - /url: "#577c20a041f5421c"',
    '- text: Enable or disable these tips from the option in the settings',
    '- text: "Last deployed: 2026-12-07T12:20:39Z, 12:21 PM, request 1733574039"',
    '- link "Order 9a1c0e2e-1111-4aaa-8bbb-0305e82c3301"',
  ].join('\n');

  it('masks generated ids, UUIDs, long numbers, dates and clock times before comparing lines', () => {
    const diff = diffAriaSnapshots(first, second);
    expect(diff).toEqual({
      removed: [
        '- text: Hold down ctrl when you click on a node to add or remove it from the current selection',
      ],
      added: ['- text: Enable or disable these tips from the option in the settings'],
    });
  });

  it("leaves out the lines the team's patterns name", () => {
    expect(diffAriaSnapshots(first, second, { ignore: [/^- text: (Hold down|Enable or disable)/] })).toEqual({
      added: [],
      removed: [],
    });
  });

  it('still compares short numbers and words: "3 tasks" becoming "0 tasks" is a change', () => {
    const diff = diffAriaSnapshots(
      '- heading "3 tasks"\n- text: deadbeef',
      '- heading "0 tasks"\n- text: feedface',
    );
    expect(diff.removed).toEqual(['- heading "3 tasks"', '- text: deadbeef']);
    expect(diff.added).toEqual(['- heading "0 tasks"', '- text: feedface']);
  });

  it('masks the same way on very long snapshots', () => {
    const many = (id: string) => Array.from({ length: 900 }, (_, i) => `- row "r${i}" ${id}`).join('\n');
    expect(diffAriaSnapshots(many('a1b2c3d4e5'), many('f6e5d4c3b2'))).toEqual({ added: [], removed: [] });
  });

  it('shows the lines as the pages had them, not masked', () => {
    expect(maskVolatile('- cell "2b070191e8975f23"')).toBe('- cell "<id>"');
    const diff = diffAriaSnapshots(
      '- heading "Build 2b070191e8975f23"',
      '- heading "Release 577c20a041f5421c"',
    );
    expect(diff.added).toEqual(['- heading "Release 577c20a041f5421c"']);
  });
});
