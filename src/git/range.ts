import { GitwardenError } from '../errors.ts';
import {
  hasCommit,
  inspectRepo,
  isAncestor,
  isZeroSha,
  SHALLOW_FIX,
  type RepoFacts,
} from './repo.ts';
import { git, gitText } from './run.ts';

/** What the user or a hook asked to judge. */
export type RangeSpec =
  | { kind: 'range'; range: string }
  | {
      kind: 'push';
      oldSha: string;
      newSha: string;
      ref: string;
      /** The remote pushed to, when known (pre-push). */
      remote?: string;
    }
  | { kind: 'pull-request'; base: string; head: string };

export interface ResolvedRange {
  /** rev-list arguments that select exactly the commits to judge. */
  revisions: string[];
  /**
   * The revision whose policy judges these commits: the target before a
   * push, the base of a pull request. Never the change itself. Undefined
   * when nothing older exists (the built-in default then applies).
   */
  policyRevision: string | undefined;
  /** The full ref name, for pushes. */
  ref: string | undefined;
  /** The ref is deleted: there are no commits, only the deletion. */
  deletion: boolean;
  /** A push whose old tip is not an ancestor of its new tip. */
  forced: boolean;
  /** One line saying what is judged, for output. */
  description: string;
  facts: RepoFacts;
}

/**
 * Turns a range, push or pull request into the exact set of new commits.
 *
 * Pushes follow git's own hooks: a new ref (old side all zeros) brings the
 * commits no other ref already has; a forced push brings whatever the old
 * tip did not have. The policy is read from before the change.
 */
export async function resolveRange(
  repo: string,
  spec: RangeSpec,
): Promise<ResolvedRange> {
  switch (spec.kind) {
    case 'range':
      return resolvePlainRange(repo, spec.range);
    case 'pull-request':
      return resolvePullRequest(repo, spec.base, spec.head);
    case 'push':
      return resolvePush(repo, spec);
  }
}

async function resolvePlainRange(repo: string, range: string) {
  const symmetric = range.includes('...');
  const parts = range.split(symmetric ? '...' : '..');
  if (parts.length > 2 || parts.some((part) => part === '')) {
    throw new GitwardenError(
      'USAGE',
      `not a range: ${JSON.stringify(range)} (expected A..B, A...B or B)`,
    );
  }
  const { facts, shas } = await inspectRepo(repo, parts);
  const base: ResolvedRange = {
    revisions: [],
    policyRevision: undefined,
    ref: undefined,
    deletion: false,
    forced: false,
    description: range,
    facts,
  };
  if (shas.length === 1) return { ...base, revisions: [shas[0]!] };

  const [from, to] = shas as [string, string];
  const exclude = symmetric ? await mergeBase(repo, from, to, facts) : from;
  return {
    ...base,
    revisions: [to, '--not', exclude],
    policyRevision: from,
  };
}

async function resolvePullRequest(repo: string, base: string, head: string) {
  const { facts, shas } = await inspectRepo(repo, [base, head]);
  const [baseSha, headSha] = shas as [string, string];
  const since = await mergeBase(repo, baseSha, headSha, facts);
  return {
    revisions: [headSha, '--not', since],
    // The base branch as it is now, not the merge base: the protected
    // branch's current policy judges the pull request.
    policyRevision: baseSha,
    ref: undefined,
    deletion: false,
    forced: false,
    description: `${base}...${head}`,
    facts,
  };
}

async function resolvePush(
  repo: string,
  spec: Extract<RangeSpec, { kind: 'push' }>,
): Promise<ResolvedRange> {
  await assertRefName(repo, spec.ref);
  for (const sha of [spec.oldSha, spec.newSha]) {
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) {
      throw new GitwardenError(
        'INPUT_INVALID',
        `not an object name: ${JSON.stringify(sha)} (expected a full sha)`,
      );
    }
  }
  const description = `push ${spec.ref}`;

  if (isZeroSha(spec.newSha)) {
    const { facts } = await inspectRepo(repo);
    const known =
      !isZeroSha(spec.oldSha) && (await hasCommit(repo, spec.oldSha));
    return {
      revisions: [],
      policyRevision: known
        ? spec.oldSha
        : await defaultBranch(repo, spec.remote, spec.ref),
      ref: spec.ref,
      deletion: true,
      forced: false,
      description: `${description} (deleted)`,
      facts,
    };
  }

  const tip = await peelToCommit(repo, spec.newSha);
  const { facts } = await inspectRepo(repo);
  if (tip === undefined) {
    // A tag of a tree or a blob: there are no commits to judge.
    return {
      revisions: [],
      policyRevision: await defaultBranch(repo, spec.remote, spec.ref),
      ref: spec.ref,
      deletion: false,
      forced: false,
      description: `${description} (points at no commit)`,
      facts,
    };
  }

  const oldKnown =
    !isZeroSha(spec.oldSha) && (await hasCommit(repo, spec.oldSha));
  if (oldKnown) {
    const fastForward = await isAncestor(repo, spec.oldSha, tip);
    return {
      revisions: [tip, '--not', spec.oldSha],
      policyRevision: spec.oldSha,
      ref: spec.ref,
      deletion: false,
      forced: !fastForward,
      description: fastForward ? description : `${description} (forced)`,
      facts,
    };
  }

  // A new ref, or an old tip this repository has never seen: judge every
  // commit that no other ref already holds. HEAD is left out on purpose:
  // judged after the fact (in CI, or on a server once the push landed) it
  // may point at the very ref being judged.
  // In a clone, the remote-tracking copies of the same branch hold these
  // commits too, so they are left out of "other refs" as well.
  const branch = spec.ref.startsWith('refs/heads/')
    ? spec.ref.slice('refs/heads/'.length)
    : undefined;
  const exclusions = spec.remote
    ? remoteExclusions(spec.remote, spec.ref)
    : [
        `--exclude=${spec.ref}`,
        ...(branch ? [`--exclude=refs/remotes/*/${branch}`] : []),
        '--glob=refs/*',
      ];
  return {
    revisions: [tip, '--not', ...exclusions],
    policyRevision: await defaultBranch(repo, spec.remote, spec.ref),
    ref: spec.ref,
    deletion: false,
    forced: false,
    description: isZeroSha(spec.oldSha)
      ? `${description} (new)`
      : `${description} (old tip unknown here)`,
    facts,
  };
}

