// CommitStatusWriter over GitHub's REST API: POST /repos/{owner}/{repo}/statuses/{sha} with a token.
import { ConfigError, DeliveryError } from '../core/errors';
import type { CommitStatus } from '../core/messages/render-commit-status';
import type { CommitStatusWriter } from '../core/relay-seal';
import { httpFailure, networkFailure, readBody, redact } from './http-delivery';

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

export interface GitHubCommitStatusOptions {
  /** A token with `repo:status` (classic) or "Commit statuses: write" (fine-grained), or a loader of it. */
  readonly token: string | (() => Promise<string>);
  /** GitHub Enterprise: `https://github.example.com/api/v3`. @default https://api.github.com */
  readonly apiUrl?: string;
  /** Per request, body included. @default 10000 */
  readonly timeoutMs?: number;
  /** Clock for x-ratelimit-reset. */
  readonly now?: () => number;
}

const REPO = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
const SHA = /^[0-9a-f]{7,40}$/;

export class GitHubCommitStatus implements CommitStatusWriter {
  private readonly apiUrl: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: GitHubCommitStatusOptions) {
    this.apiUrl = githubApiUrl(options.apiUrl ?? DEFAULT_GITHUB_API_URL);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Retryable (DeliveryError.retryable) on 5xx, 429 and a rate-limited 403, with the wait GitHub asks
   * for (Retry-After, else x-ratelimit-reset); terminal on any other 4xx (no access, unknown repo or
   * commit). The token is never part of an error.
   */
  async setStatus(repo: string, sha: string, status: CommitStatus): Promise<void> {
    if (!REPO.test(repo)) {
      throw new ConfigError(`github.repo: expected "owner/name", got ${JSON.stringify(repo.slice(0, 100))}`);
    }
    if (!SHA.test(sha)) {
      throw new DeliveryError(`commit ${JSON.stringify(sha.slice(0, 40))} is not a hex SHA`, {
        retryable: false,
      });
    }
    const url = `${this.apiUrl}/repos/${repo}/statuses/${sha}`;
    const what = `GitHub POST /repos/${repo}/statuses/${sha.slice(0, 12)}`;
    const token = typeof this.options.token === 'string' ? this.options.token : await this.options.token();
    let response: Response;
    let body: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/vnd.github+json',
          'content-type': 'application/json',
          'x-github-api-version': '2022-11-28',
          'user-agent': 'smoke-seal',
        },
        body: JSON.stringify(status),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = await readBody(response);
    } catch (error) {
      throw networkFailure(what, error, this.timeoutMs, [token]);
    }
    if (response.ok) return;
    const wait = this.retryAfterMs(response);
    if (response.status === 403 && isRateLimited(response, body)) {
      const failure = httpFailure(what, response, body, wait, [token]);
      throw new DeliveryError(redact(`${failure.message} (rate limited)`, [token]), {
        retryable: true,
        retryAfterMs: wait,
      });
    }
    throw httpFailure(what, response, body, wait, [token]);
  }

  /** Retry-After (seconds or a date) wins; else x-ratelimit-reset (epoch seconds) when nothing is left. */
  private retryAfterMs(response: Response): number | undefined {
    const header = response.headers.get('retry-after');
    if (header !== null) {
      const seconds = Number(header);
      if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
      const date = Date.parse(header);
      if (!Number.isNaN(date)) return Math.max(0, date - this.now());
    }
    const reset = Number(response.headers.get('x-ratelimit-reset'));
    if (response.headers.get('x-ratelimit-remaining') === '0' && Number.isFinite(reset) && reset > 0) {
      return Math.max(0, reset * 1000 - this.now());
    }
    return undefined;
  }
}

/** GitHub says "rate limit" with a 403: none left this hour, or the secondary (abuse) limit. */
function isRateLimited(response: Response, body: string): boolean {
  if (response.headers.get('x-ratelimit-remaining') === '0') return true;
  if (response.headers.get('retry-after') !== null) return true;
  return /rate limit/i.test(body);
}

/** https only (http on a loopback host for tests), no credentials, no trailing slash. */
export function githubApiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`github.apiUrl: expected an https URL, e.g. ${DEFAULT_GITHUB_API_URL}`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === '[::1]' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigError(`github.apiUrl: expected https, got ${JSON.stringify(raw.slice(0, 100))}`);
  }
  if (url.username || url.password) {
    throw new ConfigError(
      'github.apiUrl: credentials do not belong in the URL; the token is sent as a bearer',
    );
  }
  return url.href.replace(/\/+$/, '');
}
