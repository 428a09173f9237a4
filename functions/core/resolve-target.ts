import { EventError } from './errors';

export interface TargetPolicy {
  readonly name: string;
  /** The canonical production base URL. */
  readonly url: string;
  /** Hosts (host or host:port, optionally "*.example.com") an event's smokeUrl may name. */
  readonly allowedHosts: readonly string[];
  /** Named environments (name -> host pattern), e.g. { staging: "staging.example.com" }: allowed too. */
  readonly environments?: Readonly<Record<string, string>>;
}

/**
 * The URL a seal runs against: the app's canonical production URL, or a smoke URL the event names
 * when its host is the production host or in the allowlist. Anything else is refused, so the event
 * bus cannot steer the browser at an arbitrary address (server-side request forgery).
 */
export function resolveTargetUrl(
  app: TargetPolicy,
  smokeUrl: string | undefined,
  field = 'detail.smokeUrl',
): string {
  if (smokeUrl === undefined) return app.url;
  let url: URL;
  try {
    url = new URL(smokeUrl);
  } catch (error) {
    throw new EventError(
      `${field}: expected an absolute URL, got ${JSON.stringify(smokeUrl.slice(0, 200))}`,
      {
        cause: error,
      },
    );
  }
  const production = new URL(app.url);
  if (url.protocol !== production.protocol && url.protocol !== 'https:') {
    throw new EventError(`${field}: expected an https URL, got scheme "${url.protocol.replace(':', '')}"`);
  }
  if (url.username || url.password) throw new EventError(`${field}: credentials in the URL are not allowed`);
  const allowed = [production.host, ...app.allowedHosts, ...Object.values(app.environments ?? {})];
  if (!allowed.some((pattern) => hostMatches(pattern, url))) {
    throw new EventError(
      `${field}: host "${url.host}" is not allowed for app "${app.name}"; allowed: ${allowed.join(', ')} ` +
        `(add it to apps[].allowedHosts in the configuration if it is yours)`,
    );
  }
  return url.toString();
}

/** Whether a host pattern ("host", "host:port", "*.example.com") matches the URL's host and port. */
export function hostMatches(pattern: string, url: URL): boolean {
  const [patternHost, patternPort] = pattern.toLowerCase().split(/:(?=\d+$)/);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (patternPort !== undefined && patternPort !== port) return false;
  if (patternPort === undefined && url.port !== '') return false;
  const host = url.hostname.toLowerCase();
  if (patternHost?.startsWith('*.'))
    return host.endsWith(patternHost.slice(1)) && host.length > patternHost.length - 1;
  return host === patternHost;
}
