import type { SchemaProblem } from './errors.ts';
import type { PolicyDocument } from './types.ts';

/**
 * Things that are allowed but almost certainly not meant: the policy still
 * loads, and `gitwarden policy validate` prints them and exits 0. Each one
 * names the field to look at, like an error does.
 */
export function policyWarnings(document: PolicyDocument): SchemaProblem[] {
  return [
    ...trailerWarnings(document),
    ...identityWarnings(document),
    ...exemptAuthorWarnings(document),
  ];
}

function trailerWarnings(document: PolicyDocument): SchemaProblem[] {
  const trailers = document.trailers;
  const required = trailers?.required;
  if (!trailers || !required || trailers.enabled === false) return [];
  const warnings: SchemaProblem[] = [];

  if (required.length === 0) {
    warnings.push({
      segments: ['trailers', 'required'],
      target: 'value',
      message: 'no trailer is required, so every commit passes',
    });
  }

  const seen = new Map<string, number>();
  required.forEach(({ key }, index) => {
    const first = seen.get(key.toLowerCase());
    if (first === undefined) seen.set(key.toLowerCase(), index);
    else {
      warnings.push({
        segments: ['trailers', 'required', index, 'key'],
        target: 'value',
        message: `'${key}' is already required at trailers.required[${first}] (keys compare case-insensitively)`,
      });
    }
  });

  const agentKey = trailers.agentKey ?? 'Agent';
  if (required.length > 0 && !seen.has(agentKey.toLowerCase())) {
    warnings.push({
      segments: trailers.agentKey ? ['trailers', 'agentKey'] : ['trailers'],
      target: 'value',
      message: `the agent trailer '${agentKey}' is not in trailers.required, so a commit without it is never tied to an agent`,
    });
  }
  return warnings;
}

function identityWarnings(document: PolicyDocument): SchemaProblem[] {
  const warnings: SchemaProblem[] = [];
  const agents = document.agents;
  for (const [name, identity] of Object.entries(document.identities ?? {})) {
    if (!identity.emails?.length && identity.github === undefined) {
      warnings.push({
        segments: ['identities', name],
        target: 'key',
        message:
          'names neither emails nor a github login, so no commit can be matched to it',
      });
    }
    // Without an agents section the policy does not list its agents, so
    // any name is taken as written.
    if (!agents) continue;
    identity.agents?.forEach((agent, index) => {
      if (agent === '*' || Object.hasOwn(agents, agent)) return;
      warnings.push({
        segments: ['identities', name, 'agents', index],
        target: 'value',
        message: `agent '${agent}' is not defined under agents`,
      });
    });
  }
  return warnings;
}

/**
 * An exempt author pattern is matched against a commit's email. A pattern
 * that cannot match any email exempts nobody, which is rarely the intent.
 */
function exemptAuthorWarnings(document: PolicyDocument): SchemaProblem[] {
  const warnings: SchemaProblem[] = [];
  document.trailers?.exempt?.authors?.forEach((glob, index) => {
    const reason = neverMatchesEmail(glob);
    if (!reason) return;
    warnings.push({
      segments: ['trailers', 'exempt', 'authors', index],
      target: 'value',
      message: `'${glob}' can never match an author email: ${reason}`,
    });
  });
  return warnings;
}

export function neverMatchesEmail(glob: string): string | undefined {
  if (glob.includes('/')) {
    return "it contains '/', which globs never match inside a name";
  }
  if (/\s/.test(glob)) return 'it contains white space';
  const wildcard = /[*?[]/.test(glob);
  if (!glob.includes('@') && !wildcard) {
    return "it has no '@' and no wildcard";
  }
  return undefined;
}
