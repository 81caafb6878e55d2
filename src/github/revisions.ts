import { GitwardenError } from '../errors.ts';
import type { ResolvedRange } from '../git/range.ts';
import { hasCommit, isZeroSha } from '../git/repo.ts';
import { git } from '../git/run.ts';
import type { JudgedSubject } from './event.ts';

export interface BaseRevisions {
  /** Whose policy judges (undefined: nothing older; the built-in one). */
  policyRevision: string | undefined;
  /** The protected branch before the change, for "already there". */
  baseRevision: string | undefined;
}

/**
 * In CI the change has already landed: origin/main may hold the pushed
 * commits. So "before" comes from the event, not from the clone's refs:
 *
 * - policy: the old tip of a branch updated in place, the base of a pull
 *   request, and the default branch for a new ref (a branch, a tag, or an
 *   old tip this clone no longer has);
 * - base: the pull request's base; for a push to the default branch its
 *   old tip; for any other push the default branch.
 */
export async function baseRevisions(
  repo: string,
  subject: JudgedSubject,
  range: ResolvedRange,
): Promise<BaseRevisions> {
  const { spec, policyBranch } = subject;
  if (spec.kind !== 'push') {
    const revision =
      policyBranch === undefined
        ? range.policyRevision
        : await requiredTip(repo, policyBranch, subject);
    return { policyRevision: revision, baseRevision: revision };
  }

  const updatedInPlace = range.policyRevision === spec.oldSha;
  const defaultTip =
    policyBranch === undefined
      ? undefined
      : updatedInPlace
        ? await remoteTip(repo, policyBranch)
        : await requiredTip(repo, policyBranch, subject);
  const onDefault =
    subject.defaultBranch !== undefined &&
    spec.ref === `refs/heads/${subject.defaultBranch}`;
  const oldTip =
    !isZeroSha(spec.oldSha) && (await hasCommit(repo, spec.oldSha))
      ? spec.oldSha
      : undefined;
  return {
    policyRevision: updatedInPlace ? range.policyRevision : defaultTip,
    baseRevision: onDefault ? oldTip : defaultTip,
  };
}

async function remoteTip(repo: string, branch: string) {
  const { stdout, code } = await git(
    ['rev-parse', '--verify', '--quiet', `refs/remotes/${branch}^{commit}`],
    { cwd: repo, okCodes: [1] },
  );
  return code === 0 ? stdout.toString('utf8').trim() : undefined;
}

async function requiredTip(
  repo: string,
  branch: string,
  subject: JudgedSubject,
): Promise<string> {
  const tip = await remoteTip(repo, branch);
  if (tip === undefined) {
    throw new GitwardenError(
      'HISTORY_INCOMPLETE',
      `the default branch ${branch} is not in this clone, so its policy cannot judge ${subject.description}`,
      { hint: 'Give actions/checkout `fetch-depth: 0`.' },
    );
  }
  return tip;
}
