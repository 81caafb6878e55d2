import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  buildReportFromFile,
  type ReportOptions,
} from '../src/report/build.ts';
import { loadControls, type ControlSet } from '../src/report/controls.ts';
import type { LedgerIntegrity } from '../src/report/events.ts';
import { NOT_VERIFIED } from '../src/report/records.ts';
import type { Report } from '../src/report/types.ts';
import { cleanupTempDirs, tempDir } from './helpers/repo.ts';
import {
  decision,
  keyEvent,
  line,
  operation,
  protectionCheck,
  review,
  secretFinding,
  writeLedger,
  type Predicate,
} from './helpers/report-records.ts';
import { reportSchemaErrors } from './helpers/report-schema.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const UNTIL = Date.parse('2026-03-01T00:00:00Z');
const VERIFIED: LedgerIntegrity = {
  status: 'verified',
  problems: [],
  checkpoint: { size: 40, root: 'ab'.repeat(32) },
  anchored: true,
};

let controls: ControlSet;
beforeAll(async () => {
  controls = await loadControls();
});
afterAll(cleanupTempDirs);

function options(overrides: Partial<ReportOptions> = {}): ReportOptions {
  return {
    policy: { agents: { coder: {}, reviewer: {} } },
    period: { since: UNTIL - 30 * DAY, until: UNTIL },
    integrity: VERIFIED,
    controls,
    ledger: 'test ledger',
    now: UNTIL,
    ...overrides,
  };
}

async function reportOf(
  records: Predicate[],
  overrides: Partial<ReportOptions> = {},
): Promise<Report> {
  const file = join(tempDir(), 'ledger.jsonl');
  await writeLedger(file, records);
  const report = await buildReportFromFile(file, options(overrides));
  expect(reportSchemaErrors(report)).toEqual([]);
  return report;
}

/** A month of a well-governed repository. */
function healthyMonth(): Predicate[] {
  const t = UNTIL - 10 * DAY;
  return [
    keyEvent({
      time: UNTIL - 100 * DAY,
      keyId: 'k1',
      change: 'add',
      id: 'key-1',
    }),
    keyEvent({
      time: UNTIL - 20 * DAY,
      keyId: 'k1',
      change: 'rotate',
      id: 'key-2',
    }),
    protectionCheck({ time: t, matches: true, id: 'prot-1' }),
    decision({
      time: t,
      action: 'commit',
      check: 'trailers',
      decision: 'allow',
      agent: 'coder',
    }),
    decision({
      time: t,
      action: 'commit',
      check: 'secrets',
      decision: 'allow',
      agent: 'coder',
    }),
    decision({
      time: t + 1,
      action: 'push',
      decision: 'deny',
      actor: 'mallory',
      id: 'push-denied',
    }),
    review({ time: t + 2, author: 'alice', approvers: ['bob'] }),
    ...Array.from({ length: 50 }, (_, i) =>
      operation({
        agent: i % 2 ? 'coder' : 'reviewer',
        end: t + i * HOUR,
        durationMs: 100 + i,
      }),
    ),
  ];
}

const statusOf = (report: Report, id: string) =>
  report.compliance.controls.find((c) => c.id === id)?.status;

describe('a report from a ledger export', () => {
  it('validates against the schema and meets every control a healthy month proves', async () => {
    const report = await reportOf(healthyMonth());
    expect(report.warnings).toEqual([]);
    expect(report.source).toMatchObject({
      records: 57,
      inPeriod: 56,
      skipped: 0,
    });
    expect(report.sla.overall.attempts).toBe(50);
    expect(report.compliance.totals).toEqual({
      met: 13,
      'not-met': 0,
      'no-evidence': 0,
    });
    const cc61 = report.compliance.controls.find((c) => c.id === 'CC6.1')!;
    expect(
      cc61.evidence.find((e) => e.metric === 'protection.matches')!.records,
    ).toEqual(['prot-1']);
  });

  it('links each control to the records that prove it', async () => {
    const report = await reportOf(healthyMonth());
    const cc66 = report.compliance.controls.find((c) => c.id === 'CC6.6')!;
    const refused = cc66.evidence.find(
      (e) => e.metric === 'pushes.refusedWithActor',
    )!;
    expect(refused).toMatchObject({
      value: 1,
      result: 'pass',
      records: ['push-denied'],
    });
    const keys = report.compliance.controls
      .find((c) => c.id === '164.312(d)')!
      .evidence.find((e) => e.metric === 'keys.maxAgeDays')!;
    // Rotated 20 days before the period's end: the age counts from then.
    expect(keys).toMatchObject({ value: 20, records: ['key-2'] });
  });

  it('marks controls not met when the evidence says so', async () => {
    const records = [
      ...healthyMonth(),
      secretFinding({ time: UNTIL - DAY, resolution: 'open', id: 'leak-1' }),
      review({ time: UNTIL - DAY, author: 'alice', approvers: ['alice'] }),
      protectionCheck({ time: UNTIL - HOUR, matches: false, id: 'drift-1' }),
    ];
    const report = await reportOf(records);
    expect(statusOf(report, 'CC6.8')).toBe('not-met');
    expect(statusOf(report, 'CC8.1')).toBe('not-met');
    expect(statusOf(report, 'CC7.1')).toBe('not-met');
    const cc71 = report.compliance.controls.find((c) => c.id === 'CC7.1')!;
    expect(cc71.evidence[0]!.records).toEqual(['drift-1']);
  });
});

