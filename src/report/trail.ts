// The audit trail a report carries: the latest records of the period, at
// most `limit` of them, so a report of a million records stays readable
// and small. The ledger keeps them all.

import type { ReportEvent } from './events.ts';
import type { AuditTrail, TrailEntry } from './types.ts';

export class TrailAccumulator {
  readonly #limit: number;
  /**
   * A ring of events: once full, the oldest is overwritten. Entries are
   * made at the end, for the few kept, not for every record read.
   */
  readonly #ring: ReportEvent[] = [];
  #next = 0;
  #total = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  add(event: ReportEvent): void {
    this.#total += 1;
    if (this.#limit === 0) return;
    if (this.#ring.length < this.#limit) this.#ring.push(event);
    else this.#ring[this.#next] = event;
    this.#next = (this.#next + 1) % this.#limit;
  }

  result(): AuditTrail {
    const entries = [...this.#ring]
      .sort((a, b) => a.time - b.time)
      .map(trailEntry);
    return {
      total: this.#total,
      entries,
      truncated: this.#total > entries.length,
    };
  }
}

export function trailEntry(event: ReportEvent): TrailEntry {
  const base = {
    id: event.id,
    time: new Date(event.time).toISOString(),
    type: event.type,
    agent: event.agent ?? null,
    task: event.task ?? null,
    actor: event.actor ?? null,
  };
  switch (event.type) {
    case 'operation':
      return {
        ...base,
        action: event.source === 'workflow-run' ? 'workflow-run' : 'run',
        outcome: event.outcome,
        detail: `${event.end - event.start} ms`,
      };
    case 'decision': {
      const override = event.override
        ? ` (overridden by ${event.override.by ?? 'someone'}: ${event.override.reason ?? 'no reason'})`
        : '';
      const check = event.check ? `${event.check}: ` : '';
      return {
        ...base,
        action: event.action,
        outcome: event.decision,
        detail: `${check}${event.reason ?? ''}${override}`.trim(),
      };
    }
    case 'secret':
      return {
        ...base,
        action: 'secret-finding',
        outcome: event.resolution,
        detail: event.rule,
      };
    case 'key':
      return {
        ...base,
        action: `key-${event.change}`,
        outcome: 'recorded',
        detail: event.keyId,
      };
    case 'protection':
      return {
        ...base,
        action: 'protect-check',
        outcome: event.matches ? 'matches' : 'drift',
        detail: event.ref ?? '',
      };
    case 'review':
      return {
        ...base,
        action: 'merge',
        outcome: event.independent ? 'reviewed' : 'not-reviewed',
        detail: event.ref ?? '',
      };
    case 'other':
      return {
        ...base,
        action: event.action,
        outcome: event.decision ?? 'recorded',
        detail: '',
      };
  }
}
