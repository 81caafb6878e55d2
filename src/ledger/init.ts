import { randomBytes } from 'node:crypto';

import { GitwardenError } from '../errors.ts';
import type { Signer } from '../keys/signer.ts';
import type { LedgerConfig } from './config.ts';
import { compareAndSwapRef, refExists, resolveRef } from './git-objects.ts';
import { advanceLocal, fetchTip, pushTip, trackingRef } from './remote.ts';
import { buildInitCommit, readTip } from './store.ts';

export interface InitOptions {
  cwd: string;
  config: LedgerConfig;
  signer: Signer;
  /** The log's origin; default the policy's, else a random one. */
  origin?: string | undefined;
  remote?: string | undefined;
}

export interface InitResult {
  created: boolean;
  origin: string;
  commit: string;
  /** The first checkpoint (size 0), a first anchor for the policy owners. */
  checkpoint: string;
}

/**
 * Creates the ledger branch as an orphan (no shared history with the
 * code) holding no records and a signed size-0 checkpoint. Running it
 * again, or two writers racing, leaves the one ledger in place; a branch
 * of that name that is not a ledger is refused, never overwritten.
 */
export async function initLedger(options: InitOptions): Promise<InitResult> {
  const { cwd, config, signer, remote } = options;
  const origin =
    options.origin ??
    config.origin ??
    `gitwarden.invalid/ledger/${randomBytes(8).toString('hex')}`;
  if (config.origin && origin !== config.origin) {
    throw new GitwardenError(
      'USAGE',
      `the policy names the log ${config.origin}, not ${origin}`,
    );
  }
  const existing = await existingLedger(options);
  if (existing) return existing;

  const { commit, note } = await buildInitCommit(cwd, origin, signer);
  const created = remote
    ? await pushInit(cwd, remote, config.branch, commit)
    : await compareAndSwapRef(cwd, config.ref, commit, undefined);
  if (!created) {
    // Someone else initialised it a moment ago: theirs stands.
    const theirs = await existingLedger(options);
    if (theirs) return theirs;
    throw new GitwardenError(
      'LEDGER_CONFLICT',
      `could not create ${config.ref}`,
    );
  }
  if (remote) await advanceLocal(cwd, config.ref, commit);
  return { created: true, origin, commit, checkpoint: note };
}

async function existingLedger(
  options: InitOptions,
): Promise<InitResult | undefined> {
  const { cwd, config, remote } = options;
  let commit: string | undefined;
  let where = config.ref;
  if (remote) {
    const fetched = await fetchTip(cwd, remote, config.branch);
    commit = fetched === 'busy' ? undefined : fetched;
    where = trackingRef(remote, config.branch);
  } else {
    commit = await resolveRef(cwd, config.ref);
    if (!commit && (await refExists(cwd, config.ref))) {
      throw new GitwardenError(
        'USAGE',
        `${config.ref} exists but does not point to a commit`,
      );
    }
  }
  if (!commit) return undefined;
  // readTip refuses a branch that is not a ledger, with a clear message.
  const tip = await readTip(cwd, where, commit);
  if (remote) await advanceLocal(cwd, config.ref, commit);
  return {
    created: false,
    origin: tip.header.origin,
    commit,
    checkpoint: tip.note,
  };
}

async function pushInit(
  cwd: string,
  remote: string,
  branch: string,
  commit: string,
): Promise<boolean> {
  const outcome = await pushTip(cwd, remote, branch, commit);
  if (outcome.kind === 'unknown') {
    throw new GitwardenError(
      'GIT_FAILED',
      `cannot push the ledger to ${remote}: ${outcome.detail}`,
    );
  }
  return outcome.kind === 'pushed';
}
