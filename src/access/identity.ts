import { signatureTrust, type Trust } from '../git/signatures.ts';
import type { SignatureFacts } from '../git/paths.ts';
import type { AccessPolicy } from '../policy/roles.ts';
import type { Identity } from './engine.ts';

/**
 * Finds who a claim names. A login (from a server's pusher variable or
 * `--as`) matches an identity's own name, its `logins` exactly, or its
 * GitHub login without regard to case (GitHub logins are case-blind). An
 * email matches `emails` without regard to case. Nothing else matches: an
 * unknown claim gets an identity with no name and no rights.
 */
export function findIdentity(
  policy: AccessPolicy,
  claim: string,
  via: string,
): Identity {
  const lower = claim.toLowerCase();
  const isEmail = claim.includes('@') && !(claim in policy.identities);
  for (const [name, entry] of Object.entries(policy.identities)) {
    const hit = isEmail
      ? entry.emails?.some((email) => email.toLowerCase() === lower)
      : name === claim ||
        entry.logins?.includes(claim) ||
        entry.github?.toLowerCase() === lower;
    if (hit) return { name, claimed: claim, via, roles: entry.roles ?? [] };
  }
  return { name: undefined, claimed: claim, via, roles: [] };
}

/** Whether any identity or role makes signatures matter for this policy. */
export function needsSignatures(policy: AccessPolicy): boolean {
  const listed = Object.values(policy.identities).some(
    (entry) => (entry.signingKeys?.length ?? 0) > 0,
  );
  const required = [...policy.roles.values()].some((r) => r.requireSigned);
  return listed || required;
}

export interface CommitIdentity {
  identity: Identity;
  trust: Trust | undefined;
  /** Why rights were reduced for this commit, when they were. */
  note: string | undefined;
}

/**
 * The identity that judges one commit's changes. Where the identity lists
 * signing keys, a commit not signed by one of them gets no more than an
 * unknown identity. Otherwise an unsigned or foreign-signed commit loses
 * only the roles that require signatures.
 */
export function identityForCommit(
  policy: AccessPolicy,
  identity: Identity,
  signature: SignatureFacts | undefined,
  signaturesChecked: boolean,
): CommitIdentity {
  if (identity.name === undefined || !signaturesChecked) {
    return { identity, trust: undefined, note: undefined };
  }
  const entry = policy.identities[identity.name] ?? {};
  const trust = signatureTrust(identity.name, entry, signature);
  if (trust === 'verified') return { identity, trust, note: undefined };
  const how = trust === 'unsigned' ? 'unsigned' : 'not signed by its key';
  if ((entry.signingKeys?.length ?? 0) > 0) {
    return {
      identity: { ...identity, name: undefined, roles: [] },
      trust,
      note: `commit is ${how}, and ${identity.name} lists signing keys: judged as an unknown identity`,
    };
  }
  const kept = identity.roles.filter(
    (role) => !policy.roles.get(role)?.requireSigned,
  );
  if (kept.length === identity.roles.length) {
    return { identity, trust, note: undefined };
  }
  return {
    identity: { ...identity, roles: kept },
    trust,
    note: `commit is ${how}: roles that require signed commits do not apply`,
  };
}
