import type {
  AccessDocument,
  IdentityEntry,
  PolicyDocument,
  RoleDocument,
} from './types.ts';

/**
 * Lays a repository's policy over the base it extends, for the access
 * sections (roles, access, commands, identities). The result can add
 * restrictions and never loosens what the base denies:
 *
 * - every deny of the base stays: `access.deny`, each role's `deny`, the
 *   roles each role extends, protected paths, `requireSigned`;
 * - who may change protected paths, override, or run a base command can
 *   only narrow (the intersection of both lists);
 * - built-in protection and case-insensitive matching, once on, stay on;
 * - an identity's signing keys come from the base when it lists them.
 *
 * Grants are the repository's own business: a role's grants here replace
 * the base's, but any base deny still beats them.
 */
export function mergeWithBase(
  base: PolicyDocument,
  local: PolicyDocument,
): PolicyDocument {
  return {
    ...local,
    roles: mergeRoles(base.roles ?? {}, local.roles ?? {}),
    access: mergeAccess(base.access ?? {}, local.access ?? {}),
    commands: mergeCommands(base.commands ?? {}, local.commands ?? {}),
    identities: mergeIdentities(base.identities ?? {}, local.identities ?? {}),
  };
}

function mergeRoles(
  base: Record<string, RoleDocument>,
  local: Record<string, RoleDocument>,
): Record<string, RoleDocument> {
  const merged: Record<string, RoleDocument> = { ...base, ...local };
  for (const [name, baseRole] of Object.entries(base)) {
    const localRole = local[name];
    if (!localRole) continue;
    merged[name] = {
      ...localRole,
      extends: union(baseRole.extends, localRole.extends),
      grants: localRole.grants ?? baseRole.grants,
      deny: [...(baseRole.deny ?? []), ...(localRole.deny ?? [])],
      requireSigned: Boolean(baseRole.requireSigned || localRole.requireSigned),
    };
  }
  return merged;
}

function mergeAccess(base: AccessDocument, local: AccessDocument) {
  const merged: AccessDocument = {
    deny: [...(base.deny ?? []), ...(local.deny ?? [])],
    protected: {
      paths: union(base.protected?.paths, local.protected?.paths),
      roles: narrow(base.protected?.roles, local.protected?.roles),
      builtin:
        (base.protected?.builtin ?? true) || (local.protected?.builtin ?? true),
    },
    override: {
      roles: narrow(base.override?.roles, local.override?.roles),
      enabled:
        (base.override?.enabled ?? true) && (local.override?.enabled ?? true),
    },
    caseInsensitivePaths: Boolean(
      base.caseInsensitivePaths || local.caseInsensitivePaths,
    ),
  };
  return merged;
}

function mergeCommands(
  base: NonNullable<PolicyDocument['commands']>,
  local: NonNullable<PolicyDocument['commands']>,
) {
  const merged = { ...base, ...local };
  for (const [name, entry] of Object.entries(base)) {
    const localEntry = local[name];
    if (localEntry) {
      merged[name] = {
        ...localEntry,
        roles: narrow(entry.roles, localEntry.roles) ?? [],
      };
    }
  }
  return merged;
}

function mergeIdentities(
  base: Record<string, IdentityEntry>,
  local: Record<string, IdentityEntry>,
) {
  const merged = { ...base, ...local };
  for (const [name, entry] of Object.entries(base)) {
    const localEntry = local[name];
    if (localEntry && entry.signingKeys?.length) {
      merged[name] = { ...localEntry, signingKeys: entry.signingKeys };
    }
  }
  return merged;
}

function union(a?: string[], b?: string[]): string[] | undefined {
  if (!a && !b) return undefined;
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}

/** Both lists limit: keep what both allow. Absent means "no limit set". */
function narrow(a?: string[], b?: string[]): string[] | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.filter((item) => b.includes(item));
}
