// The report as JSON: schemas/report.schema.json describes the same shape
// for readers outside TypeScript. Times are RFC 3339 strings, durations
// milliseconds, ratios numbers from 0 to 1. `null` means "no data": no
// record exists to compute the figure from, and none is invented.

import type { LedgerIntegrity } from './events.ts';

export const REPORT_SCHEMA_VERSION = 1;

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generatedAt: string;
  period: { since: string; until: string };
  source: ReportSource;
  integrity: LedgerIntegrity;
  sla: SlaReport;
  compliance: ComplianceReport;
  auditTrail: AuditTrail;
  warnings: string[];
}

export interface ReportSource {
  /** Where the records came from: a file path or a ledger ref. */
  ledger: string;
  /** Lines read, whatever they held. */
  records: number;
  /** Records whose event falls inside the period. */
  inPeriod: number;
  /** Records that were not gitwarden records or lacked a needed field. */
  skipped: number;
}

export type AlertState = 'ok' | 'ticket' | 'page' | 'no-data';

export interface BurnRateWindow {
  severity: 'page' | 'ticket';
  long: string;
  short: string;
  factor: number;
  /** Error rate over the window divided by the error budget; null: no data. */
  longBurnRate: number | null;
  shortBurnRate: number | null;
  longAttempts: number;
  shortAttempts: number;
  /** The long window held fewer attempts than the policy's minEvents. */
  tooFewEvents: boolean;
  firing: boolean;
}

export interface ServiceLevel {
  /** `no-data` when the period holds no attempt. */
  state: 'ok' | 'no-data';
  target: number;
  attempts: number;
  successes: number;
  outcomes: Record<string, number>;
  availability: number | null;
  responseTimeMs: { p50: number; p95: number; p99: number } | null;
  errorBudget: {
    /** Failures the target allows in this period's attempts. */
    allowedFailures: number;
    failures: number;
    /** 1 = untouched, 0 = spent, below 0 = overspent. */
    remaining: number;
  } | null;
  burnRate: BurnRateWindow[];
  alert: AlertState;
}

export interface AgentServiceLevel extends ServiceLevel {
  agent: string;
  /** False when the policy lists agents and this one is not among them. */
  known: boolean;
}

export interface SlaReport {
  target: number;
  window: string;
  minEvents: number;
  sketch: { algorithm: string; library: string; relativeAccuracy: number };
  definitions: Record<'attempt' | 'success' | 'responseTime', string>;
  overall: ServiceLevel;
  agents: AgentServiceLevel[];
  series: SlaSeries;
}

/** Per-agent figures over time, for the dashboard's charts. */
export interface SlaSeries {
  bucketMs: number;
  /** Start of each bucket, ms since the epoch. */
  starts: number[];
  agents: {
    agent: string;
    attempts: number[];
    /** Per bucket; null where the bucket holds no attempt. */
    availability: (number | null)[];
    p95Ms: (number | null)[];
  }[];
}

export type ControlStatus = 'met' | 'not-met' | 'no-evidence';

export interface EvidenceResult {
  metric: string;
  description: string;
  /** The measured value; null when no record could produce it. */
  value: number | boolean | null;
  expectation: string;
  result: 'pass' | 'fail' | 'no-evidence';
  /** Ids of the records that prove it (a sample when there are many). */
  records: string[];
  recordsTotal: number;
}

export interface ControlResult {
  id: string;
  framework: string;
  summary: string;
  status: ControlStatus;
  evidence: EvidenceResult[];
}

export interface ComplianceReport {
  /** Files the control mapping came from, built-in first. */
  mappings: string[];
  totals: Record<ControlStatus, number>;
  controls: ControlResult[];
}

export interface TrailEntry {
  id: string;
  time: string;
  type: string;
  agent: string | null;
  task: string | null;
  actor: string | null;
  action: string;
  outcome: string;
  detail: string;
}

export interface AuditTrail {
  /** Records in the period. */
  total: number;
  /** The latest ones, oldest first; at most the trail limit. */
  entries: TrailEntry[];
  truncated: boolean;
}
