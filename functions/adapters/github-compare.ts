// CommitHistory over GitHub's REST compare API: GET /repos/{owner}/{repo}/compare/{base}...{head}, with a token.
import { z } from 'zod';
import { ConfigError } from '../core/errors';
import type { CommitHistory, CommitSummary } from '../core/ports';
import { MAX_CHANGE_COMMITS } from '../core/seal-changes';
import { DEFAULT_GITHUB_API_URL, githubApiUrl } from './github-commit-status';
import { httpFailure, networkFailure, readBody } from './http-delivery';

export interface GitHubCompareOptions {
  /** A token that can read the repository's contents, or a loader of it (the stack's secrets.githubToken). */
  readonly token: string | (() => Promise<string>);
  /** GitHub Enterprise: `https://github.example.com/api/v3`. @default https://api.github.com */
  readonly apiUrl?: string;
  /** Per request, body included. @default 5000 */
  readonly timeoutMs?: number;
}

const REPO = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
const SHA = /^[0-9a-f]{7,40}$/;
/** The answer lists changed files too; past this it is not read (the link still works). */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

const CompareAnswer = z.object({
  total_commits: z.number().int().nonnegative(),
  commits: z.array(
    z.object({
      sha: z.string(),
      commit: z.object({
        message: z.string(),
        author: z.object({ name: z.string().nullable().optional() }).nullable().optional(),
      }),
      author: z.object({ login: z.string() }).nullable().optional(),
    }),
  ),
});

export class GitHubCompare implements CommitHistory {
  private readonly apiUrl: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: GitHubCompareOptions) {
    this.apiUrl = githubApiUrl(options.apiUrl ?? DEFAULT_GITHUB_API_URL);
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  /** The first commits of the range, oldest first, and how many it holds. The token is never part of an error. */
  async compare(
    repo: string,
    base: string,
    head: string,
  ): Promise<{ commits: readonly CommitSummary[]; total: number }> {
    if (!REPO.test(repo)) {
      throw new ConfigError(`repository: expected "owner/name", got ${JSON.stringify(repo.slice(0, 100))}`);
    }
    if (!SHA.test(base) || !SHA.test(head)) throw new Error('compare: both ends must be hex commit SHAs');
    const url = `${this.apiUrl}/repos/${repo}/compare/${base}...${head}?per_page=${MAX_CHANGE_COMMITS}&page=1`;
    const what = `GitHub GET /repos/${repo}/compare/${base.slice(0, 12)}...${head.slice(0, 12)}`;
    const token = typeof this.options.token === 'string' ? this.options.token : await this.options.token();
    let response: Response;
    let body: string;
    try {
      response = await fetch(url, {
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          'user-agent': 'smoke-seal',
        },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = await readBody(response, MAX_ANSWER_BYTES);
    } catch (error) {
      throw networkFailure(what, error, this.timeoutMs, [token]);
    }
    if (!response.ok) throw httpFailure(what, response, body, undefined, [token]);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new Error(`${what}: the answer is not JSON (or over ${MAX_ANSWER_BYTES} bytes)`);
    }
    const parsed = CompareAnswer.safeParse(json);
    if (!parsed.success) throw new Error(`${what}: the answer is not a comparison`);
    return {
      commits: parsed.data.commits.slice(0, MAX_CHANGE_COMMITS).map((entry) => ({
        sha: entry.sha.slice(0, 40),
        title: entry.commit.message.split('\n')[0] ?? '',
        author: entry.author?.login ?? entry.commit.author?.name ?? 'unknown',
      })),
      total: parsed.data.total_commits,
    };
  }
}
