import { describe, expect, it } from 'vitest';
import { GENERATED_END, GENERATED_START, spliceGenerated } from '../../bench/generated-section';

describe('spliceGenerated', () => {
  it('starts a new file with the generated block and an empty analysis section', () => {
    const doc = spliceGenerated(null, '# Performance\n\nfigures');
    expect(doc.startsWith(`${GENERATED_START}\n# Performance\n\nfigures\n${GENERATED_END}`)).toBe(true);
    expect(doc).toContain('## Analysis');
  });

  it('replaces only the generated block and keeps the hand-written text around it', () => {
    const first = spliceGenerated(null, 'old figures');
    const edited = `Intro by hand.\n${first.replace('_Written by hand', 'Our reading: fine.\n_Written by hand')}`;
    const next = spliceGenerated(edited, 'new figures');
    expect(next).toContain('new figures');
    expect(next).not.toContain('old figures');
    expect(next.startsWith('Intro by hand.\n')).toBe(true);
    expect(next).toContain('Our reading: fine.');
  });

  it('puts the block above a file that has no markers, keeping that file whole', () => {
    const next = spliceGenerated('# Notes\n\nkept', 'figures');
    expect(next).toBe(`${GENERATED_START}\nfigures\n${GENERATED_END}\n\n# Notes\n\nkept\n`);
  });
});
