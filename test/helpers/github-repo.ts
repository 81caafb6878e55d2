import { execFileSync } from 'node:child_process';

import { makeRepo, tempDir, testGitEnv, type TestRepo } from './repo.ts';

/**
 * A repository as GitHub holds it and as a workflow sees it: a bare
 * `origin` that, like GitHub, serves any commit by sha (so a run can fetch
 * a pull request's head or a forced push's old tip), a developer's clone
 * that pushes to it, and checkouts made the way actions/checkout makes
 * them (`git init`, `git fetch` of one ref at a depth, detached HEAD).
 */
export interface GithubRepo {
  origin: string;
  dev: TestRepo;
  /** Pushes the developer's refs, e.g. `main`, `+feature`, `:gone`. */
  push(...refspecs: string[]): void;
  /** Makes `refs/pull/N/head` (and `/merge`) on origin, as GitHub does. */
  openPullRequest(number: number, head: string, base: string): string;
  checkout(options: CheckoutOptions): string;
}

export interface CheckoutOptions {
  /** The commit checked out (GITHUB_SHA). */
  sha: string;
  /** The remote ref fetched, e.g. `refs/heads/main`, `refs/pull/7/merge`. */
  ref: string;
  /** actions/checkout's fetch-depth: 1 by default, 0 for everything. */
  depth?: number;
}

function git(args: string[], cwd: string) {
  return execFileSync('git', args, {
    cwd,
    env: testGitEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export function makeGithubRepo(): GithubRepo {
  const origin = tempDir('gitwarden-origin-');
  git(['init', '--quiet', '--bare', '--initial-branch=main'], origin);
  git(['config', 'uploadpack.allowAnySHA1InWant', 'true'], origin);
  const dev = makeRepo();
  dev.git(['remote', 'add', 'origin', `file://${origin}`]);

  return {
    origin,
    dev,
    push(...refspecs) {
      dev.git(['push', '--quiet', 'origin', ...refspecs]);
    },
    openPullRequest(number, head, base) {
      // The head may live in a fork: GitHub copies it to refs/pull/N/head.
      dev.git([
        'push',
        '--quiet',
        'origin',
        `${head}:refs/pull/${number}/head`,
      ]);
      // GitHub's test merge: base with the head merged in, as a new commit.
      const work = makeRepo();
      work.git(['fetch', '--quiet', `file://${origin}`, base, head]);
      work.git(['checkout', '--quiet', '--detach', base]);
      work.git([
        'merge',
        '--quiet',
        '--no-ff',
        '-m',
        `Merge ${head} into ${base}`,
        head,
      ]);
      const merge = work.git(['rev-parse', 'HEAD']);
      work.git([
        'push',
        '--quiet',
        `file://${origin}`,
        `${merge}:refs/pull/${number}/merge`,
      ]);
      return merge;
    },
    checkout({ sha, ref, depth = 1 }) {
      const dir = tempDir('gitwarden-checkout-');
      git(['init', '--quiet'], dir);
      git(['remote', 'add', 'origin', `file://${origin}`], dir);
      if (depth === 0) {
        git(
          [
            'fetch',
            '--quiet',
            '--prune',
            '--no-recurse-submodules',
            'origin',
            '+refs/heads/*:refs/remotes/origin/*',
            '+refs/tags/*:refs/tags/*',
          ],
          dir,
        );
      }
      const local = ref.startsWith('refs/heads/')
        ? `refs/remotes/origin/${ref.slice('refs/heads/'.length)}`
        : ref.startsWith('refs/pull/')
          ? `refs/remotes/pull/${ref.slice('refs/pull/'.length)}`
          : ref;
      git(
        [
          'fetch',
          '--quiet',
          '--no-tags',
          '--no-recurse-submodules',
          ...(depth > 0 ? [`--depth=${depth}`] : []),
          'origin',
          `+${sha}:${local}`,
        ],
        dir,
      );
      git(['checkout', '--quiet', '--detach', sha], dir);
      return dir;
    },
  };
}
