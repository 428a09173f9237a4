// The guard's refusals, grouped by method, URL and reason with a count each: the first groups listed, the total exact.
import { cutText } from './cut-text';
import type { RefusedRequests } from './ports';
import type { RefusedRequest } from './seal';

/** How many groups a seal lists. */
export const MAX_REFUSED_GROUPS = 50;
/** A URL longer than this is cut where it enters (a page chooses its URLs). */
export const MAX_REFUSED_URL_CHARS = 500;
const MAX_METHOD_CHARS = 20;
const MAX_REASON_CHARS = 200;

export class RefusalTally {
  private readonly groups = new Map<string, { method: string; url: string; reason: string; count: number }>();
  private total = 0;

  add(request: { readonly method: string; readonly url: string; readonly reason: string }): void {
    this.total++;
    const method = bound(request.method, MAX_METHOD_CHARS);
    const url = bound(request.url, MAX_REFUSED_URL_CHARS);
    const reason = bound(request.reason, MAX_REASON_CHARS);
    const key = `${method}\u0000${url}\u0000${reason}`;
    const group = this.groups.get(key);
    if (group) group.count++;
    else if (this.groups.size < MAX_REFUSED_GROUPS) this.groups.set(key, { method, url, reason, count: 1 });
  }

  snapshot(): RefusedRequests {
    const requests: RefusedRequest[] = [...this.groups.values()].map((group) => ({ ...group }));
    return { count: this.total, requests };
  }
}

function bound(text: string, max: number): string {
  // Control characters never reach a terminal or a log line.
  const clean = [...text].map((char) => (char < ' ' || char === '\u007f' ? '?' : char)).join('');
  return cutText(clean, max);
}