describe('bad input', () => {
  it('an empty ledger: a valid report that says so, no evidence anywhere', async () => {
    const report = await reportOf([], { integrity: NOT_VERIFIED });
    expect(report.warnings).toContain('the ledger holds no records');
    expect(report.sla.overall.state).toBe('no-data');
    expect(report.compliance.totals.met).toBe(0);
    expect(report.compliance.totals['not-met']).toBe(0);
    expect(report.auditTrail.entries).toEqual([]);
  });

  it('a ledger that failed verification: said first, integrity controls not met', async () => {
    const report = await reportOf(healthyMonth(), {
      integrity: {
        status: 'failed',
        problems: ['record 12: signature does not verify'],
        checkpoint: undefined,
        anchored: false,
      },
    });
    expect(report.warnings[0]).toMatch(/FAILED verification/);
    for (const id of ['164.312(b)', '164.312(c)(1)', 'CC8.1']) {
      expect(statusOf(report, id)).toBe('not-met');
    }
    expect(report.integrity.problems).toEqual([
      'record 12: signature does not verify',
    ]);
  });

  it('records from agents the policy does not list are reported and named', async () => {
    const report = await reportOf([
      ...healthyMonth(),
      operation({ agent: 'ghost', end: UNTIL - DAY, durationMs: 10 }),
    ]);
    expect(report.warnings).toContain(
      'records name agents the policy does not list: ghost',
    );
    expect(report.sla.agents.find((a) => a.agent === 'ghost')!.known).toBe(
      false,
    );
  });

  it('a period with no data: no figures, and a warning', async () => {
    const report = await reportOf(healthyMonth(), {
      period: { since: UNTIL + DAY, until: UNTIL + 2 * DAY },
    });
    expect(report.warnings).toContain('no record falls inside the period');
    expect(report.sla.overall).toMatchObject({
      state: 'no-data',
      availability: null,
    });
    expect(report.sla.agents.every((a) => a.state === 'no-data')).toBe(true);
    expect(report.source.inPeriod).toBe(0);
  });

  it('lines that are not gitwarden records are skipped and counted, not fatal', async () => {
    const file = join(tempDir(), 'ledger.jsonl');
    const good = line(
      operation({ agent: 'coder', end: UNTIL - DAY, durationMs: 5 }),
    );
    writeFileSync(
      file,
      `${good}\nnot json\n{"payload":"e30=","payloadType":"x"}\n\n${good}\r\n`,
    );
    const report = await buildReportFromFile(file, options());
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.source).toMatchObject({ records: 4, skipped: 2 });
    expect(report.sla.overall.attempts).toBe(2);
    expect(report.warnings.join('\n')).toMatch(
      /2 record\(s\) skipped.*line 2: not JSON/,
    );
  });

  it('a missing ledger file is an error naming it (exit 3)', async () => {
    const missing = join(tempDir(), 'nope.jsonl');
    await expect(buildReportFromFile(missing, options())).rejects.toMatchObject(
      {
        code: 'INPUT_UNREADABLE',
        exitCode: 3,
        message: expect.stringContaining(missing),
      },
    );
  });
});

describe('periods', () => {
  it('a past period is rebuilt from a ledger that has grown since', async () => {
    const past = { since: UNTIL - 30 * DAY, until: UNTIL - 5 * DAY };
    const records = healthyMonth();
    const later = [
      operation({
        agent: 'coder',
        end: UNTIL - DAY,
        durationMs: 9,
        outcome: 'failure',
      }),
      decision({ time: UNTIL - DAY, action: 'push', decision: 'deny' }),
    ];
    const then = await reportOf(
      records.filter((r) => Date.parse(r.time as string) < past.until),
      { period: past },
    );
    const now = await reportOf([...records, ...later], { period: past });
    expect(now.sla).toEqual(then.sla);
    expect(now.compliance).toEqual(then.compliance);
    expect(now.auditTrail).toEqual(then.auditTrail);
  });

  it('keeps only the latest records in the audit trail, and says so', async () => {
    const report = await reportOf(healthyMonth(), { trailLimit: 5 });
    expect(report.auditTrail.total).toBe(56);
    expect(report.auditTrail.entries).toHaveLength(5);
    expect(report.auditTrail.truncated).toBe(true);
    const times = report.auditTrail.entries.map((e) => e.time);
    expect(times).toEqual([...times].sort());
  });
});
