import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

import type { UploadArtifactOptions } from '@actions/artifact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildReportFromEvents } from '../src/report/build.ts';
import { loadControls, type ControlSet } from '../src/report/controls.ts';
import type { ReportEvent } from '../src/report/events.ts';
import { renderMarkdown } from '../src/report/markdown.ts';
import { publishReport } from '../src/report/publish.ts';
import { NOT_VERIFIED } from '../src/report/records.ts';
import { jobSummary, JOB_SUMMARY_LIMIT } from '../src/report/summary.ts';
import type { Report } from '../src/report/types.ts';
import { cleanupTempDirs, tempDir } from './helpers/repo.ts';
import { reportSchemaErrors } from './helpers/report-schema.ts';

const UNTIL = Date.parse('2026-03-01T00:00:00Z');
let controls: ControlSet;
beforeAll(async () => {
  controls = await loadControls();
});
afterAll(cleanupTempDirs);

function ops(
  count: number,
  agents: (i: number) => string,
  detail = '',
): ReportEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'decision',
    id: `dec-${i}`,
    time: UNTIL - 1000 - i * 1000,
    actor: 'alice',
    agent: agents(i),
    task: 'GW-1',
    action: 'push',
    check: 'roles',
    decision: 'allow',
    reason: detail,
    ref: 'refs/heads/main',
    protectedPath: false,
    override: undefined,
  }));
}

function operations(count: number): ReportEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'operation',
    source: 'wrapper',
    id: `op-${i}`,
    time: UNTIL - 1000 - i,
    actor: 'bot',
    agent: `agent-${i}`,
    task: 'GW-1',
    start: UNTIL - 2000 - i,
    end: UNTIL - 1000 - i,
    outcome: 'success',
  }));
}

function reportOf(events: ReportEvent[], trailLimit = 2000): Report {
  return buildReportFromEvents(events, {
    policy: {},
    period: { since: UNTIL - 30 * 86_400_000, until: UNTIL },
    integrity: NOT_VERIFIED,
    controls,
    ledger: 'test',
    trailLimit,
    now: UNTIL,
  });
}

/** Records what reaches @actions/artifact's client. */
function recorder(fail?: Error) {
  const calls: {
    name: string;
    files: string[];
    root: string;
    options?: UploadArtifactOptions;
  }[] = [];
  return {
    calls,
    client: {
      async uploadArtifact(
        name: string,
        files: string[],
        root: string,
        options?: UploadArtifactOptions,
      ) {
        calls.push({ name, files, root, options });
        if (fail) throw fail;
        return { id: 4242, size: 1234 };
      },
    },
  };
}

