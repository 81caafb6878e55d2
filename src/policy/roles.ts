import { normalizeRefPattern } from '../access/patterns.ts';
import type {
  AccessRuleDocument,
  IdentityEntry,
  PolicyDocument,
  RoleDocument,
} from './types.ts';

/** What a rule can allow or deny. `*` in a policy stands for all of them. */
export const ACTIONS = [
  'push',
  'create',
  'delete',
  'force-push',
  'tag',
  'modify',
  'run',
] as const;
export type Action = (typeof ACTIONS)[number];

/** One grant or deny, resolved: it knows where it was written. */
export interface AccessRule {
  /** Where the rule is written, e.g. `roles.developer.grants[0]`. */
  id: string;
  effect: 'allow' | 'deny';
  actions: ReadonlySet<Action>;
  refs: string[] | undefined;
  paths: string[] | undefined;
  commands: string[] | undefined;
  /** A global deny binds everyone but these roles. */
  except: string[];
  /** Built into gitwarden rather than written in the policy. */
  builtin: boolean;
  description: string | undefined;
}

export interface ResolvedRole {
  name: string;
  description: string | undefined;
  requireSigned: boolean;
  /** Grants and denies of this role and of every role it extends. */
  grants: AccessRule[];
  deny: AccessRule[];
}

/** The roles, identities and rules as the access engine uses them. */
export interface AccessPolicy {
  /** False until the policy names an identity: checks say "not configured". */
  configured: boolean;
  roles: Map<string, ResolvedRole>;
  /** `access.deny` and the protected paths: bind everyone but `except`. */
  globalDeny: AccessRule[];
  protectedPaths: string[];
  protectedRoles: string[];
  overrideRoles: string[];
  overrideEnabled: boolean;
  caseInsensitivePaths: boolean;
  identities: Record<string, IdentityEntry>;
  commands: Record<string, { description?: string; roles?: string[] }>;
}

const MAIN_BRANCHES = ['!refs/heads/main', '!refs/heads/master'];

/**
 * The built-in roles (README "Roles"). A policy that defines a role of the
 * same name replaces it whole. Agents work on `agent/**` branches and reach
 * the rest through review; developers may not rewrite or push straight to
 * main; admins may, except rewriting it; owners may do anything.
 */
export const BUILTIN_ROLES: Record<string, RoleDocument> = {
  viewer: {
    description: 'reads; may not push anything',
    grants: [],
  },
  agent: {
    description: 'pushes its own agent/** branches',
    extends: ['viewer'],
    grants: [
      {
        actions: ['create', 'push', 'force-push', 'delete', 'modify'],
        refs: ['refs/heads/agent/**', 'refs/heads/agents/**'],
      },
    ],
  },
  developer: {
    description: 'works on any branch but main/master',
    extends: ['viewer'],
    grants: [
      {
        actions: ['create', 'push', 'force-push', 'delete', 'modify'],
        refs: ['refs/heads/**', ...MAIN_BRANCHES],
      },
    ],
  },
  admin: {
    description: 'pushes and tags anywhere; never rewrites main/master',
    extends: ['developer'],
    grants: [
      { actions: ['create', 'push', 'modify', 'tag'], refs: ['refs/**'] },
      {
        actions: ['delete', 'force-push'],
        refs: ['refs/**', ...MAIN_BRANCHES, '!refs/tags/**'],
      },
    ],
  },
  owner: {
    description: 'may do anything, and override a refusal with a reason',
    extends: ['admin'],
    grants: [{ actions: ['*'] }],
  },
};

/**
 * The policy folder, CI workflows and hook folders: changing them changes
 * what is enforced, so only `access.protected.roles` may.
 */
export const BUILTIN_PROTECTED_PATHS = [
  '.gitwarden/**',
  '.github/workflows/**',
  '.husky/**',
  '.githooks/**',
];

export function allRoleDocuments(
  document: PolicyDocument,
): Record<string, RoleDocument> {
  return { ...BUILTIN_ROLES, ...document.roles };
}

