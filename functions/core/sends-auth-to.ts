// Where sign-in material may go: the app's own origins over https, scheme, host and port exact.
import { matchesAppHost } from './destination-policy';

/**
 * True for a request to the base URL's own origin (even http: a loopback run of an http app), or to
 * one of the app's hosts over https on the port the host names (443 when it names none). An http hop
 * anywhere else, or another port, gets no credentials and no headers.
 */
export function sendsAuthTo(url: URL, baseUrl: string | undefined, appHosts: readonly string[]): boolean {
  if (baseUrl !== undefined && url.origin === new URL(baseUrl).origin) return true;
  if (url.protocol !== 'https:') return false;
  const port = Number(url.port || 443);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // A host named without a port is the https default only: never 80, never another port.
  return (
    matchesAppHost(host, port, appHosts) && (port === 443 || appHosts.some((h) => h.endsWith(`:${port}`)))
  );
}
