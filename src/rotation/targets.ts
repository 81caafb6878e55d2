import {
  describeScope,
  getSecretMetadata,
  putSecret,
  type SecretScope,
} from '../github/actions-secrets.ts';
import type { GitHubClient } from '../github/client.ts';
import { GitwardenError } from '../errors.ts';
import type { HttpPolicy } from '../http/call-json.ts';
import { DopplerClient, dopplerStore } from '../keys/doppler.ts';
import type { SecretStore } from '../keys/remote-provider.ts';
import { VaultClient, vaultStore } from '../keys/vault.ts';
import {
  providerSources,
  type ProvidersSection,
  type RotationEntry,
} from '../policy/providers.ts';
import type { RotationTarget } from './rotate.ts';

export interface TargetContext {
  document: { providers?: ProvidersSection };
  /** The repository being governed, when a GitHub token is at hand. */
  github?: { client: GitHubClient; owner: string; repo: string };
  /** Looks up the variable a provider names for its token (adapter's env). */
  token: (variable: string) => string | undefined;
  /** Timeouts and retries for Vault and Doppler (tests shrink them). */
  http?: HttpPolicy;
}

/** GitHub refuses Actions secrets larger than 48 KB. */
const GITHUB_SECRET_MAX_BYTES = 48 * 1024;

/** Where `secrets rotate NAME` stores the new value, from the policy. */
export function rotationTarget(
  name: string,
  entry: RotationEntry,
  context: TargetContext,
): RotationTarget {
  const store = entry.store;
  if (store.github) {
    const github = context.github;
    if (!github) {
      throw new GitwardenError(
        'USAGE',
        `${name} is stored as a GitHub Actions secret, but no GitHub repository and token were given`,
        {
          hint: 'Set GITHUB_TOKEN (or GH_TOKEN) and GITHUB_REPOSITORY=owner/repo, or pass --repo.',
        },
      );
    }
    const scope: SecretScope =
      store.github === 'repository'
        ? { kind: 'repository', owner: github.owner, repo: github.repo }
        : store.github === 'environment'
          ? {
              kind: 'environment',
              owner: github.owner,
              repo: github.repo,
              environment: store.environment!,
            }
          : { kind: 'organization', org: store.org ?? github.owner };
    return {
      type: 'github',
      description: describeScope(scope),
      maxBytes: GITHUB_SECRET_MAX_BYTES,
      put: async (value) => {
        await putSecret(github.client, scope, name, value, {
          visibility: store.visibility,
        });
      },
      updatedAt: async () => {
        const secret = await getSecretMetadata(github.client, scope, name);
        return secret && new Date(secret.updatedAt);
      },
    };
  }

  const providerName = store.provider!;
  const secretStore = providerStore(providerName, context);
  const reference = store.key ?? name;
  const updatedAt = secretStore.updatedAt?.bind(secretStore);
  return {
    type: secretStore.type,
    description: secretStore.describe(reference),
    put: (value) => secretStore.set(reference, value),
    ...(updatedAt ? { updatedAt: () => updatedAt(reference) } : {}),
  };
}

/** A Vault or Doppler provider of the policy as a SecretStore. */
export function providerStore(
  providerName: string,
  context: TargetContext,
): SecretStore {
  const sources = providerSources(context.document);
  const definition = sources[providerName];
  if (!definition) {
    throw new GitwardenError(
      'POLICY_INVALID',
      `unknown provider "${providerName}" (providers.sources defines: ${Object.keys(sources).join(', ')})`,
    );
  }
  const http: HttpPolicy = {
    ...(definition.timeoutSeconds
      ? { timeoutMs: definition.timeoutSeconds * 1000 }
      : {}),
    ...context.http,
  };
  if (definition.type === 'vault') {
    const variable = definition.tokenEnv ?? 'VAULT_TOKEN';
    return vaultStore(
      new VaultClient({
        address: definition.address!,
        token: context.token(variable) ?? '',
        namespace: definition.namespace,
        kvMount: definition.kvMount,
        transitMount: definition.transitMount,
        ...http,
      }),
    );
  }
  if (definition.type === 'doppler') {
    const variable = definition.tokenEnv ?? 'DOPPLER_TOKEN';
    return dopplerStore(
      new DopplerClient({
        token: context.token(variable) ?? '',
        project: definition.project!,
        config: definition.config!,
        apiUrl: definition.apiUrl,
        ...http,
      }),
    );
  }
  throw new GitwardenError(
    'POLICY_INVALID',
    `provider "${providerName}" is of type ${definition.type}; only vault and doppler can store a secret`,
  );
}
