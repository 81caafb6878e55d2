import { GitwardenError } from '../errors.ts';
import type { SchemaProblem } from './errors.ts';

// The policy's `providers` and `rotation` sections: where secrets come
// from, how old they may get, and how each one is rotated.

/** A string runs through /bin/sh -c; an array runs as is, without a shell. */
export type CommandSpec = string | string[];

export type ProviderType = 'env' | 'file' | 'command' | 'vault' | 'doppler';

export interface ProviderDefinition {
  type: ProviderType;
  description?: string;
  holds?: string[];
  command?: CommandSpec;
  address?: string;
  namespace?: string;
  kvMount?: string;
  transitMount?: string;
  project?: string;
  config?: string;
  apiUrl?: string;
  tokenEnv?: string;
  timeoutSeconds?: number;
}

export interface ProvidersSection {
  production?: boolean;
  sources?: Record<string, ProviderDefinition>;
}

export interface RotationStoreSpec {
  github?: 'repository' | 'environment' | 'organization';
  environment?: string;
  org?: string;
  visibility?: 'all' | 'private' | 'selected';
  provider?: string;
  key?: string;
}

export interface RotationEntry {
  description?: string;
  generator: CommandSpec;
  check?: CommandSpec;
  store: RotationStoreSpec;
  maxAgeDays?: number;
  timeoutSeconds?: number;
}

export interface RotationSection {
  maxAgeDays?: number;
  secrets?: Record<string, RotationEntry>;
}

export const DEFAULT_MAX_AGE_DAYS = 90;

/** The provider every policy has: environment variables. */
const builtIn: Record<string, ProviderDefinition> = { env: { type: 'env' } };

interface SectionsDocument {
  providers?: ProvidersSection;
  rotation?: RotationSection;
}

export function providerSources(
  document: SectionsDocument,
): Record<string, ProviderDefinition> {
  return { ...builtIn, ...document.providers?.sources };
}

/**
 * Production mode comes from the policy or from the adapter's environment
 * (GITWARDEN_ENV=production, passed in, never read here).
 */
export function isProduction(
  document: SectionsDocument,
  gitwardenEnv: string | undefined,
): boolean {
  return (
    document.providers?.production === true ||
    gitwardenEnv?.toLowerCase() === 'production'
  );
}

/**
 * Refuses a signing key read from a plain file in production: there it
 * must come from a manager (Vault Transit) or the CI's secret store (an
 * Actions secret arrives as an environment variable, which counts).
 */
export function assertSigningKeySource(
  providerName: string,
  definition: ProviderDefinition,
  production: boolean,
): void {
  if (production && definition.type === 'file') {
    throw new GitwardenError(
      'KEY_SOURCE_REFUSED',
      `provider ${providerName} reads the signing key from a plain file, which production mode refuses`,
      {
        hint: 'Keep the key in Vault Transit (type: vault) or pass it from the CI secret store as an environment variable (type: env).',
      },
    );
  }
}

export function maxAgeDays(
  document: SectionsDocument,
  secretName?: string,
): number {
  const rotation = document.rotation;
  const own =
    secretName === undefined
      ? undefined
      : rotation?.secrets?.[secretName]?.maxAgeDays;
  return own ?? rotation?.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
}

/** What the schema cannot say: stores name known, writable providers. */
export function providerProblems(document: SectionsDocument): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const sources = providerSources(document);
  const known = Object.keys(sources).join(', ');
  for (const [name, entry] of Object.entries(
    document.rotation?.secrets ?? {},
  )) {
    const at = ['rotation', 'secrets', name, 'store'];
    const store = entry.store;
    const targets = [store.github, store.provider].filter(Boolean).length;
    if (targets !== 1) {
      problems.push({
        target: 'value',
        segments: at,
        message: 'expected exactly one of "github" or "provider"',
      });
      continue;
    }
    if (store.github) {
      if (/^GITHUB_/i.test(name)) {
        problems.push({
          target: 'value',
          segments: ['rotation', 'secrets', name],
          message: 'GitHub does not allow secret names that start with GITHUB_',
        });
      }
      if (store.github === 'environment' && !store.environment) {
        problems.push({
          target: 'value',
          segments: at,
          message: 'expected "environment" with github: environment',
        });
      }
      continue;
    }
    const provider = sources[store.provider!];
    if (!provider) {
      problems.push({
        target: 'value',
        segments: [...at, 'provider'],
        message: `unknown provider "${store.provider}" (providers.sources defines: ${known})`,
      });
    } else if (provider.type !== 'vault' && provider.type !== 'doppler') {
      problems.push({
        target: 'value',
        segments: [...at, 'provider'],
        message: `provider "${store.provider}" is of type ${provider.type}; rotation can store only in vault or doppler`,
      });
    }
  }
  return problems;
}
