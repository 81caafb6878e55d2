import { statSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { ReportBuilder } from '../src/report/build.ts';
import { loadControls } from '../src/report/controls.ts';
import { forEachFileLine } from '../src/report/jsonl.ts';
import { NOT_VERIFIED } from '../src/report/records.ts';
import { cleanupTempDirs, tempDir } from './helpers/repo.ts';
import { operation, writeLedger } from './helpers/report-records.ts';
import { reportSchemaErrors } from './helpers/report-schema.ts';

afterAll(cleanupTempDirs);

const UNTIL = Date.parse('2026-03-01T00:00:00Z');
const MB = 1024 * 1024;

describe('a 100 MB ledger export', () => {
  it('is streamed: the figures are right and memory does not follow the file', async () => {
    const file = join(tempDir(), 'ledger.jsonl');
    // Padding in the task name brings each line near 700 bytes, as real
    // records with commands and reasons are.
    const count = 150_000;
    const task = `GW-1 ${'p'.repeat(180)}`;
    function* records() {
      for (let i = 0; i < count; i += 1) {
        yield operation({
          id: `op-${i}`,
          agent: `agent-${i % 5}`,
          task,
          end: UNTIL - 1 - Math.floor((i * 29 * 86_400_000) / count),
          durationMs: 100 + (i % 1000),
          outcome: i % 1000 === 0 ? 'failure' : 'success',
        });
      }
    }
    await writeLedger(file, records());
    expect(statSync(file).size).toBeGreaterThan(100 * MB);

    const builder = new ReportBuilder({
      policy: {},
      period: { since: UNTIL - 30 * 86_400_000, until: UNTIL },
      integrity: NOT_VERIFIED,
      controls: await loadControls(),
      ledger: file,
      now: UNTIL,
    });
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let lines = 0;
    await forEachFileLine(file, (line) => {
      builder.addLine(line);
      lines += 1;
      if (lines % 5000 === 0) {
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
    });
    const report = builder.finish();

    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.source.records).toBe(count);
    expect(report.sla.overall.attempts).toBe(count);
    expect(report.sla.overall.successes).toBe(count - count / 1000);
    expect(report.sla.agents.map((a) => a.agent)).toEqual([
      'agent-0',
      'agent-1',
      'agent-2',
      'agent-3',
      'agent-4',
    ]);
    expect(report.auditTrail.entries).toHaveLength(2000);
    // Holding the file would take more than its 100 MB of heap (strings
    // are UTF-16, records are objects); streaming keeps well below that.
    expect(peak).toBeLessThan(80 * MB);
  });
});
