import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { GitwardenError } from '../errors.ts';
import { git } from './run.ts';

/** Where the commit a commit-msg hook is asked about will go. */
export interface PendingRefs {
  /** HEAD's commit, or undefined on an unborn branch (first commit). */
  head: string | undefined;
  /** A merge is being concluded: the commit will have two parents. */
  merging: boolean;
  /** The repository's common git directory (shared by its worktrees). */
  commonDir: string;
}

/** What the user's git will record and strip. */
export interface UserSettings {
  /** core.commentChar / core.commentString as the user's git sees it. */
  commentChar: string | undefined;
  authorEmail: string;
  committerEmail: string;
}

/**
 * HEAD, the git directory and whether a merge is being concluded, from
 * one git process (a hook pays for every spawn). rev-parse exits 1 on an
 * unborn HEAD after printing the rest, and fails with "not a git
 * repository" outside one.
 */
export async function readPendingRefs(repo: string): Promise<PendingRefs> {
  const { stdout } = await git(
    [
      'rev-parse',
      '--git-common-dir',
      '--git-path',
      'MERGE_HEAD',
      '--verify',
      '--quiet',
      'HEAD^{commit}',
    ],
    { cwd: repo, okCodes: [1] },
  );
  const [commonDir = '.git', mergeHead = '', head] = stdout
    .toString('utf8')
    .split('\n');
  return {
    head: head && /^[0-9a-f]{40,64}$/.test(head) ? head : undefined,
    merging: existsSync(resolve(repo, mergeHead)),
    commonDir: resolve(repo, commonDir),
  };
}

/**
 * Comment char and identity come from the user's own configuration (and
 * from the GIT_AUTHOR_* variables `git commit` exports to its hooks): they
 * describe what that git will record, so they must be the values it uses.
 */
export async function readUserSettings(repo: string): Promise<UserSettings> {
  const vars = await git(['var', '-l'], { cwd: repo, userConfig: true });
  const values = parseVarList(vars.stdout.toString('utf8'));
  const author = emailOf(values.get('GIT_AUTHOR_IDENT'));
  const committer = emailOf(values.get('GIT_COMMITTER_IDENT'));
  if (author === undefined || committer === undefined) {
    throw new GitwardenError(
      'INPUT_INVALID',
      'git has no identity for this commit',
      { hint: 'Set user.name and user.email (git config user.email ...).' },
    );
  }
  return {
    commentChar: values.get(COMMENT),
    authorEmail: author,
    committerEmail: committer,
  };
}

const COMMENT = 'comment';

/**
 * `git var -l` prints configuration (lowest precedence first, so the last
 * value of a key wins) and then git's own variables, one `key=value` a
 * line. core.commentChar and core.commentString (git 2.45+) set the same
 * thing: whichever comes last wins.
 */
function parseVarList(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const equals = line.indexOf('=');
    if (equals <= 0) continue;
    const key = line.slice(0, equals);
    const isComment =
      key === 'core.commentchar' || key === 'core.commentstring';
    values.set(isComment ? COMMENT : key, line.slice(equals + 1));
  }
  return values;
}

/** The email of an ident line: `Name <email> 1700000000 +0000`. */
function emailOf(ident: string | undefined): string | undefined {
  return ident?.match(/<([^<>]*)>\s+\d+\s+[+-]\d{4}$/)?.[1];
}
