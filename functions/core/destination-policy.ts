// Where a seal's browser may go: the app's hosts on any address, other hosts on public addresses only.
// Pure: the proxy resolves a name once and asks here about the address it will connect to.

/** Why an address is not public; null when it is. */
export type AddressClass =
  | 'loopback'
  | 'link-local'
  | 'instance metadata'
  | 'private'
  | 'carrier-grade NAT'
  | 'unspecified'
  | 'this network'
  | 'multicast'
  | 'reserved'
  | 'not an IP address';

export type DestinationDecision =
  | { readonly allowed: true; readonly appHost: boolean }
  | { readonly allowed: false; readonly reason: string };

export interface Destination {
  /** The host as the request named it (no brackets for IPv6), lower case or not. */
  readonly host: string;
  readonly port: number;
  /** The resolved address the connection would go to. */
  readonly address: string;
}

export interface DestinationPolicy {
  /** "host", "host:port" or "*.example.com" (any port of a pattern without one is 80 or 443). */
  readonly appHosts: readonly string[];
  /** AWS_LAMBDA_RUNTIME_API ("host:port"), refused always, app host or not. */
  readonly runtimeApi?: string | undefined;
}

/** Classifies an IPv4 or IPv6 literal. Returns null for a public (globally routable) address. */
export function classifyAddress(address: string): AddressClass | null {
  const v4 = parseIpv4(address);
  if (v4) return classifyIpv4(v4);
  const v6 = parseIpv6(address);
  if (!v6) return 'not an IP address';
  return classifyIpv6(v6);
}

function classifyIpv4([a, b, c, d]: readonly number[]): AddressClass | null {
  if (a === 0) return b === 0 && c === 0 && d === 0 ? 'unspecified' : 'this network';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return c === 169 && d === 254 ? 'instance metadata' : 'link-local';
  if (a === 10) return 'private';
  if (a === 172 && b! >= 16 && b! <= 31) return 'private';
  if (a === 192 && b === 168) return 'private';
  if (a === 100 && b! >= 64 && b! <= 127) return 'carrier-grade NAT';
  if (a! >= 224 && a! <= 239) return 'multicast';
  if (a! >= 240) return 'reserved'; // 240/4 and the broadcast address
  return null;
}

function classifyIpv6(words: readonly number[]): AddressClass | null {
  const [w0, w1, w2, w3, w4, w5, w6, w7] = words as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const zeroUntil = (n: number) => words.slice(0, n).every((word) => word === 0);
  if (zeroUntil(8)) return 'unspecified';
  if (zeroUntil(7) && w7 === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address.
  const embedded = [w6 >> 8, w6 & 0xff, w7 >> 8, w7 & 0xff];
  if (zeroUntil(5) && w5 === 0xffff) return classifyIpv4(embedded);
  if (zeroUntil(6)) return classifyIpv4(embedded);
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0) {
    return classifyIpv4(embedded);
  }
  if (
    w0 === 0xfd00 &&
    w1 === 0x0ec2 &&
    w2 === 0 &&
    w3 === 0 &&
    w4 === 0 &&
    w5 === 0 &&
    w6 === 0 &&
    w7 === 0x254
  ) {
    return 'instance metadata';
  }
  if ((w0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((w0 & 0xfe00) === 0xfc00) return 'private';
  if ((w0 & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local
  if ((w0 & 0xff00) === 0xff00) return 'multicast';
  return null;
}

function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((part) => (/^\d{1,3}$/.test(part) ? Number(part) : Number.NaN));
  return bytes.every((byte) => byte >= 0 && byte <= 255) ? bytes : null;
}

/** Eight 16-bit words, or null. Accepts "::", embedded IPv4 and a zone ("fe80::1%eth0"). */
function parseIpv6(input: string): number[] | null {
  let text = input.replace(/^\[|\]$/g, '');
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (!text.includes(':')) return null;
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = parseIpv4(last);
    if (!v4) return null;
    const hex = (high: number, low: number) => ((high << 8) | low).toString(16);
    text = `${text.slice(0, lastColon + 1)}${hex(v4[0]!, v4[1]!)}:${hex(v4[2]!, v4[3]!)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (half: string) => (half === '' ? [] : half.split(':'));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (![...head, ...rest].every((word) => /^[0-9a-f]{1,4}$/i.test(word))) return null;
  const headWords = head.map((word) => Number.parseInt(word, 16));
  const restWords = rest.map((word) => Number.parseInt(word, 16));
  const missing = 8 - headWords.length - restWords.length;
  if (halves.length === 1) return missing === 0 ? [...headWords, ...restWords] : null;
  if (missing < 1) return null;
  return [...headWords, ...new Array<number>(missing).fill(0), ...restWords];
}

/** True when host:port is one of the app's hosts. A pattern without a port matches 80 and 443. */
export function matchesAppHost(host: string, port: number, patterns: readonly string[]): boolean {
  const name = normaliseHost(host);
  return patterns.some((pattern) => {
    const { host: patternHost, port: patternPort } = splitHostPort(pattern);
    if (patternPort === null ? port !== 80 && port !== 443 : patternPort !== port) return false;
    if (patternHost.startsWith('*.')) {
      const suffix = patternHost.slice(1);
      return name.endsWith(suffix) && name.length > suffix.length;
    }
    return name === patternHost;
  });
}

/** Decides one connection: the app's hosts on any address, others on public addresses only, never the runtime API. */
export function decideDestination(
  destination: Destination,
  policy: DestinationPolicy,
  classify: (address: string) => AddressClass | null = classifyAddress,
): DestinationDecision {
  const host = normaliseHost(destination.host);
  const address = normaliseHost(destination.address);
  if (policy.runtimeApi) {
    const runtime = splitHostPort(policy.runtimeApi);
    const samePort = runtime.port === null || runtime.port === destination.port;
    if (
      samePort &&
      (runtime.host === host || runtime.host === address || sameAddress(runtime.host, address))
    ) {
      return { allowed: false, reason: 'the Lambda runtime API is never reachable from a seal' };
    }
  }
  if (matchesAppHost(host, destination.port, policy.appHosts)) return { allowed: true, appHost: true };
  const kind = classify(address);
  if (kind === null) return { allowed: true, appHost: false };
  const named = host === address ? address : `${host} (${address})`;
  return { allowed: false, reason: `${kind} address ${named} is off the app's hosts` };
}

function sameAddress(a: string, b: string): boolean {
  const left = parseIpv6(a) ?? mapped(parseIpv4(a));
  const right = parseIpv6(b) ?? mapped(parseIpv4(b));
  return left !== null && right !== null && left.every((word, index) => word === right[index]);
}

function mapped(v4: number[] | null): number[] | null {
  return v4 ? [0, 0, 0, 0, 0, 0xffff, (v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!] : null;
}

function normaliseHost(host: string): string {
  return host
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

function splitHostPort(value: string): { host: string; port: number | null } {
  const text = value.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ? Number(bracketed[2]) : null };
  const colons = text.split(':').length - 1;
  if (colons === 1) {
    const [host, port] = text.split(':') as [string, string];
    return { host: normaliseHost(host), port: /^\d+$/.test(port) ? Number(port) : null };
  }
  return { host: normaliseHost(text), port: null };
}
