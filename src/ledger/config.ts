import { GitwardenError } from '../errors.ts';
import { parsePublicKey } from '../keys/ed25519.ts';
import type { ProviderConfig } from '../keys/providers.ts';
import type { PublicKeyInfo } from '../keys/signer.ts';

/** The `ledger` section of the policy file, as the schema describes it. */
export interface LedgerSection {
  enabled?: boolean;
  branch?: string;
  origin?: string;
  remote?: string;
  rootKeys?: PolicyKey[];
  writerKeys?: PolicyKey[];
  signer?: {
    provider: ProviderConfig['provider'];
    variable?: string;
    path?: string;
    command?: string[];
    timeoutMs?: number;
  };
  maxClockSkew?: number;
  anchor?: string;
}

export interface PolicyKey {
  name?: string;
  fingerprint: string;
  publicKey: string;
}

export interface TrustedKey extends PublicKeyInfo {
  name: string | undefined;
  role: 'root' | 'writer';
}

export const DEFAULT_LEDGER_BRANCH = 'gitwarden/ledger';
export const DEFAULT_ANCHOR_PATH = '.gitwarden/ledger.checkpoint';
export const DEFAULT_KEY_VARIABLE = 'GITWARDEN_LEDGER_KEY';

/** The ledger settings with defaults applied and keys parsed. */
export interface LedgerConfig {
  enabled: boolean;
  branch: string;
  ref: string;
  origin: string | undefined;
  remote: string | undefined;
  rootKeys: TrustedKey[];
  writerKeys: TrustedKey[];
  signer: ProviderConfig;
  maxClockSkewMs: number;
  anchorPath: string;
}

/**
 * Applies defaults and checks what the schema cannot: that each key is an
 * Ed25519 key and that its fingerprint is the fingerprint of that key (a
 * mismatch means a copy-paste went wrong, and trusting either half would
 * be a guess).
 */
export function resolveLedgerConfig(
  section: LedgerSection | undefined = {},
): LedgerConfig {
  const branch = section.branch ?? DEFAULT_LEDGER_BRANCH;
  return {
    enabled: section.enabled ?? false,
    branch,
    ref: `refs/heads/${branch}`,
    origin: section.origin,
    remote: section.remote,
    rootKeys: (section.rootKeys ?? []).map((key, index) =>
      trustedKey(key, 'root', `ledger.rootKeys[${index}]`),
    ),
    writerKeys: (section.writerKeys ?? []).map((key, index) =>
      trustedKey(key, 'writer', `ledger.writerKeys[${index}]`),
    ),
    signer: providerConfig(section.signer),
    maxClockSkewMs: (section.maxClockSkew ?? 300) * 1000,
    anchorPath: section.anchor ?? DEFAULT_ANCHOR_PATH,
  };
}

function trustedKey(
  key: PolicyKey,
  role: TrustedKey['role'],
  field: string,
): TrustedKey {
  const info = parsePublicKey(key.publicKey);
  if (!info) {
    throw new GitwardenError(
      'POLICY_INVALID',
      `policy: ${field}.publicKey: expected an Ed25519 public key (base64 SubjectPublicKeyInfo DER)`,
    );
  }
  if (info.fingerprint !== key.fingerprint) {
    throw new GitwardenError(
      'POLICY_INVALID',
      `policy: ${field}.fingerprint: does not match publicKey (its fingerprint is ${info.fingerprint})`,
    );
  }
  return { ...info, name: key.name, role };
}

function providerConfig(signer: LedgerSection['signer']): ProviderConfig {
  switch (signer?.provider) {
    case undefined:
      return { provider: 'env', variable: DEFAULT_KEY_VARIABLE };
    case 'env':
      return { provider: 'env', variable: signer.variable! };
    case 'file':
      return { provider: 'file', path: signer.path! };
    case 'command':
      return {
        provider: 'command',
        command: signer.command!,
        timeoutMs: signer.timeoutMs,
      };
  }
}

/** Whether a ref is the ledger's branch, whose commits follow its own rules. */
export function isLedgerRef(config: LedgerConfig, ref: string): boolean {
  return ref === config.ref || ref === config.branch;
}
