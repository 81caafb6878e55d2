import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IdentityEntry } from '../policy/types.ts';
import type { SignatureFacts } from './paths.ts';

/** An SSH public key line: type, base64 body, optional comment. */
export const SSH_KEY =
  /^(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9@.-]+) [A-Za-z0-9+/]+={0,3}( [^\r\n]*)?$/;
/** An OpenPGP v4 (40 hex) or v5/v6 (64 hex) fingerprint. */
export const PGP_FINGERPRINT = /^(?:[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})$/;

/**
 * The allowed-signers file git's SSH verification reads
 * (`gpg.ssh.allowedSignersFile`), built from the policy: one line per key,
 * the principal being the identity's name, valid for git signatures only.
 * With it, `%G?` is G and `%GS` names the identity for a good signature
 * by a listed key.
 */
export function allowedSigners(
  identities: Record<string, IdentityEntry>,
): string {
  const lines: string[] = [];
  for (const [name, identity] of Object.entries(identities)) {
    for (const key of identity.signingKeys ?? []) {
      // Validation refuses other shapes; checked again because a newline
      // here would let a key line name another principal.
      if (SSH_KEY.test(key)) lines.push(`${name} namespaces="git" ${key}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Writes the allowed-signers file to a private temp folder. */
export async function withAllowedSignersFile<T>(
  identities: Record<string, IdentityEntry>,
  use: (config: Record<string, string>) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'gitwarden-signers-'));
  try {
    const file = join(dir, 'allowed_signers');
    await writeFile(file, allowedSigners(identities), { mode: 0o600 });
    return await use({ 'gpg.ssh.allowedSignersFile': file });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export type Trust = 'verified' | 'unsigned' | 'foreign';

/**
 * Whether a commit's signature proves it was made by this identity:
 * a good SSH signature whose principal is the identity (from the
 * allowed-signers file above), or a good OpenPGP signature by a key whose
 * fingerprint the identity lists. For OpenPGP, "good but untrusted" (U)
 * counts: the binding comes from the policy, not from the web of trust.
 */
export function signatureTrust(
  name: string,
  identity: IdentityEntry,
  signature: SignatureFacts | undefined,
): Trust {
  if (!signature || signature.status === 'N') return 'unsigned';
  const good = signature.status === 'G' || signature.status === 'U';
  if (!good) return 'foreign';
  if (signature.status === 'G' && signature.signer === name) {
    const sshListed = (identity.signingKeys ?? []).some((key) =>
      SSH_KEY.test(key),
    );
    if (sshListed && signature.fingerprint.startsWith('SHA256:')) {
      return 'verified';
    }
  }
  const fingerprints = new Set(
    (identity.signingKeys ?? [])
      .filter((key) => PGP_FINGERPRINT.test(key))
      .map((key) => key.toUpperCase()),
  );
  const used = [signature.fingerprint, signature.primaryFingerprint].map(
    (value) => value.toUpperCase(),
  );
  return used.some((value) => value && fingerprints.has(value))
    ? 'verified'
    : 'foreign';
}
