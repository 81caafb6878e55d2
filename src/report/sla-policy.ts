// The `sla` section of the policy, with its defaults applied. Defaults
// follow the SRE workbook's multiwindow, multi-burn-rate alerts for a 30
// day SLO window: 2% of the budget in 1 hour, 5% in 6 hours, 10% in 3 days.

import type { PolicyDocument } from '../policy/types.ts';
import { parseDuration } from './period.ts';

export interface BurnRateRule {
  severity: 'page' | 'ticket';
  longMs: number;
  shortMs: number;
  /** Alert when both windows burn at least this many times the budget. */
  factor: number;
}

export interface SlaPolicy {
  target: number;
  windowMs: number;
  /** Fewer attempts than this in a long window: no alert, "too few". */
  minEvents: number;
  agentTargets: Record<string, number>;
  burnRate: BurnRateRule[];
}

export const DEFAULT_TARGET = 0.999;

const DEFAULT_BURN_RATE = [
  { severity: 'page', long: '1h', short: '5m', factor: 14.4 },
  { severity: 'page', long: '6h', short: '30m', factor: 6 },
  { severity: 'ticket', long: '3d', short: '6h', factor: 1 },
] as const;

export function resolveSlaPolicy(document: PolicyDocument): SlaPolicy {
  const sla = document.sla ?? {};
  const agentTargets: Record<string, number> = {};
  for (const [agent, entry] of Object.entries(sla.agents ?? {})) {
    if (entry.target !== undefined) agentTargets[agent] = entry.target;
  }
  return {
    target: sla.target ?? DEFAULT_TARGET,
    windowMs: parseDuration(sla.window ?? '30d'),
    minEvents: sla.minEvents ?? 10,
    agentTargets,
    burnRate: (sla.burnRate ?? DEFAULT_BURN_RATE).map((rule) => ({
      severity: rule.severity ?? 'page',
      longMs: parseDuration(rule.long),
      shortMs: parseDuration(rule.short),
      factor: rule.factor,
    })),
  };
}

export function targetFor(policy: SlaPolicy, agent: string): number {
  return policy.agentTargets[agent] ?? policy.target;
}
