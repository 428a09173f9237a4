// The commits between the last green seal and this one: a compare link, and the first titles when a token allows.
import { boundText } from './bound-text';
import { errorText } from './error-text';
import type { CommitHistory } from './ports';
import { type CommitRange, MAX_CHANGE_COMMITS } from './seal-changes';

const SHA = /^[0-9a-f]{7,40}$/;
/** `github.com/org/app`, or a GitHub Enterprise host. */
export const REPOSITORY =
  /^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+)\/([A-Za-z0-9_.-]{1,100})\/([A-Za-z0-9_.-]{1,100})$/;
/** The list is a courtesy: it never holds the seal for long. */
const LIST_TIMEOUT_MS = 5_000;

/**
 * Null when there is no range to show: no repository, a commit missing or not a hex SHA (nothing from
 * an event goes into a link unchecked), or the same commit at both ends.
 */
export async function commitRange(
  repository: string | undefined,
  base: string | null | undefined,
  head: string | null | undefined,
  history: CommitHistory | undefined,
): Promise<CommitRange | null> {
  const match = repository ? REPOSITORY.exec(repository) : null;
  if (!match || !base || !head || !SHA.test(base) || !SHA.test(head) || base === head) return null;
  const host = match[1]!;
  const repo = `${match[5]}/${match[6]}`;
  const range: CommitRange = {
    compareUrl: `https://${host}/${repo}/compare/${base}...${head}`,
    base,
    head,
    commits: [],
    total: null,
    error: history ? null : 'no GitHub token: only the link',
  };
  if (!history) return range;
  try {
    const listed = await within(history.compare(repo, base, head), LIST_TIMEOUT_MS);
    if (listed === undefined)
      return { ...range, error: `GitHub did not answer within ${LIST_TIMEOUT_MS} ms` };
    return {
      ...range,
      commits: listed.commits.slice(0, MAX_CHANGE_COMMITS).map((commit) => ({
        sha: boundText(commit.sha, 40),
        title: boundText(commit.title.split('\n')[0] ?? '', 120),
        author: boundText(commit.author, 80),
      })),
      total: listed.total,
    };
  } catch (error) {
    return { ...range, error: boundText(errorText(error), 300) };
  }
}

/** The work's value, undefined when it takes longer than `ms`; a rejection is passed on. */
async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
