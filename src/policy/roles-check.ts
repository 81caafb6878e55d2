import { PGP_FINGERPRINT, SSH_KEY } from '../git/signatures.ts';
import { globError } from './checks.ts';
import { allRoleDocuments } from './roles.ts';
import type { AccessRuleDocument, PolicyDocument } from './types.ts';

type Problem = { segments: (string | number)[]; message: string };

/**
 * Mistakes in the roles and access sections the schema cannot see: a role
 * that does not exist, a cycle of `extends`, a broken glob. Each stops the
 * policy with file, line and field.
 */
export function accessProblems(document: PolicyDocument): Problem[] {
  const problems: Problem[] = [];
  const roleNames = new Set(Object.keys(allRoleDocuments(document)));
  const knownRole = (name: string, segments: (string | number)[]) => {
    if (!roleNames.has(name)) {
      problems.push({
        segments,
        message: `unknown role '${name}'; expected one of: ${[...roleNames].join(', ')}`,
      });
    }
  };

  for (const [name, role] of Object.entries(document.roles ?? {})) {
    role.extends?.forEach((parent, i) =>
      knownRole(parent, ['roles', name, 'extends', i]),
    );
    const cycle = findCycle(name, document);
    if (cycle) {
      problems.push({
        segments: ['roles', name, 'extends'],
        message: `roles extend each other in a cycle: ${cycle.join(' -> ')}`,
      });
    }
    for (const kind of ['grants', 'deny'] as const) {
      role[kind]?.forEach((rule, i) =>
        problems.push(...ruleGlobProblems(rule, ['roles', name, kind, i])),
      );
    }
  }
  for (const [name, identity] of Object.entries(document.identities ?? {})) {
    identity.roles?.forEach((role, i) =>
      knownRole(role, ['identities', name, 'roles', i]),
    );
    identity.signingKeys?.forEach((key, i) => {
      if (!SSH_KEY.test(key) && !PGP_FINGERPRINT.test(key)) {
        problems.push({
          segments: ['identities', name, 'signingKeys', i],
          message:
            "expected an SSH public key ('ssh-ed25519 AAAA... comment') or an OpenPGP fingerprint (40 or 64 hex digits)",
        });
      }
    });
  }
  problems.push(...duplicateClaims(document));
  for (const [name, command] of Object.entries(document.commands ?? {})) {
    command.roles?.forEach((role, i) =>
      knownRole(role, ['commands', name, 'roles', i]),
    );
  }
  const access = document.access ?? {};
  access.deny?.forEach((rule, i) => {
    problems.push(...ruleGlobProblems(rule, ['access', 'deny', i]));
    rule.except?.forEach((role, j) =>
      knownRole(role, ['access', 'deny', i, 'except', j]),
    );
  });
  access.protected?.roles?.forEach((role, i) =>
    knownRole(role, ['access', 'protected', 'roles', i]),
  );
  access.protected?.paths?.forEach((glob, i) =>
    globProblem(glob, ['access', 'protected', 'paths', i], problems),
  );
  access.override?.roles?.forEach((role, i) =>
    knownRole(role, ['access', 'override', 'roles', i]),
  );
  return problems;
}

/**
 * A login or email that two identities claim would make the pusher's
 * rights depend on which entry is read first.
 */
function duplicateClaims(document: PolicyDocument): Problem[] {
  const owners = new Map<string, string>();
  const problems: Problem[] = [];
  for (const [name, identity] of Object.entries(document.identities ?? {})) {
    const claims = [
      ...(identity.logins ?? []).map((login, i) => ({
        key: `login:${login}`,
        segments: ['identities', name, 'logins', i],
      })),
      ...(identity.emails ?? []).map((email, i) => ({
        key: `email:${email.toLowerCase()}`,
        segments: ['identities', name, 'emails', i],
      })),
    ];
    if (identity.github) {
      claims.push({
        key: `login:${identity.github.toLowerCase()}`,
        segments: ['identities', name, 'github'],
      });
    }
    for (const claim of claims) {
      const owner = owners.get(claim.key);
      if (owner !== undefined && owner !== name) {
        problems.push({
          segments: claim.segments,
          message: `${claim.key.replace(':', ' ')} is already claimed by identity ${owner}`,
        });
      } else {
        owners.set(claim.key, name);
      }
    }
  }
  return problems;
}

