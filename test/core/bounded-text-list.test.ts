import { describe, expect, it } from 'vitest';
import { BoundedTextList } from '../../functions/core/bounded-text-list';

describe('BoundedTextList', () => {
  it('keeps the first texts, each cut, and counts all of them exactly', () => {
    const list = new BoundedTextList(3, 10);
    for (let index = 0; index < 600; index++) list.add(`${index} ${'x'.repeat(200_000)}`);
    expect(list.count).toBe(600);
    expect(list.first).toBe('0 xxxxxxx…');
    expect(list.list('console errors')).toEqual([
      '0 xxxxxxx…',
      '1 xxxxxxx…',
      '2 xxxxxxx…',
      '… and 597 more console errors (600 in all)',
    ]);
  });

  it('never reads a text past the cap', () => {
    const list = new BoundedTextList(1, 10);
    let reads = 0;
    for (let index = 0; index < 5; index++) list.add(() => `${++reads}`);
    expect(reads).toBe(1);
    expect(list.list('page errors')).toEqual(['1', '… and 4 more page errors (5 in all)']);
  });
});
