import { accessWarnings } from './roles-check.ts';
import type { Policy, PolicyDocument, PolicySource } from './types.ts';

/**
 * The built-in policy (documented in the README): Agent and Task trailers
 * are required with any non-empty value, merge commits are exempt, and no
 * identities are named, so agent-identity binding and role checks report
 * "not configured" instead of refusing everything.
 */
export function defaultPolicyDocument(): PolicyDocument {
  return {
    version: 1,
    trailers: {
      required: [{ key: 'Agent' }, { key: 'Task' }],
    },
  };
}

export function resolvePolicy(
  document: PolicyDocument,
  source: PolicySource,
): Policy {
  const trailers = document.trailers ?? {};
  const required = trailers.required ?? [{ key: 'Agent' }, { key: 'Task' }];
  return {
    source,
    document,
    trailers: {
      enabled: trailers.enabled ?? true,
      required: required.map((entry) => ({
        key: entry.key,
        pattern:
          entry.pattern === undefined
            ? undefined
            : new RegExp(entry.pattern, 'u'),
        description: entry.description,
      })),
      agentKey: trailers.agentKey ?? 'Agent',
      separators: trailers.separators ?? ':',
      identity: trailers.identity ?? 'author',
      exemptMerges: trailers.exempt?.merges ?? true,
      exemptAuthors: trailers.exempt?.authors ?? [],
    },
    agents: document.agents ?? {},
    identities: document.identities ?? {},
    warnings: accessWarnings(document),
  };
}
