import type { RefusedRequest } from './seal';

export interface RefusedGroup {
  readonly method: string;
  readonly url: string;
  readonly count: number;
  /** Why the guard refused it (the first reason seen for this method and URL). */
  readonly reason: string;
}

/**
 * The guard's refusals, one line per method and URL with how often: a page that retries its WebSocket
 * fifty times reads `WEBSOCKET ws://…/comms ×50`. An entry's own `count` (when the guard already
 * grouped it) is added; without one it counts once. First-seen order is kept.
 */
export function groupRefused(requests: readonly RefusedRequest[]): RefusedGroup[] {
  const groups = new Map<string, { method: string; url: string; count: number; reason: string }>();
  for (const request of requests) {
    const counted = (request as RefusedRequest & { count?: unknown }).count;
    const count = typeof counted === 'number' && counted > 0 ? counted : 1;
    const key = `${request.method} ${request.url}`;
    const group = groups.get(key);
    if (group) group.count += count;
    else groups.set(key, { method: request.method, url: request.url, count, reason: request.reason });
  }
  return [...groups.values()];
}
