import picomatch from 'picomatch';

import { knownRuleIds } from '../../rules/catalog.ts';
import type { Policy, PolicyDocument } from '../policy/types.ts';

/** The `secrets` section of the policy file, as the schema describes it. */
export interface SecretsPolicyDocument {
  enabled?: boolean;
  maxFileSize?: number | string;
  baseline?: string;
  allowComments?: boolean;
  allowlist?: { paths?: string[] };
  rules?: { disable?: string[] };
}

/** The secret scan's settings, every default applied. */
export interface SecretsSettings {
  enabled: boolean;
  maxFileSize: number;
  baselinePath: string;
  allowComments: boolean;
  allowPaths: string[];
  /** Full rule ids (secretlint's own, or gitwarden/...). */
  disabledRules: string[];
}

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;
export const DEFAULT_BASELINE = '.gitwarden/secrets-baseline.json';

export function secretsSettings(policy: Policy | undefined): SecretsSettings {
  const section = policy?.document.secrets ?? {};
  return {
    enabled: section.enabled ?? true,
    maxFileSize: parseSize(section.maxFileSize ?? DEFAULT_MAX_FILE_SIZE),
    baselinePath: section.baseline ?? DEFAULT_BASELINE,
    // Off unless the policy says so: an allow comment sits in the very line
    // it excuses, so whoever adds a secret (an agent included) could excuse
    // it in the same change. Teams that accept that self-service opt in.
    allowComments: section.allowComments ?? false,
    allowPaths: section.allowlist?.paths ?? [],
    disabledRules: (section.rules?.disable ?? []).map(fullRuleId),
  };
}

const UNITS: Record<string, number> = {
  B: 1,
  KB: 1000,
  MB: 1000 ** 2,
  GB: 1000 ** 3,
  KIB: 1024,
  MIB: 1024 ** 2,
  GIB: 1024 ** 3,
};

export function parseSize(size: number | string): number {
  if (typeof size === 'number') return size;
  const match = /^([0-9]+(?:\.[0-9]+)?) ?([A-Za-z]*)$/.exec(size.trim());
  const unit = UNITS[(match?.[2] || 'B').toUpperCase()];
  if (!match || unit === undefined) throw new Error(`not a size: ${size}`);
  return Math.floor(Number(match[1]) * unit);
}

/** "secretlint/aws" → "@secretlint/secretlint-rule-aws". */
export function fullRuleId(id: string): string {
  return id.startsWith('secretlint/')
    ? `@secretlint/secretlint-rule-${id.slice('secretlint/'.length)}`
    : id;
}

/** Whether a repository path is on the policy's allowlist. */
export function pathAllowlist(globs: readonly string[]) {
  if (globs.length === 0) return () => false;
  const match = picomatch([...globs], { dot: true });
  return (path: string) => match(path);
}

/**
 * Checks the schema cannot express, for the policy loader: allowlist globs
 * parse, disabled rules exist.
 */
export function secretsPolicyProblems(
  document: PolicyDocument,
  globError: (glob: string) => string | undefined,
) {
  const problems: { segments: (string | number)[]; message: string }[] = [];
  const section = document.secrets;
  section?.allowlist?.paths?.forEach((glob, index) => {
    const error = globError(glob);
    if (error) {
      problems.push({
        segments: ['secrets', 'allowlist', 'paths', index],
        message: `expected a valid glob pattern (${error})`,
      });
    }
  });
  const known = new Set(knownRuleIds());
  section?.rules?.disable?.forEach((id, index) => {
    if (!known.has(id)) {
      problems.push({
        segments: ['secrets', 'rules', 'disable', index],
        message: `unknown rule '${id}' (rules: gitwarden scan --list-rules)`,
      });
    }
  });
  return problems;
}
