import type {
  AccessPolicy,
  AccessRule,
  Action,
  ResolvedRole,
} from '../policy/roles.ts';
import { compilePatterns, type Matcher } from './patterns.ts';

/** Who is asking, as far as the policy knows them. */
export interface Identity {
  /** The identity's key in the policy; undefined when it is unknown. */
  name: string | undefined;
  /** What was presented: a login, an email, a key. */
  claimed: string;
  /** Where the claim came from, e.g. `GL_USER` or `git config user.email`. */
  via: string;
  /** Roles the identity holds in the policy. */
  roles: string[];
}

export interface AccessRequest {
  action: Action;
  ref?: string;
  path?: string;
  command?: string;
}

export interface Verdict {
  allowed: boolean;
  /** The rule that decided: the deny that matched, or the grant. */
  rule: AccessRule | undefined;
  /** One sentence a refused user can act on. */
  reason: string;
}

/** A rule whose patterns are compiled on first use, then kept. */
interface CompiledRule {
  rule: AccessRule;
  ref(value: string): boolean;
  path(value: string): boolean;
  command(value: string): boolean;
}

interface Scope {
  denies: CompiledRule[];
  grants: CompiledRule[];
}

/**
 * The role engine. Precedence, the same everywhere (README "Roles"):
 *
 * 1. An identity the policy does not know, or that holds no role, has no
 *    rights.
 * 2. A deny that matches always wins: from `access.deny` (unless the
 *    identity holds a role the rule excepts), from protected paths, or
 *    from a role the identity holds. Order and specificity never matter.
 * 3. Otherwise a matching grant of a held role allows.
 * 4. Otherwise the request is denied.
 *
 * Patterns are compiled once per rule and rules are indexed by action; for
 * a push, the rules that apply to one identity and ref are picked once and
 * then only path patterns run per changed path.
 */
export class AccessEngine {
  readonly policy: AccessPolicy;
  private readonly compiled = new Map<string, CompiledRule>();
  private readonly scopes = new Map<string, Scope>();

  constructor(policy: AccessPolicy) {
    this.policy = policy;
  }

  decide(identity: Identity, request: AccessRequest): Verdict {
    if (identity.name === undefined) {
      return {
        allowed: false,
        rule: undefined,
        reason: `${identity.claimed || '(nobody)'} is not an identity this policy knows, and unknown identities have no rights`,
      };
    }
    const roles = identity.roles.filter((role) => this.policy.roles.has(role));
    if (roles.length === 0) {
      return {
        allowed: false,
        rule: undefined,
        reason: `${identity.name} holds no role, so has no rights`,
      };
    }
    const scope = this.scope(roles, request.action, request.ref);
    const deny = scope.denies.find((rule) => this.matches(rule, request));
    if (deny) {
      return {
        allowed: false,
        rule: deny.rule,
        reason: `${describe(request)} is denied by ${deny.rule.id}${because(deny.rule)}`,
      };
    }
    const grant = scope.grants.find((rule) => this.matches(rule, request));
    if (grant) {
      // Built only when read: a push asks about thousands of paths that
      // are allowed, and nobody reads why.
      return {
        allowed: true,
        rule: grant.rule,
        get reason() {
          return `${describe(request)} is granted by ${grant.rule.id}`;
        },
      };
    }
    return {
      allowed: false,
      rule: undefined,
      reason: `no grant of role ${roles.join(', ')} allows ${describe(request)}`,
    };
  }

  /** Roles that could be asked for a right: used by `explain`. */
  rolesGranting(request: AccessRequest): string[] {
    const names: string[] = [];
    for (const role of this.policy.roles.values()) {
      const verdict = this.decide(
        {
          name: role.name,
          claimed: role.name,
          via: 'role',
          roles: [role.name],
        },
        request,
      );
      if (verdict.allowed) names.push(role.name);
    }
    return names;
  }

  private matches(rule: CompiledRule, request: AccessRequest): boolean {
    if (request.action === 'run') return rule.command(request.command ?? '');
    if (request.action === 'modify') return rule.path(request.path ?? '');
    return true;
  }

  /** The rules that bind these roles for one action on one ref. */
  private scope(roles: string[], action: Action, ref?: string): Scope {
    const key = `${action}\0${roles.join('\0')}\0${ref ?? ''}`;
    let scope = this.scopes.get(key);
    if (scope) return scope;
    const held = roles.map((role) => this.policy.roles.get(role)!);
    const applies = (rule: CompiledRule) =>
      rule.rule.actions.has(action) &&
      (action === 'run' || ref === undefined || rule.ref(ref));
    const globalDenies = this.policy.globalDeny.filter(
      (rule) => !rule.except.some((role) => roles.includes(role)),
    );
    scope = {
      denies: unique([
        ...globalDenies.map((rule) => this.compile(rule)),
        ...held.flatMap((role) => this.compileAll(role, 'deny')),
      ]).filter(applies),
      grants: unique(
        held.flatMap((role) => this.compileAll(role, 'grants')),
      ).filter(applies),
    };
    this.scopes.set(key, scope);
    return scope;
  }

  private compileAll(role: ResolvedRole, kind: 'deny' | 'grants') {
    return role[kind].map((rule) => this.compile(rule));
  }

  private compile(rule: AccessRule): CompiledRule {
    const key = `${rule.effect}:${rule.id}`;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      const nocase = this.policy.caseInsensitivePaths;
      let ref: Matcher | undefined;
      let path: Matcher | undefined;
      let command: Matcher | undefined;
      compiled = {
        rule,
        ref: (value) => (ref ??= compilePatterns(rule.refs))(value),
        path: (value) =>
          (path ??= compilePatterns(rule.paths, { nocase }))(value),
        command: (value) => (command ??= compilePatterns(rule.commands))(value),
      };
      this.compiled.set(key, compiled);
    }
    return compiled;
  }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

export function describe(request: AccessRequest): string {
  switch (request.action) {
    case 'run':
      return `run ${request.command ?? ''}`;
    case 'modify':
      return `modify ${JSON.stringify(request.path ?? '')} on ${request.ref ?? '(any ref)'}`;
    default:
      return `${request.action} ${request.ref ?? '(any ref)'}`;
  }
}

function because(rule: AccessRule): string {
  return rule.description ? ` (${rule.description})` : '';
}
