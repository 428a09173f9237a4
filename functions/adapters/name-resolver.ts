// Name lookups for the read-only proxy that never wait on one another: c-ares (dns.Resolver) with its own
// timeout, instead of getaddrinfo on libuv's 4-thread pool, where 4 silent domains stall every other lookup.

import { Resolver } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

export interface NameResolverOptions {
  /** One lookup's whole budget, A then AAAA. */
  readonly timeoutMs: number;
  /** The hosts file read for names the DNS does not know (localhost, the machine's own names). */
  readonly hostsFile?: string;
  /** DNS servers ("127.0.0.1:5300"); default the system's (/etc/resolv.conf). */
  readonly servers?: readonly string[];
}

export class NameResolver {
  private readonly resolver: Resolver;
  private hosts: ReadonlyMap<string, string> | undefined;

  constructor(private readonly options: NameResolverOptions) {
    // c-ares retries on its own clock; the timeout below bounds the whole lookup whatever it does.
    this.resolver = new Resolver({ timeout: Math.max(100, Math.floor(options.timeoutMs / 2)), tries: 1 });
    if (options.servers) this.resolver.setServers([...options.servers]);
  }

  /** The first address of `host` (IPv4 first, as getaddrinfo orders them here). Rejects with a DNS code. */
  async resolve(host: string): Promise<string> {
    const name = host.toLowerCase().replace(/\.$/, '');
    const listed = this.hostsEntries().get(name);
    if (listed) return listed;
    if (name === 'localhost' || name.endsWith('.localhost')) return '127.0.0.1';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error(`DNS lookup of ${name} timed out`), { code: 'ETIMEOUT' })),
        this.options.timeoutMs,
      );
      timer.unref?.();
    });
    try {
      return await Promise.race([this.lookup(name), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends every lookup in flight: nothing waits on a silent server after the seal. */
  cancel(): void {
    this.resolver.cancel();
  }

  private async lookup(name: string): Promise<string> {
    try {
      const [address] = await this.resolver.resolve4(name);
      if (address) return address;
    } catch (error) {
      // A name with only AAAA records answers ENODATA for A; anything else is the lookup's answer.
      if ((error as { code?: string }).code !== 'ENODATA') throw error;
    }
    const [address] = await this.resolver.resolve6(name);
    if (!address) throw Object.assign(new Error(`no address for ${name}`), { code: 'ENOTFOUND' });
    return address;
  }

  private hostsEntries(): ReadonlyMap<string, string> {
    if (!this.hosts) {
      const map = new Map<string, string>();
      try {
        const text = readFileSync(this.options.hostsFile ?? '/etc/hosts', 'utf8').slice(0, 1024 * 1024);
        for (const line of text.split('\n')) {
          const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
          if (!address || isIP(address) === 0) continue;
          for (const hostName of names) {
            const key = hostName.toLowerCase();
            // The first entry wins, IPv4 preferred, as getaddrinfo answers here.
            const known = map.get(key);
            if (!known || (isIP(known) === 6 && isIP(address) === 4)) map.set(key, address);
          }
        }
      } catch {
        // No hosts file (a bare container): DNS alone.
      }
      this.hosts = map;
    }
    return this.hosts;
  }
}
