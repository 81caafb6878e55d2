import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GitwardenError } from '../errors.ts';
import { git } from '../git/run.ts';
import { loadPolicyAt } from '../policy/load.ts';
import { parsePolicy } from '../policy/parse.ts';
import { resolveAccess, type AccessPolicy } from '../policy/roles.ts';
import { mergeWithBase } from '../policy/roles-merge.ts';
import type {
  ExtendsDocument,
  Policy,
  PolicyDocument,
} from '../policy/types.ts';

export interface LoadedAccess {
  policy: Policy;
  access: AccessPolicy;
  /** Where each layer came from, base first, for messages and records. */
  sources: string[];
}

const MAX_DEPTH = 5;

/**
 * The access policy at a revision, with the base policies it extends laid
 * under it. A base that cannot be read stops the check (exit 2/3): judging
 * without it would silently drop the organisation's denies.
 */
export async function loadAccessAt(
  repo: string,
  revision: string | undefined,
): Promise<LoadedAccess> {
  const policy = await loadPolicyAt(repo, revision);
  const sources = [sourceName(policy)];
  const document = await withBases(repo, revision, policy.document, sources);
  return { policy, access: resolveAccess(document), sources };
}

/** The same for a policy already parsed (e.g. `--policy FILE`). */
export async function accessOf(
  repo: string,
  policy: Policy,
): Promise<LoadedAccess> {
  const revision =
    policy.source.kind === 'revision' ? policy.source.revision : 'HEAD';
  const sources = [sourceName(policy)];
  const document = await withBases(repo, revision, policy.document, sources);
  return { policy, access: resolveAccess(document), sources };
}

async function withBases(
  repo: string,
  revision: string | undefined,
  document: PolicyDocument,
  sources: string[],
  depth = 0,
): Promise<PolicyDocument> {
  const ext = document.extends;
  if (ext === undefined) return document;
  if (depth >= MAX_DEPTH) {
    throw new GitwardenError(
      'POLICY_INVALID',
      `base policies extend each other more than ${MAX_DEPTH} deep (a cycle?)`,
    );
  }
  const base = await readBase(repo, revision, ext);
  sources.unshift(sourceName(base));
  const baseDocument = await withBases(
    repo,
    base.source.kind === 'revision' ? base.source.revision : revision,
    base.document,
    sources,
    depth + 1,
  );
  return mergeWithBase(baseDocument, document);
}

async function readBase(
  repo: string,
  revision: string | undefined,
  ext: ExtendsDocument,
): Promise<Policy> {
  if ('repo' in ext) return fetchBase(repo, ext);
  // A vendored base is read from the same revision as the policy, so a
  // push cannot swap the base it is judged by either.
  const base =
    revision === undefined
      ? undefined
      : await loadPolicyAt(repo, revision, ext.path);
  if (base === undefined || base.source.kind === 'default') {
    throw new GitwardenError(
      'POLICY_UNREADABLE',
      `the base policy ${ext.path} named by extends is not in ${revision ?? 'the repository'}`,
      { hint: 'Commit the base policy file, or fix extends.path.' },
    );
  }
  return base;
}

/**
 * Fetches a base policy from another repository into a throwaway bare
 * repository: never into the judged one, whose objects may be in a push
 * quarantine. The quarantine variables are cleared for the same reason.
 */
async function fetchBase(
  _repo: string,
  ext: { repo: string; ref: string; path?: string },
): Promise<Policy> {
  const path = ext.path ?? '.gitwarden/policy.yml';
  const dir = await mkdtemp(join(tmpdir(), 'gitwarden-base-'));
  const env = {
    GIT_OBJECT_DIRECTORY: undefined,
    GIT_ALTERNATE_OBJECT_DIRECTORIES: undefined,
    GIT_QUARANTINE_PATH: undefined,
  };
  try {
    await git(['init', '--quiet', '--bare', dir], { cwd: dir, env });
    for (const value of [ext.repo, ext.ref]) {
      if (value.startsWith('-')) {
        throw new GitwardenError(
          'POLICY_INVALID',
          `extends: ${JSON.stringify(value)} must not start with '-'`,
        );
      }
    }
    await git(
      ['fetch', '--quiet', '--no-tags', '--depth=1', ext.repo, ext.ref],
      {
        cwd: dir,
        env,
      },
    ).catch((cause: unknown) => {
      throw new GitwardenError(
        'POLICY_UNREADABLE',
        `cannot fetch the base policy from ${ext.repo} ${ext.ref}: ${(cause as Error).message}`,
        { cause },
      );
    });
    const { stdout } = await git(['show', `FETCH_HEAD:${path}`], {
      cwd: dir,
      env,
    }).catch((cause: unknown) => {
      throw new GitwardenError(
        'POLICY_UNREADABLE',
        `the base policy ${path} is not in ${ext.repo} ${ext.ref}`,
        { cause },
      );
    });
    return parsePolicy(stdout.toString('utf8'), {
      kind: 'file',
      path: `${ext.repo}@${ext.ref}:${path}`,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function sourceName(policy: Policy): string {
  switch (policy.source.kind) {
    case 'default':
      return '(built-in policy)';
    case 'file':
      return policy.source.path;
    case 'revision':
      return `${policy.source.revision.slice(0, 12)}:${policy.source.path}`;
  }
}
