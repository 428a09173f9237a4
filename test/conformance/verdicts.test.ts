import { describe, expect, it } from 'vitest';
import { sealVerdicts, stockVerdicts, verdictDifferences } from './verdicts';

const report = {
  suites: [
    {
      title: 'shop.spec.ts',
      file: 'shop.spec.ts',
      specs: [
        { title: 'home', file: 'shop.spec.ts', tests: [{ projectName: '', status: 'expected' as const }] },
      ],
      suites: [
        {
          title: 'cart',
          file: 'shop.spec.ts',
          specs: [
            {
              title: 'flaky one',
              file: 'shop.spec.ts',
              tests: [{ projectName: '', status: 'flaky' as const }],
            },
            {
              title: 'broken',
              file: 'shop.spec.ts',
              tests: [{ projectName: '', status: 'unexpected' as const }],
            },
            {
              title: 'later',
              file: 'shop.spec.ts',
              tests: [{ projectName: '', status: 'skipped' as const }],
            },
          ],
        },
      ],
    },
  ],
};

function check(
  titlePath: string[],
  outcome: 'passed' | 'failed' | 'skipped' | 'unfinished',
  file = 'shop.spec.ts',
) {
  return { name: titlePath.join(' › '), outcome, playwright: { project: '', file, titlePath } };
}

describe('verdicts', () => {
  it('reads stock: expected and flaky pass, unexpected fails, skipped skips; describe titles in the key', () => {
    expect([...stockVerdicts(report)]).toEqual([
      ['[] shop.spec.ts › home', 'passed'],
      ['[] shop.spec.ts › cart › flaky one', 'passed'],
      ['[] shop.spec.ts › cart › broken', 'failed'],
      ['[] shop.spec.ts › cart › later', 'skipped'],
    ]);
  });

  it('finds no difference when the seal agrees, the file keyed by its base name', () => {
    const seal = sealVerdicts({
      checks: [
        check(['home'], 'passed', 'copy/of/shop.spec.ts'),
        check(['cart', 'flaky one'], 'passed'),
        check(['cart', 'broken'], 'failed'),
        check(['cart', 'later'], 'skipped'),
        { name: '[webkit] (project skipped)', outcome: 'skipped' },
      ],
    });
    expect(verdictDifferences(stockVerdicts(report), seal)).toEqual([]);
  });

  it('names each test whose verdict differs or is missing on one side', () => {
    const seal = sealVerdicts({
      checks: [
        check(['home'], 'failed'),
        check(['cart', 'flaky one'], 'passed'),
        check(['cart', 'broken'], 'unfinished'),
        check(['extra'], 'passed'),
      ],
    });
    expect(verdictDifferences(stockVerdicts(report), seal)).toEqual([
      { test: '[] shop.spec.ts › cart › broken', stock: 'failed', seal: 'unfinished' },
      { test: '[] shop.spec.ts › cart › later', stock: 'skipped', seal: 'missing' },
      { test: '[] shop.spec.ts › extra', stock: 'missing', seal: 'passed' },
      { test: '[] shop.spec.ts › home', stock: 'passed', seal: 'failed' },
    ]);
  });
});