/**
 * Every remote-tracking branch except the one being pushed. In a CI clone
 * (actions/checkout) that branch already points at the new tip; in a
 * pre-push hook it is at most the stale old tip, so leaving it out only
 * ever judges more. `--exclude` patterns for `--remotes` omit the
 * `refs/remotes/` prefix.
 */
function remoteExclusions(remote: string, ref: string): string[] {
  const branch = ref.startsWith('refs/heads/')
    ? ref.slice('refs/heads/'.length)
    : undefined;
  return [
    ...(branch === undefined ? [] : [`--exclude=${remote}/${branch}`]),
    `--remotes=${remote}`,
  ];
}

async function mergeBase(
  repo: string,
  a: string,
  b: string,
  facts: RepoFacts,
): Promise<string> {
  const { stdout, code } = await git(['merge-base', a, b], {
    cwd: repo,
    okCodes: [1],
  });
  if (code === 0) return stdout.toString('utf8').trim();
  if (facts.shallow) {
    throw new GitwardenError(
      'HISTORY_INCOMPLETE',
      `no common history between ${a.slice(0, 12)} and ${b.slice(0, 12)} in this shallow clone`,
      { hint: SHALLOW_FIX },
    );
  }
  throw new GitwardenError(
    'INPUT_INVALID',
    `${a.slice(0, 12)} and ${b.slice(0, 12)} share no history`,
  );
}

async function peelToCommit(repo: string, sha: string) {
  const { stdout, code } = await git(
    ['rev-parse', '--verify', '--quiet', `${sha}^{commit}`],
    { cwd: repo, okCodes: [1, 128] },
  );
  if (code === 0) return stdout.toString('utf8').trim();
  const type = await git(['cat-file', '-t', sha], {
    cwd: repo,
    okCodes: [128],
  });
  if (type.code === 0) return undefined;
  throw new GitwardenError(
    'HISTORY_INCOMPLETE',
    `the pushed object ${sha.slice(0, 12)} is not in this repository`,
    { hint: SHALLOW_FIX },
  );
}

async function assertRefName(repo: string, ref: string) {
  const { code } = await git(['check-ref-format', ref], {
    cwd: repo,
    okCodes: [1],
  });
  if (code !== 0 || !ref.startsWith('refs/')) {
    throw new GitwardenError(
      'INPUT_INVALID',
      `not a full ref name: ${JSON.stringify(ref)} (expected refs/heads/... or refs/tags/...)`,
    );
  }
}

/**
 * The branch whose policy judges a new ref: the remote's default branch
 * when pushing from a clone, the repository's HEAD on a server (a bare
 * repository). In a work tree HEAD is whatever is checked out, quite
 * possibly the branch being judged, so it is never taken there: main or
 * master stand in, and without them the built-in default applies.
 */
export async function defaultBranch(
  repo: string,
  remote?: string,
  judgedRef?: string,
): Promise<string | undefined> {
  const candidates = remote
    ? [
        `refs/remotes/${remote}/HEAD`,
        `refs/remotes/${remote}/main`,
        `refs/remotes/${remote}/master`,
      ]
    : [
        'refs/remotes/origin/HEAD',
        ...((await isBare(repo)) ? ['HEAD'] : []),
        'refs/heads/main',
        'refs/heads/master',
      ];
  for (const candidate of candidates) {
    if (candidate === judgedRef) continue;
    const sha = await gitText(
      ['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`],
      { cwd: repo, okCodes: [1, 128] },
    );
    if (sha) return sha;
  }
  return undefined;
}

async function isBare(repo: string): Promise<boolean> {
  const answer = await gitText(['rev-parse', '--is-bare-repository'], {
    cwd: repo,
  });
  return answer === 'true';
}
