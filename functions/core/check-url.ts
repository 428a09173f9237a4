/**
 * The URL of a check's path under the app's base URL, keeping a base path:
 * `https://host/redmine/` + `/login` is `https://host/redmine/login` (where `new URL("/login", base)`
 * would drop "/redmine"). A base URL without a trailing slash is a folder too (`https://host/redmine`).
 */
export function checkUrl(baseUrl: string, path: string): string {
  const base = new URL(baseUrl);
  const folder = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return new URL(`${folder}${path.replace(/^\/+/, '')}`, base.origin).toString();
}
