// `run --github-status`: the token, API and repository from the variables GitHub Actions sets.
import { githubApiUrl } from '../../functions/adapters/github-commit-status';
import { ConfigError } from '../../functions/core/errors';

export interface GithubStatusTarget {
  readonly token: string;
  readonly apiUrl: string;
  readonly repo: string;
}

/** GITHUB_TOKEN (required), GITHUB_API_URL (default api.github.com), the app's github.repo else GITHUB_REPOSITORY. */
export function githubFromEnv(
  app: { readonly github?: { readonly repo: string } },
  env: Readonly<Record<string, string | undefined>>,
): GithubStatusTarget {
  const token = env.GITHUB_TOKEN?.trim();
  if (!token) {
    throw new ConfigError('--github-status needs a token: set GITHUB_TOKEN in the environment');
  }
  const repo = app.github?.repo ?? env.GITHUB_REPOSITORY;
  if (!repo || !/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/.test(repo)) {
    throw new ConfigError(
      '--github-status needs the repository: set apps[].github.repo in the configuration or GITHUB_REPOSITORY="owner/name"',
    );
  }
  const apiUrl = githubApiUrl(env.GITHUB_API_URL ?? 'https://api.github.com');
  return { token, apiUrl, repo };
}
