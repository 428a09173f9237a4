// GitHubCompare against a local stand-in of GitHub's compare API on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubCompare } from '../../functions/adapters/github-compare';
import { commitRange } from '../../functions/core/commit-range';
import { type GitHubStandIn, startGitHubStandIn } from '../fixtures/github-stand-in';

const BASE = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);
const TOKEN = 'ghs_secret_token_value';
let github: GitHubStandIn;

beforeAll(async () => {
  github = await startGitHubStandIn();
  github.ranges.set(
    `acme/shop ${BASE}...${HEAD}`,
    Array.from({ length: 27 }, (_, i) => ({
      sha: i.toString(16).padStart(40, 'c'),
      message: `Commit ${i}\n\nbody`,
      login: i === 1 ? null : `dev${i}`,
      name: `Dev ${i}`,
    })),
  );
});
afterAll(() => github.close());

describe('GitHubCompare', () => {
  it('returns the first 20 commits of the range, titles only, and the total', async () => {
    const listed = await new GitHubCompare({ token: TOKEN, apiUrl: github.apiUrl }).compare(
      'acme/shop',
      BASE,
      HEAD,
    );
    expect(listed.total).toBe(27);
    expect(listed.commits).toHaveLength(20);
    expect(listed.commits[0]).toEqual({ sha: '0'.padStart(40, 'c'), title: 'Commit 0', author: 'dev0' });
    // No GitHub account: the commit's author name.
    expect(listed.commits[1]!.author).toBe('Dev 1');
    expect(github.requests.at(-1)).toEqual({
      path: `/repos/acme/shop/compare/${BASE}...${HEAD}?per_page=20&page=1`,
      authorization: `Bearer ${TOKEN}`,
    });
  });

  it('fails with the status and never the token', async () => {
    github.failWith = 502;
    try {
      const failure = new GitHubCompare({ token: TOKEN, apiUrl: github.apiUrl }).compare(
        'acme/shop',
        BASE,
        HEAD,
      );
      await expect(failure).rejects.toThrow(
        /GitHub GET \/repos\/acme\/shop\/compare\/aaaaaaaaaaaa\.\.\.bbbbbbbbbbbb answered 502/,
      );
      await failure.catch((error: Error) => expect(error.message).not.toContain(TOKEN));
    } finally {
      github.failWith = null;
    }
  });

  it('refuses anything but hex SHAs and owner/name before sending a request', async () => {
    const before = github.requests.length;
    const compare = new GitHubCompare({ token: TOKEN, apiUrl: github.apiUrl });
    await expect(compare.compare('acme/shop', 'main; rm -rf /', HEAD)).rejects.toThrow('hex commit SHAs');
    await expect(compare.compare('acme/shop/../x', BASE, HEAD)).rejects.toThrow(
      'repository: expected "owner/name"',
    );
    expect(github.requests.length).toBe(before);
  });

  it('feeds the seal’s commit range: link always, list when the API answers, the reason when not', async () => {
    const history = new GitHubCompare({ token: TOKEN, apiUrl: github.apiUrl });
    const range = await commitRange('github.com/acme/shop', BASE, HEAD, history);
    expect(range).toMatchObject({
      compareUrl: `https://github.com/acme/shop/compare/${BASE}...${HEAD}`,
      total: 27,
      error: null,
    });
    expect(range!.commits).toHaveLength(20);
    const unknown = await commitRange('github.com/acme/other', BASE, HEAD, history);
    expect(unknown).toMatchObject({
      commits: [],
      total: null,
      error: expect.stringContaining('answered 404'),
    });
    // No range to show: same commit, no repository, or a commit that is not a SHA.
    expect(await commitRange('github.com/acme/shop', BASE, BASE, history)).toBeNull();
    expect(await commitRange(undefined, BASE, HEAD, history)).toBeNull();
    expect(await commitRange('github.com/acme/shop', '$(reboot)', HEAD, history)).toBeNull();
  });
});
