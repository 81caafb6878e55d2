import { GitwardenError } from '../errors.ts';
import { git } from '../git/run.ts';
import { compareAndSwapRef, resolveRef } from './git-objects.ts';

/** Where fetched ledger tips are kept: the usual remote-tracking ref. */
export function trackingRef(remote: string, branch: string): string {
  return `refs/remotes/${remote}/${branch}`;
}

/**
 * Fetches the remote's ledger branch and returns its tip, undefined when
 * the remote has no ledger yet, or 'busy' when another process in this
 * clone held the tracking ref's lock (try again).
 */
export async function fetchTip(
  cwd: string,
  remote: string,
  branch: string,
): Promise<string | undefined | 'busy'> {
  const tracking = trackingRef(remote, branch);
  const result = await git(
    [
      'fetch',
      '--quiet',
      '--no-tags',
      '--no-write-fetch-head',
      '--no-auto-maintenance',
      remote,
      `+refs/heads/${branch}:${tracking}`,
    ],
    { cwd, okCodes: [1, 128] },
  );
  if (result.code !== 0) {
    if (/couldn't find remote ref/i.test(result.stderr)) return undefined;
    // Races with other writers, not faults: this clone's tracking ref is
    // locked, or the remote's tip moved while it was being fetched.
    if (
      /cannot lock ref|unable to update local ref|not our ref|could not read [0-9a-f]{40}/i.test(
        result.stderr,
      )
    ) {
      return 'busy';
    }
    throw new GitwardenError(
      'GIT_FAILED',
      `cannot fetch the ledger from ${remote}: ${firstLine(result.stderr)}`,
    );
  }
  return resolveRef(cwd, tracking);
}

export type PushOutcome =
  | { kind: 'pushed' }
  | { kind: 'rejected' }
  /** git failed without saying the ref was refused: it may have landed. */
  | { kind: 'unknown'; detail: string };

/**
 * Publishes a ledger commit. A plain push (never forced) is itself the
 * compare-and-swap: the remote accepts it only while the commit's parent
 * is still the branch tip.
 */
export async function pushTip(
  cwd: string,
  remote: string,
  branch: string,
  commit: string,
): Promise<PushOutcome> {
  const result = await git(
    [
      'push',
      '--porcelain',
      '--quiet',
      remote,
      `${commit}:refs/heads/${branch}`,
    ],
    { cwd, okCodes: [1, 128] },
  );
  if (result.code === 0) return { kind: 'pushed' };
  const output = `${result.stdout.toString('utf8')}\n${result.stderr}`;
  if (
    /\[rejected\]|\(fetch first\)|\(non-fast-forward\)|failed to (update|lock) ref|cannot lock ref|stale info|incorrect old value/i.test(
      output,
    )
  ) {
    return { kind: 'rejected' };
  }
  return { kind: 'unknown', detail: firstLine(result.stderr || output) };
}

/**
 * Moves the local ledger branch up to a commit the remote accepted, but
 * only forward: a local branch that has commits the remote lacks is left
 * alone (gitwarden never drops ledger commits).
 */
export async function advanceLocal(
  cwd: string,
  ref: string,
  commit: string,
  parent?: string,
) {
  // The usual case, in one step: the local branch is where we built from.
  if (parent && (await compareAndSwapRef(cwd, ref, commit, parent))) return;
  const local = await resolveRef(cwd, ref);
  if (local === commit) return;
  if (local) {
    const ancestor = await git(['merge-base', '--is-ancestor', local, commit], {
      cwd,
      okCodes: [1],
    });
    if (ancestor.code !== 0) return;
  }
  await compareAndSwapRef(cwd, ref, commit, local);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
