import {
  describeScope,
  listEnvironments,
  listSecrets,
  type SecretScope,
} from '../github/actions-secrets.ts';
import type { GitHubClient } from '../github/client.ts';
import { isRemoteError } from '../http/remote-error.ts';

/** One secret with its age against its limit. */
export interface SecretAge {
  name: string;
  createdAt: string;
  updatedAt: string;
  ageDays: number;
  maxAgeDays: number;
  old: boolean;
}

/**
 * One place secrets live. "unreadable" is never "no secrets": the report
 * says what could not be read and which permission was missing.
 */
export type ScopeAges =
  | { scope: SecretScope; label: string; status: 'read'; secrets: SecretAge[] }
  | {
      scope: SecretScope | undefined;
      label: string;
      status: 'unreadable';
      reason: string;
      missingPermission: string | undefined;
    };

export interface AgeReport {
  checkedAt: string;
  scopes: ScopeAges[];
  oldCount: number;
  /** False when any scope could not be read. */
  complete: boolean;
}

export interface AgeQuery {
  client: GitHubClient;
  owner: string;
  repo: string;
  /** Also the organization's own list (needs an org-level permission). */
  org?: string;
  /** Environment names; undefined lists the repository's environments. */
  environments?: string[];
  maxAgeDays: (secretName: string) => number;
  now: Date;
}

const DAY_MS = 86_400_000;

/**
 * Lists repository, environment and organization Actions secrets with
 * their last update and flags those older than their maximum age. A 403
 * or 404 on one list makes that scope "unreadable" with the reason; a
 * wrong token or an unreachable GitHub fails the whole check.
 */
export async function secretAges(query: AgeQuery): Promise<AgeReport> {
  const { owner, repo } = query;
  const scopes: ScopeAges[] = [];

  scopes.push(await readScope(query, { kind: 'repository', owner, repo }));

  let environments = query.environments;
  if (environments === undefined) {
    try {
      environments = await listEnvironments(query.client, owner, repo);
    } catch (error) {
      scopes.push(
        unreadable(undefined, `environments of ${owner}/${repo}`, error),
      );
      environments = [];
    }
  }
  for (const environment of environments) {
    scopes.push(
      await readScope(query, { kind: 'environment', owner, repo, environment }),
    );
  }

  scopes.push(await readScope(query, { kind: 'shared', owner, repo }));
  if (query.org) {
    scopes.push(
      await readScope(query, { kind: 'organization', org: query.org }),
    );
  }

  return {
    checkedAt: query.now.toISOString(),
    scopes,
    oldCount: scopes.reduce(
      (sum, s) =>
        sum + (s.status === 'read' ? s.secrets.filter((x) => x.old).length : 0),
      0,
    ),
    complete: scopes.every((s) => s.status === 'read'),
  };
}

async function readScope(
  query: AgeQuery,
  scope: SecretScope,
): Promise<ScopeAges> {
  const label = describeScope(scope);
  try {
    const secrets = await listSecrets(query.client, scope);
    return {
      scope,
      label,
      status: 'read',
      secrets: secrets.map((secret) => {
        const maxAgeDays = query.maxAgeDays(secret.name);
        const ageDays = Math.floor(
          (query.now.getTime() - Date.parse(secret.updatedAt)) / DAY_MS,
        );
        return { ...secret, ageDays, maxAgeDays, old: ageDays > maxAgeDays };
      }),
    };
  } catch (error) {
    return unreadable(scope, label, error);
  }
}

function unreadable(
  scope: SecretScope | undefined,
  label: string,
  error: unknown,
): ScopeAges {
  // Only "not allowed" and "not found" are a scope's own problem; a wrong
  // token or an unreachable GitHub would make every scope fail the same.
  if (!isRemoteError(error) || (error.status !== 403 && error.status !== 404)) {
    throw error;
  }
  return {
    scope,
    label,
    status: 'unreadable',
    reason:
      error.status === 404
        ? 'not found, or the token cannot see it'
        : 'the token may not read it',
    missingPermission: error.missingPermission,
  };
}
