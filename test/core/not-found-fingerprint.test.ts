import { describe, expect, it } from 'vitest';
import {
  isNotFoundPage,
  notFoundMessage,
  type PagePrint,
  saysNotFound,
} from '../../functions/core/not-found-fingerprint';

const probePath = '/smoke-seal-not-found-0a1b2c3d4e5f';
const layout = 'Home Projects Sign in Tracker Powered by Tracker © 2006-2026 and many others who contributed';
const spaNotFound: PagePrint = {
  status: 200,
  title: 'Registry',
  heading: "Sorry, we couldn't find it...",
  text: `Sorry, we couldn't find it... The page you're looking for doesn't exist. Perhaps the package ${probePath} is not published.`,
};

describe('isNotFoundPage', () => {
  it("recognises a single-page app's not-found page at another path", () => {
    const page = { ...spaNotFound, text: spaNotFound.text.replace(probePath, '/-/web/detail/left-pad') };
    expect(isNotFoundPage(spaNotFound, page, '/-/web/detail/left-pad', probePath)).toBe(true);
    expect(notFoundMessage(spaNotFound)).toBe(
      'the page is the app\'s not-found page ("Sorry, we couldn\'t find it...")',
    );
  });

  it('never matches when the app answers every path with the same real page (a catch-all shell)', () => {
    const shell: PagePrint = { status: 200, title: 'Secure', heading: 'Secure', text: 'Welcome to the shop' };
    expect(isNotFoundPage(shell, shell, '/', probePath)).toBe(false);
  });

  it('trusts a probe page only when it says it found nothing, in the words not-found pages use', () => {
    for (const words of ['Page not found', '404', 'This page doesn’t exist', 'Seite nicht gefunden']) {
      expect(saysNotFound({ status: 200, title: 'App', heading: words, text: '' })).toBe(true);
    }
    for (const words of ['Tasks', 'Welcome home', 'Sign in']) {
      expect(saysNotFound({ status: 200, title: 'App', heading: words, text: 'Your tasks' })).toBe(false);
    }
  });

  it('never matches a real page of the same app shell with its own heading', () => {
    const home: PagePrint = {
      status: 200,
      title: 'Registry',
      heading: 'Packages',
      text: 'Packages left-pad 1.3.0',
    };
    expect(isNotFoundPage(spaNotFound, home, '/', probePath)).toBe(false);
  });

  it('never matches real pages that share a layout and title with a soft-404 page', () => {
    const soft404: PagePrint = {
      status: 200,
      title: 'Tracker',
      heading: 'Tracker',
      text: `${layout} Page not found`,
    };
    const issues: PagePrint = {
      status: 200,
      title: 'Tracker',
      heading: 'Tracker',
      text: `${layout} Issues #1 Crash on save #2 Typo in footer Assignee Status Priority Updated`,
    };
    expect(isNotFoundPage(soft404, issues, '/issues', probePath)).toBe(false);
  });

  it('compares nothing when the app answered the probe with a real 404', () => {
    expect(isNotFoundPage({ ...spaNotFound, status: 404 }, spaNotFound, '/', probePath)).toBe(false);
  });
});
