// Builds a report in one pass over the ledger's records: each event goes
// to the SLA engine, the evidence counters and the audit trail, and only
// their bounded state is kept. A report for any past period is rebuilt
// the same way from the same ledger.

import type { PolicyDocument } from '../policy/types.ts';
import { judgeControls } from './compliance.ts';
import type { ControlSet } from './controls.ts';
import { EvidenceAccumulator } from './evidence.ts';
import type { LedgerIntegrity, ReportEvent } from './events.ts';
import { forEachFileLine, forEachLine } from './jsonl.ts';
import type { Period } from './period.ts';
import { eventFromLine } from './records.ts';
import { SlaAccumulator } from './sla.ts';
import { resolveSlaPolicy } from './sla-policy.ts';
import { TrailAccumulator } from './trail.ts';
import { REPORT_SCHEMA_VERSION, type Report } from './types.ts';

export interface ReportOptions {
  policy: PolicyDocument;
  period: Period;
  integrity: LedgerIntegrity;
  controls: ControlSet;
  /** Where the records came from, as the report should name it. */
  ledger: string;
  /** How many of the latest records the audit trail keeps. */
  trailLimit?: number;
  /** The report's own time stamp, injected so tests are repeatable. */
  now?: number;
}

export const DEFAULT_TRAIL_LIMIT = 2000;
const SKIP_EXAMPLES = 5;

/** Collects events one by one; `finish` returns the report. */
export class ReportBuilder {
  readonly #options: ReportOptions;
  readonly #sla: SlaAccumulator;
  readonly #evidence: EvidenceAccumulator;
  readonly #trail: TrailAccumulator;
  readonly #seenAgents = new Set<string>();
  readonly #skipExamples: string[] = [];
  #records = 0;
  #skipped = 0;

  constructor(options: ReportOptions) {
    this.#options = options;
    this.#sla = new SlaAccumulator(
      resolveSlaPolicy(options.policy),
      options.period,
    );
    this.#evidence = new EvidenceAccumulator(options.period);
    this.#trail = new TrailAccumulator(
      options.trailLimit ?? DEFAULT_TRAIL_LIMIT,
    );
  }

  /** One line of a ledger export. */
  addLine(line: string): void {
    const parsed = eventFromLine(line);
    if (parsed.ok) {
      this.addEvent(parsed.event);
      return;
    }
    this.#records += 1;
    this.#skipped += 1;
    if (this.#skipExamples.length < SKIP_EXAMPLES) {
      const where = parsed.id ? `record ${parsed.id}` : `line ${this.#records}`;
      this.#skipExamples.push(`${where}: ${parsed.problem}`);
    }
  }

  addEvent(event: ReportEvent): void {
    this.#records += 1;
    if (event.type === 'operation') this.#sla.add(event);
    this.#evidence.add(event);
    const { since, until } = this.#options.period;
    if (event.time < since || event.time >= until) return;
    this.#trail.add(event);
    if (event.agent !== undefined) this.#seenAgents.add(event.agent);
  }

  finish(): Report {
    const { policy, period, integrity, controls } = this.#options;
    const listed = Object.keys(policy.agents ?? {});
    const sla = this.#sla.result(listed);
    const auditTrail = this.#trail.result();
    const compliance = judgeControls(
      controls.controls,
      controls.files,
      this.#evidence.measures(integrity),
    );
    return {
      schemaVersion: REPORT_SCHEMA_VERSION,
      generatedAt: new Date(this.#options.now ?? Date.now()).toISOString(),
      period: {
        since: new Date(period.since).toISOString(),
        until: new Date(period.until).toISOString(),
      },
      source: {
        ledger: this.#options.ledger,
        records: this.#records,
        inPeriod: auditTrail.total,
        skipped: this.#skipped,
      },
      integrity,
      sla,
      compliance,
      auditTrail,
      warnings: this.#warnings(listed, auditTrail.total),
    };
  }

  #warnings(listed: string[], inPeriod: number): string[] {
    const warnings: string[] = [];
    const { integrity } = this.#options;
    // Integrity comes first: every other figure rests on it.
    if (integrity.status === 'failed') {
      warnings.push(
        `the ledger FAILED verification (${integrity.problems.length} problem(s)); figures below come from records that cannot be trusted`,
      );
    } else if (integrity.status === 'not-verified') {
      warnings.push(
        'the ledger was not verified for this report; integrity controls have no evidence',
      );
    }
    if (this.#records === 0) warnings.push('the ledger holds no records');
    else if (inPeriod === 0) warnings.push('no record falls inside the period');
    if (this.#skipped > 0) {
      warnings.push(
        `${this.#skipped} record(s) skipped as unreadable or not gitwarden records, e.g. ${this.#skipExamples.join('; ')}`,
      );
    }
    const known = new Set(listed);
    const unknown = [...this.#seenAgents].filter((a) => !known.has(a)).sort();
    if (listed.length > 0 && unknown.length > 0) {
      warnings.push(
        `records name agents the policy does not list: ${unknown.join(', ')}`,
      );
    }
    return warnings;
  }
}

/** Builds a report from a ledger export file, streamed line by line. */
export async function buildReportFromFile(
  path: string,
  options: ReportOptions,
): Promise<Report> {
  const builder = new ReportBuilder(options);
  await forEachFileLine(path, (line) => builder.addLine(line));
  return builder.finish();
}

/** Builds a report from a stream of ledger export bytes. */
export async function buildReportFromStream(
  chunks: AsyncIterable<Uint8Array>,
  options: ReportOptions,
): Promise<Report> {
  const builder = new ReportBuilder(options);
  await forEachLine(chunks, (line) => builder.addLine(line));
  return builder.finish();
}

/** Builds a report from events already in memory (tests, small inputs). */
export function buildReportFromEvents(
  events: Iterable<ReportEvent>,
  options: ReportOptions,
): Report {
  const builder = new ReportBuilder(options);
  for (const event of events) builder.addEvent(event);
  return builder.finish();
}
