// What an app's not-found page looks like, and whether a page is it. Pure: the adapter supplies the pages.

/** What the adapter reads off a rendered page. */
export interface PagePrint {
  readonly status: number | null;
  readonly title: string;
  /**
   * The main heading's text: the first visible h1 (else h2, h3, role heading) inside the main region
   * (`main`, `[role=main]`, `#main`, `#content`) when there is one, else in the page; "" when none.
   */
  readonly heading: string;
  /** The body's visible text, bounded by the adapter. */
  readonly text: string;
}

/** Words shared by the two texts over words in either (Jaccard), at or above which the texts are alike. */
export const TEXT_SIMILARITY_THRESHOLD = 0.8;
/** The same, when neither page has a heading. */
export const UNNAMED_SIMILARITY_THRESHOLD = 0.95;

/** Lower case, digits and hex ids masked, whitespace collapsed, the path asked for removed. */
export function normaliseText(text: string, path = ''): string {
  let out = text.toLowerCase();
  if (path.length > 1) out = out.split(path.toLowerCase()).join(' ');
  return out
    .replace(/[0-9a-f]{8,}/g, '#')
    .replace(/\d+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * True when `page` is the app's not-found page: the same title and main heading as the probe's page,
 * and nearly the same text. A real page in the same layout differs in its heading or its text, so the
 * layout's chrome alone never matches. Only a not-found page answered with 2xx (a single-page app,
 * a soft 404) is worth comparing; a real 404 already fails a page check by its status.
 */
export function isNotFoundPage(
  notFound: PagePrint,
  page: PagePrint,
  pagePath: string,
  probePath: string,
): boolean {
  if (notFound.status === null || notFound.status < 200 || notFound.status > 299) return false;
  // An app that answers every path with the same real page (a catch-all shell, a static site) has no
  // not-found page to recognise: only a probe page that says it found nothing is trusted.
  if (!saysNotFound(notFound)) return false;
  if (normaliseText(notFound.title, probePath) !== normaliseText(page.title, pagePath)) return false;
  if (normaliseText(notFound.heading, probePath) !== normaliseText(page.heading, pagePath)) return false;
  // Without a heading to tell pages apart, only a near-identical text is the not-found page.
  const threshold = notFound.heading.trim() === '' ? UNNAMED_SIMILARITY_THRESHOLD : TEXT_SIMILARITY_THRESHOLD;
  return similarity(normaliseText(notFound.text, probePath), normaliseText(page.text, pagePath)) >= threshold;
}

/**
 * Words a not-found page uses (English and a few other languages): "404", "not found", "couldn't
 * find", "doesn't exist", "no such page"... Checked on the title, the heading and the start of the text.
 */
const NOT_FOUND_WORDS =
  /\b404\b|not[\s-]+found|(could ?n[o'’]?t|can ?n?[o'’]?t|unable to) (be )?(find|locate)|(does ?n[o'’]?t|did ?n[o'’]?t|no longer|does not) exists?|no such|page (is )?missing|nicht gefunden|introuvable|no (se )?encontr|non trovat|niet gevonden|não encontrad|nie znaleziono/i;

/** True when the probe's page says, somewhere a person would read it, that nothing was found. */
export function saysNotFound(print: PagePrint): boolean {
  return NOT_FOUND_WORDS.test(`${print.title}\n${print.heading}\n${print.text.slice(0, 2_000)}`);
}

/**
 * The visible heading, among the page's, that says nothing was found ("Sorry, we couldn't find it…"),
 * or null. A page check whose settled page heads itself so is a soft 404 whatever the probe saw: the
 * probe's path may draw a different not-found page (a registry takes `/<anything>` for a package name).
 * A landmark that names such words itself (a check of the not-found page) is left alone by the caller.
 */
export function notFoundHeading(headings: readonly string[]): string | null {
  for (const heading of headings) {
    const text = heading.replace(/\s+/g, ' ').trim();
    if (text.length > 0 && text.length <= 200 && NOT_FOUND_WORDS.test(text)) return text;
  }
  return null;
}

/** Jaccard similarity of the two texts' word sets; two empty texts are alike. */
export function similarity(a: string, b: string): number {
  const left = new Set(a.split(' ').filter(Boolean));
  const right = new Set(b.split(' ').filter(Boolean));
  if (left.size === 0 && right.size === 0) return 1;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared++;
  return shared / (left.size + right.size - shared);
}

/** How a failing page check names the not-found page: by its heading, else its title. */
export function notFoundMessage(notFound: PagePrint): string {
  const name = (notFound.heading || notFound.title || 'not found').replace(/\s+/g, ' ').trim();
  const short = name.length > 80 ? `${name.slice(0, 79)}…` : name;
  return `the page is the app's not-found page (${JSON.stringify(short)})`;
}
