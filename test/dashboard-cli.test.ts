import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cleanupTempDirs, runCli, tempDir } from './helpers/repo.ts';
import { operation, writeLedger } from './helpers/report-records.ts';

const DAY = 86_400_000;
const UNTIL = Date.parse('2026-03-01T00:00:00Z');
let dir: string;
const reports: string[] = [];

beforeAll(async () => {
  dir = tempDir();
  const ledger = join(dir, 'ledger.jsonl');
  // Three weeks; the second has failures.
  await writeLedger(
    ledger,
    Array.from({ length: 300 }, (_, i) =>
      operation({
        agent: i % 2 ? 'coder' : 'reviewer',
        end: UNTIL - 21 * DAY + i * 6_048_000 + 1000,
        durationMs: 100,
        outcome: i >= 100 && i < 200 && i % 10 === 0 ? 'failure' : 'success',
      }),
    ),
  );
  for (const week of [3, 2, 1]) {
    const out = join(dir, `week-${week}.json`);
    const since = new Date(UNTIL - week * 7 * DAY).toISOString();
    const until = new Date(UNTIL - (week - 1) * 7 * DAY).toISOString();
    const result = runCli(
      [
        'report',
        '--ledger',
        ledger,
        '--since',
        since,
        '--until',
        until,
        '--format',
        'json',
        '-o',
        out,
      ],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    reports.push(out);
  }
});
afterAll(cleanupTempDirs);

describe('gitwarden dashboard', () => {
  it('shows the latest report in full and a trend across all of them', () => {
    const out = join(dir, 'dashboard.html');
    // Given out of order: the latest is found by its period, not its place.
    const result = runCli(
      ['dashboard', reports[2]!, reports[0]!, reports[1]!, '-o', out],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(out);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain(
      'Period 2026-02-22T00:00:00.000Z to 2026-03-01T00:00:00.000Z',
    );
    expect(html).toContain('Trend across 3 reports');
    const rows = html.match(
      /<tr><th scope="row">2026-0[23]-\d\dT00:00:00.000Z<\/th><td>[^<]+<\/td>/g,
    )!;
    expect(
      rows.map((r) =>
        r
          .replace(/<[^>]+>/g, ' ')
          .trim()
          .replace(/\s+/g, ' '),
      ),
    ).toEqual([
      '2026-03-01T00:00:00.000Z 100%',
      '2026-02-22T00:00:00.000Z 90%',
      '2026-02-15T00:00:00.000Z 100%',
    ]);
  });

  it('refuses a file that is not a report, naming it and the first problem (exit 2)', () => {
    const bogus = join(dir, 'bogus.json');
    writeFileSync(bogus, JSON.stringify({ schemaVersion: 1, sla: {} }));
    const result = runCli(['dashboard', bogus, '-o', join(dir, 'x.html')], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${bogus} is not a gitwarden report`);
    expect(result.stderr).toMatch(/must have required property/);

    const missing = runCli(['dashboard', join(dir, 'nope.json')], { cwd: dir });
    expect(missing.code).toBe(3);
  });
});
