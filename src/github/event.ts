import { GitwardenError } from '../errors.ts';
import type { RangeSpec } from '../git/range.ts';
import { isZeroSha } from '../git/repo.ts';

/**
 * What a workflow run is asked to judge, read from the event that started
 * it. The payload says which commits and refs are involved; git, not the
 * payload's `commits` list (capped at 2048, or 20 in timelines), says
 * which commits are new.
 */
export type EventSubject = JudgedSubject | SkippedSubject;

export interface JudgedSubject {
  kind: 'judge';
  event: string;
  spec: RangeSpec;
  /** One line for logs and the job summary. */
  description: string;
  /** Who caused the change: the pusher, the pull request's author. */
  actor: Actor;
  /** The commit the run reports on (the new tip, the PR head). */
  headSha: string;
  /**
   * The branch whose policy judges a new ref, as a remote-tracking ref.
   * Undefined when the event names its own base (pull requests).
   */
  policyBranch: string | undefined;
  /** The repository's default branch (a name), when the payload says. */
  defaultBranch: string | undefined;
  /** What the clone must hold before the range can be resolved. */
  needs: HistoryNeeds;
  pullRequest?: PullRequestFacts;
}

export interface SkippedSubject {
  kind: 'skip';
  event: string;
  /** Why nothing is judged; always shown to the user. */
  reason: string;
}

export interface Actor {
  login: string;
  role: 'pusher' | 'pull-request-author' | 'sender';
}

export interface PullRequestFacts {
  number: number;
  /** The head lives in another repository: the token is read-only. */
  fromFork: boolean;
  baseRef: string;
  headRef: string;
}

export interface HistoryNeeds {
  /** Commits that must be present; fetched by sha when missing. */
  required: string[];
  /** Commits worth fetching when missing (a forced push's old tip). */
  optional: string[];
  /**
   * Every branch must be present: a new ref's commits are those no other
   * branch holds, which only a clone with all branches can tell.
   */
  allBranches: boolean;
}

export interface EventOptions {
  /** A range the user asked for (workflow_dispatch), e.g. `main..HEAD`. */
  range?: string;
  /** The run's ref and sha (GITHUB_REF, GITHUB_SHA), for dispatches. */
  ref?: string;
  sha?: string;
}

export const REMOTE = 'origin';

/** Reads an event payload; throws INPUT_INVALID naming a missing field. */
export function parseEvent(
  eventName: string,
  payload: unknown,
  options: EventOptions = {},
): EventSubject {
  const read = reader(eventName, payload);
  switch (eventName) {
    case 'push':
      return parsePush(read);
    case 'pull_request':
      return parsePullRequest(read);
    case 'merge_group':
      return parseMergeGroup(read);
    case 'workflow_dispatch':
      return parseDispatch(read, options);
    default:
      return {
        kind: 'skip',
        event: eventName,
        reason:
          `the ${eventName || 'unnamed'} event is not one gitwarden judges` +
          ' (it judges push, pull_request, merge_group and workflow_dispatch);' +
          ' nothing was checked',
      };
  }
}

function parsePush(read: Reader): EventSubject {
  const ref = read.string('ref');
  const before = read.sha('before');
  const after = read.sha('after');
  const deleted = read.optionalBoolean('deleted') ?? isZeroSha(after);
  const created = read.optionalBoolean('created') ?? isZeroSha(before);
  const defaultBranch = read.string('repository.default_branch');
  // sender is the authenticated user; pusher.name is only what they were
  // called when the push arrived (a deploy key, a bot).
  const login =
    read.optionalString('sender.login') ?? read.string('pusher.name');

  if (deleted) {
    return {
      kind: 'skip',
      event: 'push',
      reason: `${ref} was deleted: a deletion brings no commits to judge`,
    };
  }

  const branch = ref.startsWith('refs/heads/')
    ? ref.slice('refs/heads/'.length)
    : undefined;
  // The first push to an empty repository creates the default branch:
  // there is no older policy anywhere, so the built-in default judges it.
  const firstPush = created && branch === defaultBranch;
  const forced = read.optionalBoolean('forced') ?? false;
  return {
    kind: 'judge',
    event: 'push',
    spec: {
      kind: 'push',
      oldSha: before,
      newSha: after,
      ref,
      remote: REMOTE,
    },
    description: `push to ${ref}${created ? ' (new)' : ''}${forced ? ' (forced)' : ''}`,
    actor: { login, role: 'pusher' },
    headSha: after,
    policyBranch: firstPush ? undefined : `${REMOTE}/${defaultBranch}`,
    defaultBranch,
    needs: {
      required: [after],
      optional: created ? [] : [before],
      allBranches: created || forced,
    },
  };
}

