import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

import { GitwardenError } from '../errors.ts';
import { git, gitText } from './run.ts';

/** What gitwarden needs to know about a repository before judging it. */
export interface RepoFacts {
  /** Absolute or cwd-relative path of the .git directory. */
  gitDir: string;
  shallow: boolean;
  /** Commits whose parents are missing from a shallow clone. */
  shallowCommits: Set<string>;
}

export const ZERO_SHA = /^0+$/;

export function isZeroSha(sha: string): boolean {
  return ZERO_SHA.test(sha) && (sha.length === 40 || sha.length === 64);
}

/**
 * Reads the repository's basic facts and resolves revisions to commit
 * shas, all in one git process (hooks pay for every spawn).
 */
export async function inspectRepo(
  repo: string,
  revisions: readonly string[] = [],
): Promise<{ facts: RepoFacts; shas: string[] }> {
  for (const revision of revisions) assertRevisionSyntax(revision);
  const args = [
    'rev-parse',
    '--git-dir',
    '--is-shallow-repository',
    '--git-path',
    'shallow',
    ...revisions.map((revision) => `${revision}^{commit}`),
    '--',
  ];
  let lines: string[];
  try {
    lines = (await gitText(args, { cwd: repo })).split('\n');
  } catch (error) {
    if (
      error instanceof GitwardenError &&
      error.code === 'GIT_FAILED' &&
      revisions.length
    ) {
      throw await unknownRevision(repo, revisions);
    }
    throw error;
  }
  const [gitDir = '.git', shallowFlag, shallowPath = ''] = lines;
  const shallow = shallowFlag === 'true';
  const shallowCommits = shallow
    ? await readShallowFile(resolvePath(repo, shallowPath))
    : new Set<string>();
  return {
    facts: { gitDir, shallow, shallowCommits },
    shas: lines.slice(3, 3 + revisions.length),
  };
}

/** Whether `ancestor` is reachable from `descendant`. */
export async function isAncestor(
  repo: string,
  ancestor: string,
  descendant: string,
): Promise<boolean> {
  const { code } = await git(
    ['merge-base', '--is-ancestor', ancestor, descendant],
    { cwd: repo, okCodes: [1] },
  );
  return code === 0;
}

/** Whether an object exists in the repository (it may not, in a hook). */
export async function hasCommit(repo: string, sha: string): Promise<boolean> {
  const { code } = await git(['cat-file', '-e', `${sha}^{commit}`], {
    cwd: repo,
    okCodes: [1, 128],
  });
  return code === 0;
}

/**
 * Revisions come from users and hook input; one that starts with a dash
 * would be read by git as an option.
 */
export function assertRevisionSyntax(revision: string): void {
  if (revision === '' || revision.startsWith('-') || /[\0\n]/.test(revision)) {
    throw new GitwardenError(
      'UNKNOWN_REVISION',
      `not a revision: ${JSON.stringify(revision)}`,
    );
  }
}

async function unknownRevision(repo: string, revisions: readonly string[]) {
  // Find which one is unknown, so the message names it.
  for (const revision of revisions) {
    const { code } = await git(
      ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`],
      { cwd: repo, okCodes: [1, 128] },
    );
    if (code !== 0) {
      const shallow = await gitText(['rev-parse', '--is-shallow-repository'], {
        cwd: repo,
      });
      if (shallow === 'true') {
        return new GitwardenError(
          'HISTORY_INCOMPLETE',
          `unknown revision ${JSON.stringify(revision)} in a shallow clone`,
          { hint: SHALLOW_FIX },
        );
      }
      return new GitwardenError(
        'UNKNOWN_REVISION',
        `unknown revision ${JSON.stringify(revision)}`,
        { hint: 'Check the name, or fetch it first (git fetch).' },
      );
    }
  }
  return new GitwardenError('GIT_FAILED', 'git could not resolve revisions');
}

export const SHALLOW_FIX =
  'Fetch the missing history: git fetch --unshallow (or git fetch --deepen=N);' +
  ' in GitHub Actions set fetch-depth: 0 on actions/checkout.';

function resolvePath(repo: string, path: string): string {
  return isAbsolute(path) ? path : join(repo, path);
}

async function readShallowFile(path: string): Promise<Set<string>> {
  try {
    const text = await readFile(path, 'utf8');
    return new Set(text.split('\n').filter(Boolean));
  } catch {
    return new Set();
  }
}
