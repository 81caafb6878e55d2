import type { Action } from '../policy/roles.ts';

/** One thing refused inside a ref update. */
export interface Refusal {
  /** A role action, or the name of another check run over the push. */
  action: Action | 'trailers' | 'secrets';
  path?: string;
  commit?: string;
  rule?: string;
  reason: string;
}

/**
 * The structured record of one judged ref update: what the ledger stores
 * and `--json` prints. Stable field names; `verdict` is what enforcement
 * acts on (`allowed`, `overridden` and `not-configured` let the ref
 * through, `refused` does not).
 */
export interface AccessDecision {
  type: 'gitwarden.access';
  version: 1;
  time: string;
  point: 'pre-receive' | 'pre-push' | 'ci';
  ref: string;
  oldSha: string;
  newSha: string;
  action: Action;
  verdict: 'allowed' | 'refused' | 'overridden' | 'not-configured';
  identity: {
    claimed: string;
    via: string;
    name: string | null;
    roles: string[];
  };
  policy: { revision: string | null; sources: string[] };
  commits: number;
  paths: number;
  /** At most MAX_LISTED refusals; `refusedCount` has the total. */
  refusals: Refusal[];
  refusedCount: number;
  /** Set only when an owner's break-glass override let a refusal through. */
  override: { reason: string; by: string; source: string } | null;
  /** Whom to ask, for a refusal: roles that would be allowed. */
  askRoles: string[];
}

export const MAX_LISTED = 20;

export function passes(decision: AccessDecision): boolean {
  return decision.verdict !== 'refused';
}

/** One line per refused ref, then its reasons; what a pusher reads. */
export function renderDecision(decision: AccessDecision): string[] {
  const who = decision.identity.name ?? decision.identity.claimed;
  switch (decision.verdict) {
    case 'allowed':
      return [];
    case 'not-configured':
      return [
        `${decision.ref}: role checks not configured (the policy names no identities)`,
      ];
    case 'overridden':
      return [
        `OVERRIDE ${decision.ref}: ${decision.refusedCount} refusal(s) overridden by ${decision.override?.by} — reason: ${decision.override?.reason}`,
        ...decision.refusals.map((r) => `  overridden: ${line(r)}`),
      ];
    case 'refused': {
      const more = decision.refusedCount - decision.refusals.length;
      const ask = decision.askRoles.length
        ? [`  ask someone with role ${decision.askRoles.join(' or ')}`]
        : [];
      return [
        `refused ${decision.ref} (${decision.action} by ${who}):`,
        ...decision.refusals.map((r) => `  ${line(r)}`),
        ...(more > 0 ? [`  ... and ${more} more`] : []),
        ...ask,
      ];
    }
  }
}

function line(refusal: Refusal): string {
  const commit = refusal.commit ? `${refusal.commit.slice(0, 12)}: ` : '';
  return `${commit}${refusal.reason}`;
}
