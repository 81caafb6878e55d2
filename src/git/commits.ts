import { GitwardenError } from '../errors.ts';
import { SHALLOW_FIX, type RepoFacts } from './repo.ts';
import { git } from './run.ts';

export interface CommitInfo {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  committerName: string;
  committerEmail: string;
  subject: string;
  /** The raw message, as stored (decoded as UTF-8). */
  message: string;
  /** Things wrong with the commit object itself, e.g. invalid UTF-8. */
  problems: string[];
}

const FIELDS = ['%H', '%P', '%an', '%ae', '%cn', '%ce', '%B'];

/**
 * Reads every commit the revisions select with one `git log`, newest
 * first. Fields are NUL-separated (`-z` also ends each commit with a NUL),
 * which no commit message can contain. Messages stay raw bytes until each
 * is checked to be UTF-8.
 */
export async function readCommits(
  repo: string,
  revisions: readonly string[],
  facts?: RepoFacts,
): Promise<CommitInfo[]> {
  if (revisions.length === 0) return [];
  const { stdout } = await git(
    [
      'log',
      '-z',
      '--no-color',
      '--no-show-signature',
      `--format=${FIELDS.join('%x00')}`,
      ...revisions,
      '--',
    ],
    { cwd: repo, env: { GIT_NO_REPLACE_OBJECTS: '1' } },
  );

  const commits: CommitInfo[] = [];
  let start = 0;
  const fields: Buffer[] = [];
  for (let i = 0; i < stdout.length; i++) {
    if (stdout[i] !== 0) continue;
    fields.push(stdout.subarray(start, i));
    start = i + 1;
    if (fields.length === FIELDS.length) {
      commits.push(toCommit(fields.splice(0)));
    }
  }
  if (facts?.shallow) assertComplete(commits, facts);
  return commits;
}

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

function toCommit(raw: Buffer[]): CommitInfo {
  const text = raw.map((field) => lenient.decode(field));
  const [sha, parents, an, ae, cn, ce] = text as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const problems: string[] = [];
  let message: string;
  try {
    message = strict.decode(raw[6]);
  } catch {
    message = text[6] ?? '';
    problems.push('the commit message is not valid UTF-8');
  }
  return {
    sha: sha.replace(/^\n/, ''),
    parents: parents ? parents.split(' ') : [],
    authorName: an,
    authorEmail: ae,
    committerName: cn,
    committerEmail: ce,
    subject: message.split('\n', 1)[0] ?? '',
    message,
    problems,
  };
}

/**
 * In a shallow clone, a listed commit whose parents were cut off means the
 * walk stopped at the clone's edge, not at the range's: the range cannot
 * be judged whole.
 */
function assertComplete(commits: readonly CommitInfo[], facts: RepoFacts) {
  const cut = commits.find((commit) => facts.shallowCommits.has(commit.sha));
  if (cut) {
    throw new GitwardenError(
      'HISTORY_INCOMPLETE',
      `history is missing below ${cut.sha.slice(0, 12)}: this clone is shallow and the range reaches past its edge`,
      { hint: SHALLOW_FIX },
    );
  }
}