function parsePullRequest(read: Reader): EventSubject {
  const number = read.number('number');
  const base = read.sha('pull_request.base.sha');
  // head.sha, never the synthetic refs/pull/N/merge commit the run checks
  // out: that commit is GitHub's, not the author's.
  const head = read.sha('pull_request.head.sha');
  const baseRepo = read.string('pull_request.base.repo.full_name');
  // A fork that was deleted leaves head.repo null: treat it as a fork.
  const headRepo = read.optionalString('pull_request.head.repo.full_name');
  const fromFork = headRepo !== baseRepo;
  const baseRef = read.string('pull_request.base.ref');
  const headRef = read.string('pull_request.head.ref');
  return {
    kind: 'judge',
    event: 'pull_request',
    spec: { kind: 'pull-request', base, head },
    description: `pull request #${number} (${headRef} into ${baseRef}${fromFork ? ', from a fork' : ''})`,
    actor: {
      login: read.string('pull_request.user.login'),
      role: 'pull-request-author',
    },
    headSha: head,
    policyBranch: undefined,
    defaultBranch: read.optionalString('repository.default_branch'),
    needs: { required: [base, head], optional: [], allBranches: false },
    pullRequest: { number, fromFork, baseRef, headRef },
  };
}

function parseMergeGroup(read: Reader): EventSubject {
  const base = read.sha('merge_group.base_sha');
  const head = read.sha('merge_group.head_sha');
  const baseRef = read.string('merge_group.base_ref');
  return {
    kind: 'judge',
    event: 'merge_group',
    spec: { kind: 'pull-request', base, head },
    description: `merge queue group into ${baseRef}`,
    actor: { login: read.string('sender.login'), role: 'sender' },
    headSha: head,
    policyBranch: undefined,
    defaultBranch: read.optionalString('repository.default_branch'),
    needs: { required: [base, head], optional: [], allBranches: false },
  };
}

/**
 * A manual run judges the range the user gave, or else what the run's ref
 * adds to the default branch, under the default branch's policy.
 */
function parseDispatch(read: Reader, options: EventOptions): EventSubject {
  const defaultBranch = read.string('repository.default_branch');
  const actor: Actor = { login: read.string('sender.login'), role: 'sender' };
  const sha = options.sha;
  if (sha === undefined || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) {
    throw new GitwardenError(
      'INPUT_INVALID',
      `workflow_dispatch: the run's commit (GITHUB_SHA) is missing or not a sha: ${JSON.stringify(sha ?? '')}`,
    );
  }
  const base = `${REMOTE}/${defaultBranch}`;
  const range = options.range?.trim();
  return {
    kind: 'judge',
    event: 'workflow_dispatch',
    spec: range
      ? { kind: 'range', range }
      : { kind: 'pull-request', base, head: sha },
    description: range
      ? `manual run over ${range}`
      : `manual run: what ${options.ref ?? sha.slice(0, 12)} adds to ${defaultBranch}`,
    actor,
    headSha: sha,
    policyBranch: range ? undefined : base,
    defaultBranch,
    needs: { required: [sha], optional: [], allBranches: true },
  };
}

interface Reader {
  string(path: string): string;
  optionalString(path: string): string | undefined;
  sha(path: string): string;
  number(path: string): number;
  optionalBoolean(path: string): boolean | undefined;
}

function reader(eventName: string, payload: unknown): Reader {
  if (typeof payload !== 'object' || payload === null) {
    throw new GitwardenError(
      'INPUT_INVALID',
      `the ${eventName} event payload is not a JSON object`,
    );
  }
  const at = (path: string) =>
    path
      .split('.')
      .reduce<unknown>(
        (value, key) =>
          typeof value === 'object' && value !== null
            ? (value as Record<string, unknown>)[key]
            : undefined,
        payload,
      );
  const invalid = (path: string, expected: string) =>
    new GitwardenError(
      'INPUT_INVALID',
      `the ${eventName} event payload has no valid ${path} (expected ${expected})`,
    );
  const read: Reader = {
    string(path) {
      const value = at(path);
      if (typeof value !== 'string' || value === '') {
        throw invalid(path, 'a non-empty string');
      }
      return value;
    },
    optionalString(path) {
      const value = at(path);
      return typeof value === 'string' && value !== '' ? value : undefined;
    },
    sha(path) {
      const value = at(path);
      if (
        typeof value !== 'string' ||
        !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(value)
      ) {
        throw invalid(path, 'a full commit sha');
      }
      return value;
    },
    number(path) {
      const value = at(path);
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw invalid(path, 'an integer');
      }
      return value;
    },
    optionalBoolean(path) {
      const value = at(path);
      return typeof value === 'boolean' ? value : undefined;
    },
  };
  return read;
}
