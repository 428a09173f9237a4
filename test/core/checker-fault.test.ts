import { describe, expect, it } from 'vitest';
import {
  BROWSER_CRASHED,
  BROWSER_UNRESPONSIVE,
  checkerFaultText,
  classifyError,
} from '../../functions/core/checker-fault';

describe('classifyError', () => {
  it.each([
    'page.goto: Target page, context or browser has been closed',
    'browser.newPage: Browser has been closed',
    'locator.waitFor: Target closed',
    'Protocol error (Page.navigate): Session closed.',
    'page.evaluate: Target crashed',
    'browserContext.newPage: Target page, context or browser has been closed',
  ])('makes "%s" the checker\'s', (message) => {
    expect(classifyError(new Error(message))).toBe('checker');
  });

  it.each([
    'page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:1/',
    'page.goto: Timeout 3000ms exceeded.',
    'uncaught ReferenceError: renderTasks is not defined',
    '/up answered 503, expected 200',
  ])('makes "%s" production\'s in a healthy browser', (message) => {
    expect(classifyError(new Error(message))).toBe('production');
  });

  it("makes a timeout the checker's when the browser was gone, crashed or wedged", () => {
    const timeout = new Error('page.goto: Timeout 3000ms exceeded.');
    expect(classifyError(timeout, { browserGone: true })).toBe('checker');
    expect(classifyError(timeout, { pageCrashed: true })).toBe('checker');
    expect(classifyError(timeout, { unresponsive: true })).toBe('checker');
  });

  it('names a crash before a wedge', () => {
    expect(checkerFaultText({ unresponsive: true })).toBe(BROWSER_UNRESPONSIVE);
    expect(checkerFaultText({ unresponsive: true, browserGone: true })).toBe(BROWSER_CRASHED);
    expect(checkerFaultText({ pageCrashed: true })).toBe(BROWSER_CRASHED);
  });
});