function ruleGlobProblems(
  rule: AccessRuleDocument,
  segments: (string | number)[],
): Problem[] {
  const problems: Problem[] = [];
  for (const field of ['refs', 'paths', 'commands'] as const) {
    rule[field]?.forEach((glob, i) =>
      globProblem(glob, [...segments, field, i], problems),
    );
  }
  return problems;
}

function globProblem(
  glob: string,
  segments: (string | number)[],
  problems: Problem[],
) {
  const error = globError(glob.startsWith('!') ? glob.slice(1) : glob);
  if (error) {
    problems.push({
      segments,
      message: `expected a valid glob pattern (${error})`,
    });
  }
}

function findCycle(
  start: string,
  document: PolicyDocument,
): string[] | undefined {
  const roles = allRoleDocuments(document);
  const path: string[] = [];
  const walk = (name: string): string[] | undefined => {
    if (path.includes(name)) return [...path.slice(path.indexOf(name)), name];
    path.push(name);
    for (const parent of roles[name]?.extends ?? []) {
      const cycle = walk(parent);
      if (cycle) return cycle;
    }
    path.pop();
    return undefined;
  };
  const cycle = walk(start);
  // Report a cycle once, at the role that starts it.
  return cycle && cycle[0] === start ? cycle : undefined;
}

/**
 * Rules that are legal but almost certainly not what the author meant:
 * a grant that a deny always beats, fields an action never reads, a role
 * that demands signatures from someone with no key. Reported as warnings.
 */
export function accessWarnings(document: PolicyDocument): string[] {
  const warnings: string[] = [];
  const roles = allRoleDocuments(document);
  const globalDeny = document.access?.deny ?? [];

  for (const [name, role] of Object.entries(document.roles ?? {})) {
    role.grants?.forEach((grant, i) => {
      const where = `roles.${name}.grants[${i}]`;
      warnings.push(...unusedFields(grant, where));
      role.deny?.forEach((deny, j) => {
        if (covers(deny, grant)) {
          warnings.push(
            `${where} is contradicted by roles.${name}.deny[${j}]: the deny always wins, so the grant never applies`,
          );
        }
      });
      globalDeny.forEach((deny, j) => {
        if (covers(deny, grant) && !deny.except?.includes(name)) {
          warnings.push(
            `${where} is contradicted by access.deny[${j}]: the deny always wins, so the grant never applies to role ${name}`,
          );
        }
      });
    });
    role.deny?.forEach((rule, i) =>
      warnings.push(...unusedFields(rule, `roles.${name}.deny[${i}]`)),
    );
  }
  globalDeny.forEach((rule, i) =>
    warnings.push(...unusedFields(rule, `access.deny[${i}]`)),
  );

  for (const [name, identity] of Object.entries(document.identities ?? {})) {
    const signedRoles = (identity.roles ?? []).filter(
      (role) => roles[role]?.requireSigned,
    );
    if (signedRoles.length > 0 && !identity.signingKeys?.length) {
      warnings.push(
        `identities.${name} holds ${signedRoles.join(', ')}, which require signed commits, but lists no signingKeys: those roles never apply to it`,
      );
    }
  }
  return warnings;
}

function unusedFields(rule: AccessRuleDocument, where: string): string[] {
  const acts = new Set(rule.actions);
  const all = acts.has('*');
  const out: string[] = [];
  if (rule.paths && !all && !acts.has('modify')) {
    out.push(
      `${where} lists paths but not the modify action: paths are only judged for modify`,
    );
  }
  if (rule.commands && !all && !acts.has('run')) {
    out.push(
      `${where} lists commands but not the run action: commands are only judged for run`,
    );
  }
  return out;
}

/**
 * Whether a deny rule certainly matches everything a grant does: it names
 * every action of the grant and its patterns are absent (everything) or
 * the same as the grant's. A cheap, conservative test: it never warns
 * about a grant that still applies somewhere.
 */
function covers(deny: AccessRuleDocument, grant: AccessRuleDocument): boolean {
  const actions = new Set(deny.actions);
  const allActions = actions.has('*');
  if (!allActions && !grant.actions.every((action) => actions.has(action))) {
    return false;
  }
  if (grant.actions.includes('*') && !allActions) return false;
  const same = (a?: string[], b?: string[]) =>
    a === undefined || JSON.stringify(a) === JSON.stringify(b);
  return (
    same(deny.refs, grant.refs) &&
    same(deny.paths, grant.paths) &&
    same(deny.commands, grant.commands)
  );
}
