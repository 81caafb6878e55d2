import type { GitHubClient } from './client.ts';
import { RemoteError } from '../http/remote-error.ts';
import { githubCall } from './errors.ts';
import { sealForGitHub } from './sealed-box.ts';

/** Where an Actions secret lives. */
export type SecretScope =
  | { kind: 'repository'; owner: string; repo: string }
  | { kind: 'environment'; owner: string; repo: string; environment: string }
  | { kind: 'organization'; org: string }
  /** Organization secrets a repository may use (read-only view). */
  | { kind: 'shared'; owner: string; repo: string };

export interface SecretMetadata {
  name: string;
  createdAt: string;
  updatedAt: string;
}

export function describeScope(scope: SecretScope): string {
  switch (scope.kind) {
    case 'repository':
      return `repository ${scope.owner}/${scope.repo}`;
    case 'environment':
      return `environment ${scope.environment} of ${scope.owner}/${scope.repo}`;
    case 'organization':
      return `organization ${scope.org}`;
    case 'shared':
      return `organization secrets shared with ${scope.owner}/${scope.repo}`;
  }
}

/** Every secret of a scope, all pages, with its creation and update times. */
export async function listSecrets(
  client: GitHubClient,
  scope: SecretScope,
): Promise<SecretMetadata[]> {
  const action = `list the secrets of ${describeScope(scope)}`;
  const secrets = await githubCall(action, () => {
    const page = { per_page: 100 };
    switch (scope.kind) {
      case 'repository':
        return client.paginate('GET /repos/{owner}/{repo}/actions/secrets', {
          owner: scope.owner,
          repo: scope.repo,
          ...page,
        });
      case 'environment':
        return client.paginate(
          'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets',
          {
            owner: scope.owner,
            repo: scope.repo,
            environment_name: scope.environment,
            ...page,
          },
        );
      case 'organization':
        return client.paginate('GET /orgs/{org}/actions/secrets', {
          org: scope.org,
          ...page,
        });
      case 'shared':
        return client.paginate(
          'GET /repos/{owner}/{repo}/actions/organization-secrets',
          { owner: scope.owner, repo: scope.repo, ...page },
        );
    }
  });
  return secrets.map((secret) => ({
    name: secret.name,
    createdAt: secret.created_at,
    updatedAt: secret.updated_at,
  }));
}

/** One secret's metadata, or undefined when the scope has no such secret. */
export async function getSecretMetadata(
  client: GitHubClient,
  scope: SecretScope,
  name: string,
): Promise<SecretMetadata | undefined> {
  const action = `read secret ${name} of ${describeScope(scope)}`;
  try {
    const { data } = await githubCall(action, () => {
      switch (scope.kind) {
        case 'repository':
          return client.request(
            'GET /repos/{owner}/{repo}/actions/secrets/{secret_name}',
            { owner: scope.owner, repo: scope.repo, secret_name: name },
          );
        case 'environment':
          return client.request(
            'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}',
            {
              owner: scope.owner,
              repo: scope.repo,
              environment_name: scope.environment,
              secret_name: name,
            },
          );
        case 'organization':
          return client.request(
            'GET /orgs/{org}/actions/secrets/{secret_name}',
            {
              org: scope.org,
              secret_name: name,
            },
          );
        case 'shared':
          throw new TypeError('read shared secrets through listSecrets');
      }
    });
    return {
      name: data.name,
      createdAt: data.created_at,
      updatedAt: data.updated_at,
    };
  } catch (error) {
    if (error instanceof RemoteError && error.status === 404) return undefined;
    throw error;
  }
}

/** The names of a repository's deployment environments. */
export async function listEnvironments(
  client: GitHubClient,
  owner: string,
  repo: string,
): Promise<string[]> {
  const environments = await githubCall(
    `list the environments of ${owner}/${repo}`,
    () =>
      client.paginate('GET /repos/{owner}/{repo}/environments', {
        owner,
        repo,
        per_page: 100,
      }),
  );
  return environments.map((environment) => environment.name);
}

export interface PublicKey {
  keyId: string;
  key: string;
}

export async function getPublicKey(
  client: GitHubClient,
  scope: SecretScope,
): Promise<PublicKey> {
  const action = `read the public key of ${describeScope(scope)}`;
  const { data } = await githubCall(action, () => {
    switch (scope.kind) {
      case 'repository':
        return client.request(
          'GET /repos/{owner}/{repo}/actions/secrets/public-key',
          { owner: scope.owner, repo: scope.repo },
        );
      case 'environment':
        return client.request(
          'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key',
          {
            owner: scope.owner,
            repo: scope.repo,
            environment_name: scope.environment,
          },
        );
      case 'organization':
        return client.request('GET /orgs/{org}/actions/secrets/public-key', {
          org: scope.org,
        });
      case 'shared':
        throw new TypeError('shared organization secrets are read-only');
    }
  });
  return { keyId: data.key_id, key: data.key };
}

export interface PutSecretOptions {
  /** Organization secrets only: which repositories may use it. */
  visibility?: 'all' | 'private' | 'selected';
}

/**
 * Creates or replaces a secret. The value is sealed to the scope's public
 * key before it leaves this function and appears in no message. GitHub
 * swaps the value in one step, so a failed call leaves the old one.
 */
export async function putSecret(
  client: GitHubClient,
  scope: SecretScope,
  name: string,
  value: string,
  options: PutSecretOptions = {},
): Promise<'created' | 'updated'> {
  const publicKey = await getPublicKey(client, scope);
  const body = {
    encrypted_value: await sealForGitHub(value, publicKey.key),
    key_id: publicKey.keyId,
  };
  const action = `store secret ${name} in ${describeScope(scope)}`;
  const { status } = await githubCall(action, () => {
    switch (scope.kind) {
      case 'repository':
        return client.request(
          'PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}',
          { owner: scope.owner, repo: scope.repo, secret_name: name, ...body },
        );
      case 'environment':
        return client.request(
          'PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}',
          {
            owner: scope.owner,
            repo: scope.repo,
            environment_name: scope.environment,
            secret_name: name,
            ...body,
          },
        );
      case 'organization':
        return client.request('PUT /orgs/{org}/actions/secrets/{secret_name}', {
          org: scope.org,
          secret_name: name,
          visibility: options.visibility ?? 'private',
          ...body,
        });
      case 'shared':
        throw new TypeError('shared organization secrets are read-only');
    }
  });
  return status === 201 ? 'created' : 'updated';
}
