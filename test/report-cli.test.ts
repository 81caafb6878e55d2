import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cleanupTempDirs, runCli, tempDir } from './helpers/repo.ts';
import { decision, operation, writeLedger } from './helpers/report-records.ts';
import { reportSchemaErrors } from './helpers/report-schema.ts';

const UNTIL = Date.parse('2026-03-01T00:00:00Z');
const DAY = 86_400_000;
let dir: string;
let ledger: string;

beforeAll(async () => {
  dir = tempDir();
  ledger = join(dir, 'ledger.jsonl');
  // The plain `gitwarden ledger export` form; other tests use --raw.
  await writeLedger(ledger, [
    decision({
      time: UNTIL - 3 * DAY,
      action: 'push',
      decision: 'deny',
      actor: 'mallory',
    }),
    ...Array.from({ length: 20 }, (_, i) =>
      operation({
        agent: 'coder',
        end: UNTIL - DAY - i * 1000,
        durationMs: 50 + i,
      }),
    ),
  ]);
});
afterAll(cleanupTempDirs);

const period = ['--since', '2026-02-01', '--until', '2026-03-01'];

describe('gitwarden report', () => {
  it('prints JSON that validates against the schema', () => {
    const result = runCli(
      ['report', '--ledger', ledger, ...period, '--format', 'json'],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.period).toEqual({
      since: '2026-02-01T00:00:00.000Z',
      until: '2026-03-01T00:00:00.000Z',
    });
    expect(report.sla.overall.attempts).toBe(20);
    expect(result.stderr).toContain('warning: the ledger was not verified');
  });

  it('prints Markdown by default and reads the policy’s SLA target', () => {
    mkdirSync(join(dir, '.gitwarden'), { recursive: true });
    writeFileSync(
      join(dir, '.gitwarden', 'policy.yml'),
      'version: 1\nsla:\n  target: 0.99\n',
    );
    const result = runCli(['report', '--ledger', ledger, ...period], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# gitwarden report/);
    expect(result.stdout).toContain(
      'Target 99% unless the policy sets one per agent',
    );
  });

  it('refuses a policy whose sla section is wrong, naming the field (exit 2)', () => {
    const policy = join(dir, 'bad-policy.yml');
    writeFileSync(
      policy,
      'version: 1\nsla:\n  target: 1.5\n  burnRate:\n    - long: 1 hour\n      short: 5m\n      factor: 14.4\n',
    );
    const result = runCli(['report', '--ledger', ledger, '--policy', policy], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad-policy\.yml:3:\d+.*sla\.target/);
    expect(result.stderr).toMatch(
      /sla\.burnRate\[0\]\.long|sla\.burnRate\.0\.long/,
    );
  });

  it('exits 1 and says so first when the ledger failed verification', () => {
    const verdict = join(dir, 'verify.json');
    writeFileSync(
      verdict,
      JSON.stringify({
        verdict: 'tampered',
        faults: [{ index: 7, message: 'signature does not verify' }],
      }),
    );
    const result = runCli(
      ['report', '--ledger', ledger, ...period, '--verification', verdict],
      { cwd: dir },
    );
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toMatch(/FAILED verification/);
    expect(result.stdout).toContain('Verification: ❌ FAILED.');
    expect(result.stdout).toContain('- record 7: signature does not verify');
  });

  it('writes JSON, Markdown and the dashboard into a folder with --out-dir', () => {
    const out = join(dir, 'out');
    const result = runCli(
      ['report', '--ledger', ledger, ...period, '--out-dir', out],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    const files = result.stdout.trim().split('\n');
    expect(files.map((f) => f.slice(out.length + 1))).toEqual([
      'gitwarden-report.json',
      'gitwarden-report.md',
      'gitwarden-dashboard.html',
    ]);
    for (const file of files) expect(existsSync(file)).toBe(true);
    expect(readFileSync(files[2]!, 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('rejects bad periods, formats and missing files with the right exit code', () => {
    const empty = runCli(
      [
        'report',
        '--ledger',
        ledger,
        '--since',
        '2026-03-02',
        '--until',
        '2026-03-01',
      ],
      { cwd: dir },
    );
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('the period is empty');

    const badDate = runCli(
      ['report', '--ledger', ledger, '--since', 'last tuesday'],
      { cwd: dir },
    );
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain(
      "'last tuesday' is not a date or duration",
    );

    const format = runCli(['report', '--ledger', ledger, '--format', 'xml'], {
      cwd: dir,
    });
    expect(format.code).toBe(2);

    const missing = runCli(
      ['report', '--ledger', join(dir, 'missing.jsonl'), ...period],
      { cwd: dir },
    );
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('cannot read ledger export');
    expect(missing.stderr).not.toContain('internal error');
  });
});
