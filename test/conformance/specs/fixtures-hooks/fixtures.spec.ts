// test.extend (test and worker fixtures, auto, options), mergeTests, test.use of an option.
import { expect, test } from './shop-fixtures';

test('a test fixture opens the products page', async ({ productsPage }) => {
  await expect(productsPage.getByRole('listitem')).toHaveText(['Oak desk', 'Linen lamp', 'Wool rug']);
});

test('a worker fixture is set up once per worker', async ({ workerToken }) => {
  expect(workerToken.setups).toBe(1);
  expect(workerToken.id).toBeGreaterThanOrEqual(0);
});

test('the same worker fixture again, not set up again', async ({ workerToken }) => {
  expect(workerToken.setups).toBe(1);
});

test('an auto fixture ran without being asked for', async ({ autoLog }) => {
  expect(autoLog).toEqual(['auto fixture ran']);
});

test('an option comes from the config', async ({ greeting }) => {
  expect(greeting).toBe('from the config');
});

test.describe('with test.use', () => {
  test.use({ greeting: 'from test.use' });
  test('test.use overrides the option', async ({ greeting }) => {
    expect(greeting).toBe('from test.use');
  });
});

test('mergeTests: fixtures of both tests', async ({ homeHeading, workerToken }) => {
  expect(homeHeading).toBe('Conformance shop');
  expect(workerToken.setups).toBe(1);
});
