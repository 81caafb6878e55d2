import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { GitwardenError } from '../errors.ts';
import { readCommits, type CommitInfo } from '../git/commits.ts';
import {
  readPendingRefs,
  type PendingRefs,
  readUserSettings,
} from '../git/pending.ts';
import { workTreeRoot } from '../git/worktree.ts';
import {
  resolveRange,
  type RangeSpec,
  type ResolvedRange,
} from '../git/range.ts';
import {
  DEFAULT_POLICY_PATH,
  defaultPolicy,
  loadPolicyAt,
  loadPolicyFile,
} from '../policy/load.ts';
import type { Policy, PolicySource } from '../policy/types.ts';
import { cleanupMessage, resolveCommentChar } from './cleanup.ts';
import type { FixTarget } from './fix.ts';
import { judgeCommit, type CommitVerdict } from './rule.ts';

/** What to judge: a message file (commit-msg hook) or commits. */
export type CheckTarget = { kind: 'message-file'; path: string } | RangeSpec;

export interface CheckOptions {
  repo: string;
  target: CheckTarget;
  /** A policy file that replaces the one the base revision holds. */
  policyFile?: string;
}

export interface CheckResult {
  target: { kind: CheckTarget['kind']; description: string };
  /** Where the policy came from: `built-in`, a path, or `rev:path`. */
  policy: string;
  /** Agent-identity binding: off until the policy names identities. */
  binding: 'configured' | 'not-configured';
  commits: CommitVerdict[];
  summary: { commits: number; passed: number; failed: number; exempt: number };
  /** Things the reader must know: nothing judged, policy warnings. */
  notes: string[];
  ok: boolean;
}

/** Judges a message file or a set of commits against the trailer rule. */
export async function checkTrailers(
  options: CheckOptions,
): Promise<CheckResult> {
  const { target } = options;
  if (target.kind === 'message-file') {
    return checkMessageFile(options.repo, target.path, options.policyFile);
  }
  return checkCommits(options.repo, target, options.policyFile);
}

async function checkCommits(
  repo: string,
  spec: RangeSpec,
  policyFile: string | undefined,
): Promise<CheckResult> {
  const resolved = await resolveRange(repo, spec);
  const policy = policyFile
    ? await loadPolicyFile(policyFile)
    : await loadPolicyAt(repo, resolved.policyRevision);
  const notes: string[] = [];
  if (resolved.deletion) {
    notes.push(`${resolved.ref ?? 'the ref'} is deleted: no commits to judge`);
  }

  const verdicts = await judgeRange(repo, resolved, policy);
  if (verdicts.length === 0 && !resolved.deletion && policy.trailers.enabled) {
    notes.push(`no commits to judge in ${resolved.description}`);
  }
  return result(
    { kind: spec.kind, description: resolved.description },
    policy,
    verdicts,
    notes,
  );
}

/**
 * Judges the commits a resolved range selects, with one git process: the
 * part of the check that server hooks and CI run over a push.
 */
export async function judgeRange(
  repo: string,
  resolved: ResolvedRange,
  policy: Policy,
): Promise<CommitVerdict[]> {
  if (!policy.trailers.enabled) return [];
  const commits = await readCommits(repo, resolved.revisions, resolved.facts);
  const tip = resolved.revisions[0];
  return commits.map((commit) =>
    judgeCommit(factsOf(commit), policy, fixTarget(commit, tip)),
  );
}

async function checkMessageFile(
  repo: string,
  path: string,
  policyFile: string | undefined,
): Promise<CheckResult> {
  const { text, problems } = decodeMessage(await readMessageFile(path), path);
  // Hooks pay for every git process: the two after the first run side by
  // side.
  const refs = await readPendingRefs(repo);
  const [user, policy] = await Promise.all([
    readUserSettings(repo),
    policyFile ? loadPolicyFile(policyFile) : pendingPolicy(repo, refs),
  ]);

  let verdicts: CommitVerdict[] = [];
  if (policy.trailers.enabled) {
    const commentChar = resolveCommentChar(user.commentChar, text);
    const message = cleanupMessage(text, commentChar);
    const facts = {
      sha: undefined,
      parentCount: refs.merging ? 2 : 1,
      authorEmail: user.authorEmail,
      committerEmail: user.committerEmail,
      subject: message.split('\n', 1)[0] ?? '',
      message,
      problems,
    };
    verdicts = [judgeCommit(facts, policy, { kind: 'pending' })];
  }
  return result(
    { kind: 'message-file', description: path },
    policy,
    verdicts,
    [],
  );
}

/**
 * The policy for a commit about to be made: the one HEAD holds. Only the
 * first commit of a repository, which has no HEAD yet, reads the file in
 * the work tree.
 */
async function pendingPolicy(repo: string, refs: PendingRefs): Promise<Policy> {
  if (refs.head) {
    return loadPolicyAt(repo, refs.head, DEFAULT_POLICY_PATH, refs.commonDir);
  }
  const file = join(await workTreeRoot(repo), DEFAULT_POLICY_PATH);
  return existsSync(file) ? loadPolicyFile(file) : defaultPolicy();
}

async function readMessageFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new GitwardenError(
      'INPUT_UNREADABLE',
      `cannot read message file ${path}: ${reason}`,
      { cause },
    );
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/**
 * git refuses a commit message with a NUL byte, so the hook refuses it
 * too. A message that is not UTF-8 is still judged (trailer syntax is
 * ASCII, and git reads it byte by byte), with a note saying so.
 */
function decodeMessage(bytes: Buffer, path: string) {
  if (bytes.includes(0)) {
    throw new GitwardenError(
      'INPUT_INVALID',
      `message file ${path} contains a NUL byte; git does not allow one in a commit message`,
    );
  }
  try {
    return { text: strictUtf8.decode(bytes), problems: [] };
  } catch {
    return {
      text: lenientUtf8.decode(bytes),
      problems: [
        'the message is not valid UTF-8 (read byte by byte, as git does)',
      ],
    };
  }
}

export function factsOf(commit: CommitInfo) {
  return {
    sha: commit.sha,
    parentCount: commit.parents.length,
    authorEmail: commit.authorEmail,
    committerEmail: commit.committerEmail,
    subject: commit.subject,
    message: commit.message,
    problems: commit.problems,
  };
}

export function fixTarget(
  commit: CommitInfo,
  tip: string | undefined,
): FixTarget {
  if (commit.sha === tip) return { kind: 'tip' };
  return { kind: 'older', sha: commit.sha, root: commit.parents.length === 0 };
}

function result(
  target: CheckResult['target'],
  policy: Policy,
  commits: CommitVerdict[],
  notes: string[],
): CheckResult {
  const count = (status: CommitVerdict['status']) =>
    commits.filter((commit) => commit.status === status).length;
  const summary = {
    commits: commits.length,
    passed: count('pass'),
    failed: count('fail'),
    exempt: count('exempt'),
  };
  const allNotes = [...notes, ...policy.warnings.map((w) => `policy: ${w}`)];
  if (!policy.trailers.enabled) {
    allNotes.push('the trailer check is off in this policy (trailers.enabled)');
  }
  return {
    target,
    policy: describeSource(policy.source),
    binding:
      Object.keys(policy.identities).length > 0
        ? 'configured'
        : 'not-configured',
    commits,
    summary,
    notes: allNotes,
    ok: summary.failed === 0,
  };
}

function describeSource(source: PolicySource): string {
  switch (source.kind) {
    case 'default':
      return 'built-in';
    case 'file':
      return source.path;
    case 'revision':
      return `${source.revision.slice(0, 12)}:${source.path}`;
  }
}