export function resolveAccess(document: PolicyDocument): AccessPolicy {
  const access = document.access ?? {};
  const commands = document.commands ?? {};
  const roleDocs = allRoleDocuments(document);
  const roles = new Map<string, ResolvedRole>();
  for (const name of Object.keys(roleDocs)) {
    roles.set(name, flattenRole(name, roleDocs, commands));
  }

  const protectedOn = access.protected?.builtin ?? true;
  const protectedPaths = [
    ...(protectedOn ? BUILTIN_PROTECTED_PATHS : []),
    ...(access.protected?.paths ?? []),
  ];
  const protectedRoles = access.protected?.roles ?? ['owner', 'admin'];
  const globalDeny = (access.deny ?? []).map((rule, index) =>
    toRule(rule, `access.deny[${index}]`, 'deny', false),
  );
  if (protectedPaths.length > 0) {
    globalDeny.push({
      id: 'access.protected',
      effect: 'deny',
      actions: new Set(['modify']),
      refs: undefined,
      paths: protectedPaths,
      commands: undefined,
      except: protectedRoles,
      builtin: access.protected === undefined,
      description: `protected path: only ${protectedRoles.join(', ')} may change it`,
    });
  }

  return {
    configured: Object.keys(document.identities ?? {}).length > 0,
    roles,
    globalDeny,
    protectedPaths,
    protectedRoles,
    overrideRoles: access.override?.roles ?? ['owner'],
    overrideEnabled: access.override?.enabled ?? true,
    caseInsensitivePaths: access.caseInsensitivePaths ?? false,
    identities: document.identities ?? {},
    commands,
  };
}

function flattenRole(
  name: string,
  roleDocs: Record<string, RoleDocument>,
  commands: AccessPolicy['commands'],
): ResolvedRole {
  const grants: AccessRule[] = [];
  const deny: AccessRule[] = [];
  // Depth-first over `extends`, each role once: a cycle is reported by
  // validation, and must not hang resolution.
  const seen = new Set<string>();
  const visit = (roleName: string) => {
    const role = roleDocs[roleName];
    if (role === undefined || seen.has(roleName)) return;
    seen.add(roleName);
    const builtin = BUILTIN_ROLES[roleName] === role;
    const prefix = `${builtin ? 'builtin:' : ''}roles.${roleName}`;
    role.grants?.forEach((rule, index) =>
      grants.push(toRule(rule, `${prefix}.grants[${index}]`, 'allow', builtin)),
    );
    role.deny?.forEach((rule, index) =>
      deny.push(toRule(rule, `${prefix}.deny[${index}]`, 'deny', builtin)),
    );
    for (const [command, entry] of Object.entries(commands)) {
      if (!entry.roles?.includes(roleName)) continue;
      grants.push({
        id: `commands.${command}.roles`,
        effect: 'allow',
        actions: new Set(['run']),
        refs: undefined,
        paths: undefined,
        commands: [escapeGlob(command)],
        except: [],
        builtin: false,
        description: entry.description,
      });
    }
    for (const parent of role.extends ?? []) visit(parent);
  };
  visit(name);
  // requireSigned belongs to the role itself, not to what it extends: a
  // signed-only role may extend an ordinary one.
  return {
    name,
    description: roleDocs[name]?.description,
    requireSigned: roleDocs[name]?.requireSigned ?? false,
    grants,
    deny,
  };
}

export function toRule(
  rule: AccessRuleDocument,
  id: string,
  effect: 'allow' | 'deny',
  builtin: boolean,
): AccessRule {
  const actions = rule.actions.includes('*')
    ? new Set<Action>(ACTIONS)
    : new Set(rule.actions as Action[]);
  return {
    id,
    effect,
    actions,
    refs: rule.refs?.map(normalizeRefPattern),
    paths: rule.paths,
    commands: rule.commands,
    except: rule.except ?? [],
    builtin,
    description: rule.description,
  };
}

/** Command names are literal; picomatch must not read them as globs. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]{}()!+@\\]/g, '\\$&');
}