describe('publishing a report from a workflow', () => {
  it('uploads the JSON and the dashboard as one artifact, with the retention asked for', async () => {
    const dir = tempDir();
    const { calls, client } = recorder();
    const summaries: string[] = [];
    const result = await publishReport({
      report: reportOf(ops(10, () => 'coder')),
      dir,
      retentionDays: 30,
      client,
      runUrl: 'https://github.com/o/r/actions/runs/1',
      writeSummary: async (md) => void summaries.push(md),
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.name).toBe('gitwarden-report');
    expect(calls[0]!.files.map((f) => basename(f))).toEqual([
      'gitwarden-report.json',
      'gitwarden-dashboard.html',
    ]);
    expect(calls[0]!.root).toBe(dir);
    expect(calls[0]!.options).toEqual({ retentionDays: 30 });
    for (const file of calls[0]!.files) expect(existsSync(file)).toBe(true);
    expect(
      reportSchemaErrors(JSON.parse(readFileSync(result.files.json, 'utf8'))),
    ).toEqual([]);
    expect(result.artifact).toEqual({
      name: 'gitwarden-report',
      id: 4242,
      size: 1234,
    });
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toContain(
      'https://github.com/o/r/actions/runs/1/artifacts/4242',
    );
  });

  it('leaves retention to the repository when none is given, and refuses an impossible one', async () => {
    const { calls, client } = recorder();
    const base = {
      report: reportOf([]),
      dir: tempDir(),
      client,
      writeSummary: async () => {},
    };
    await publishReport({ ...base, artifactName: 'nightly' });
    expect(calls[0]).toMatchObject({ name: 'nightly', options: {} });
    await expect(
      publishReport({ ...base, retentionDays: 401 }),
    ).rejects.toMatchObject({ code: 'USAGE' });
    await expect(
      publishReport({ ...base, retentionDays: 0 }),
    ).rejects.toMatchObject({ code: 'USAGE' });
    expect(calls).toHaveLength(1);
  });

  it('still writes the summary when the upload fails, saying where the files are', async () => {
    const { client } = recorder(new Error('artifact service unavailable'));
    const summaries: string[] = [];
    await expect(
      publishReport({
        report: reportOf([]),
        dir: tempDir(),
        client,
        writeSummary: async (md) => void summaries.push(md),
      }),
    ).rejects.toThrow('artifact service unavailable');
    expect(summaries[0]).toMatch(
      /uploading the artifact "gitwarden-report" failed: artifact service unavailable/,
    );
  });
});

describe('the job summary', () => {
  it('is the whole report when it fits', () => {
    const report = reportOf(ops(10, () => 'coder'));
    const summary = jobSummary(report, { fullReport: 'the artifact' });
    expect(summary.shortened).toBe(false);
    expect(summary.markdown).toContain('## Audit trail');
    expect(summary.markdown).toContain('Full report: the artifact.');
  });

  it('shortens a report over 1 MiB, keeping SLA and compliance and pointing to the artifact', () => {
    const report = reportOf(
      ops(4000, (i) => `agent-${i % 7}`, 'x'.repeat(400)),
      4000,
    );
    expect(Buffer.byteLength(renderMarkdown(report))).toBeGreaterThan(
      JOB_SUMMARY_LIMIT,
    );
    const summary = jobSummary(report, {
      fullReport: 'the workflow artifact "gitwarden-report"',
    });
    const bytes = Buffer.byteLength(summary.markdown);
    expect(summary.shortened).toBe(true);
    expect(bytes).toBeLessThanOrEqual(JOB_SUMMARY_LIMIT);
    // Shortened only as much as needed: most of the megabyte is used.
    expect(bytes).toBeGreaterThan(JOB_SUMMARY_LIMIT * 0.9);
    expect(summary.markdown).toContain('| agent-6 |');
    expect(summary.markdown).toContain('## Compliance');
    expect(summary.markdown).toMatch(
      /Shortened to fit GitHub’s 1024 KiB job summary limit.*workflow artifact "gitwarden-report"/,
    );
  });

  it('drops agent rows next, and as a last resort cuts at a line, never losing the pointer', () => {
    const report = reportOf(operations(3000), 10);
    const agents = jobSummary(report, {
      fullReport: 'ART',
      limitBytes: 60_000,
    });
    expect(Buffer.byteLength(agents.markdown)).toBeLessThanOrEqual(60_000);
    expect(agents.markdown).toMatch(/\| … \d+ more agents in the full report/);
    expect(agents.markdown).toContain('is in ART.');

    const tiny = jobSummary(report, { fullReport: 'ART', limitBytes: 1500 });
    expect(Buffer.byteLength(tiny.markdown)).toBeLessThanOrEqual(1500);
    expect(tiny.markdown.startsWith('# gitwarden report')).toBe(true);
    expect(tiny.markdown.trimEnd().endsWith('is in ART.')).toBe(true);
  });

  it('escapes record text, which a summary would otherwise render as HTML', () => {
    const events = ops(1, () => 'evil|<img src=x onerror=alert(1)>');
    const markdown = renderMarkdown(reportOf(events));
    expect(markdown).not.toContain('<img');
    expect(markdown).toContain('evil\\|&lt;img src=x onerror=alert(1)&gt;');
  });
});
