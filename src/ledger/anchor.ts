import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import { GitwardenError } from '../errors.ts';
import { git, gitText } from '../git/run.ts';
import type { LedgerConfig } from './config.ts';

// Anchors: checkpoints a verifier accepted before. The ledger branch can
// be rewritten by whoever may push to it; an anchor kept elsewhere cannot
// be rewritten with it, so a log that no longer extends its anchor is
// caught even when every record in it is validly signed.

export interface AnchorInput {
  /** Where it came from, for messages: a file, `rev:path`, the cache. */
  source: string;
  note: string;
}

/**
 * Reads one anchor named on the command line: a file path, or `REV:PATH`
 * for a file in a commit (the protected branch).
 */
export async function readAnchorArgument(
  cwd: string,
  spec: string,
): Promise<AnchorInput> {
  let reason: string;
  try {
    return { source: spec, note: await readFile(resolve(cwd, spec), 'utf8') };
  } catch (cause) {
    reason = (cause as NodeJS.ErrnoException).code ?? String(cause);
  }
  const split = spec.indexOf(':');
  if (reason === 'ENOENT' && split > 0) {
    const note = await readAtRevision(
      cwd,
      spec.slice(0, split),
      spec.slice(split + 1),
    );
    if (note !== undefined) return { source: spec, note };
  }
  throw new GitwardenError(
    'USAGE',
    `cannot read the anchor ${spec}: ${reason}`,
    {
      hint: 'Name a checkpoint file, or REV:PATH for one in a commit.',
    },
  );
}

/** The anchor the policy owners keep on the protected branch, if any. */
export async function readPolicyAnchor(
  cwd: string,
  config: LedgerConfig,
  revision: string,
): Promise<AnchorInput | undefined> {
  const note = await readAtRevision(cwd, revision, config.anchorPath);
  return note === undefined
    ? undefined
    : { source: `${revision}:${config.anchorPath}`, note };
}

async function readAtRevision(cwd: string, revision: string, path: string) {
  const result = await git(['cat-file', 'blob', `${revision}:${path}`], {
    cwd,
    okCodes: [128],
  });
  return result.code === 0 ? result.stdout.toString('utf8') : undefined;
}

/**
 * This clone's own memory of the last checkpoint it accepted, inside the
 * git directory: no fetch, push or branch rewrite touches it (like the Go
 * checksum database's client cache).
 */
export async function cachePath(
  cwd: string,
  config: LedgerConfig,
): Promise<string> {
  const gitDir = await gitText(
    ['rev-parse', '--path-format=absolute', '--git-common-dir'],
    { cwd },
  );
  const name = config.branch.replace(/[^A-Za-z0-9._-]/g, '_');
  return join(gitDir, 'gitwarden', 'ledger', `${name}.checkpoint`);
}

export async function readCachedAnchor(
  path: string,
): Promise<AnchorInput | undefined> {
  try {
    return {
      source: `local cache ${path}`,
      note: await readFile(path, 'utf8'),
    };
  } catch {
    return undefined;
  }
}

/** Replaces the cached anchor atomically (write, then rename). */
export async function writeCachedAnchor(
  path: string,
  note: string,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, note);
  await rename(temp, path);
}
