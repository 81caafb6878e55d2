import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { buildReportFromEvents } from '../src/report/build.ts';
import { builtInControlsFile, loadControls } from '../src/report/controls.ts';
import { NOT_VERIFIED } from '../src/report/records.ts';
import { cleanupTempDirs, tempDir } from './helpers/repo.ts';
import { reportSchemaErrors } from './helpers/report-schema.ts';

afterAll(cleanupTempDirs);

function writeMapping(text: string): string {
  const file = join(tempDir(), 'extra.yml');
  writeFileSync(file, text);
  return file;
}

describe('the built-in control mapping', () => {
  it('covers SOC 2 CC6, CC7, CC8 and the four HIPAA 164.312 safeguards', async () => {
    const { controls } = await loadControls();
    const ids = controls.map((c) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'CC6.1',
        'CC6.2',
        'CC6.3',
        'CC6.6',
        'CC6.8',
        'CC7.1',
        'CC7.2',
        'CC7.3',
        'CC8.1',
        '164.312(a)(1)',
        '164.312(b)',
        '164.312(c)(1)',
        '164.312(d)',
      ]),
    );
    for (const control of controls) {
      expect(control.summary.length).toBeGreaterThan(20);
      expect(control.summary).not.toMatch(/\n/);
    }
  });

  it('pairs each HIPAA id with the safeguard its summary names', async () => {
    // A wrong pairing of id and criterion is the common mistake in such
    // tables; the summaries carry the safeguard's name to catch it.
    const raw = parse(readFileSync(builtInControlsFile(), 'utf8'));
    const summary = (id: string) =>
      raw.controls.find((c: { id: string }) => c.id === id).summary;
    expect(summary('164.312(a)(1)')).toMatch(/^Access control/);
    expect(summary('164.312(b)')).toMatch(/^Audit controls/);
    expect(summary('164.312(c)(1)')).toMatch(/^Integrity/);
    expect(summary('164.312(d)')).toMatch(/^Authentication/);
  });
});

describe('user mappings', () => {
  it('add controls and replace built-in ones with the same id', async () => {
    const file = writeMapping(`
controls:
  - id: CC6.1
    framework: SOC 2
    summary: Our stricter reading of logical access.
    evidence:
      - metric: pushes.refused
        atMost: 0
  - id: ACME-1
    framework: ACME internal
    summary: Every agent operation is measured.
    evidence:
      - metric: sla.attempts
        atLeast: 1
`);
    const set = await loadControls([file]);
    expect(set.files).toEqual([builtInControlsFile(), file]);
    const cc61 = set.controls.filter((c) => c.id === 'CC6.1');
    expect(cc61).toHaveLength(1);
    expect(cc61[0]!.summary).toBe('Our stricter reading of logical access.');
    expect(set.controls.at(-1)!.id).toBe('ACME-1');
  });

  it('with an unknown metric or no test are refused, naming file and control', async () => {
    const file = writeMapping(`
controls:
  - id: X-1
    framework: X
    summary: A control with a typo.
    evidence:
      - metric: secrets.unresolvd
        atMost: 0
      - metric: sla.attempts
        optional: true
`);
    const error = await loadControls([file]).catch((e) => e);
    expect(error).toMatchObject({ code: 'INPUT_INVALID', exitCode: 2 });
    expect(error.message).toContain(file);
    expect(error.message).toContain(
      "control X-1: unknown metric 'secrets.unresolvd'",
    );
    expect(error.message).toContain(
      "control X-1: metric 'sla.attempts' needs exactly one of atLeast, atMost, equals",
    );
  });

  it('that break the schema are refused with the field named', async () => {
    const file = writeMapping(
      'controls:\n  - id: X-2\n    summary: no framework\n    evidence: []\n',
    );
    const error = await loadControls([file]).catch((e) => e);
    expect(error.message).toMatch(
      /\/controls\/0 must have required property 'framework'/,
    );
    expect(error.message).toMatch(
      /\/controls\/0\/evidence must NOT have fewer than 1 items/,
    );
  });
});

describe('the report schema', () => {
  it('rejects a report with an invented or impossible figure', async () => {
    const period = { since: 0, until: 1000 };
    const report = buildReportFromEvents([], {
      policy: {},
      period,
      integrity: NOT_VERIFIED,
      controls: await loadControls(),
      ledger: 'none',
      now: 1000,
    });
    expect(reportSchemaErrors(report)).toEqual([]);
    const broken = structuredClone(report) as unknown as {
      sla: { overall: { availability: number; state: string } };
    };
    broken.sla.overall.availability = 1.5;
    broken.sla.overall.state = 'great';
    const errors = reportSchemaErrors(broken);
    expect(errors.some((e) => e.startsWith('/sla/overall/state'))).toBe(true);
    expect(errors.some((e) => e.startsWith('/sla/overall/availability'))).toBe(
      true,
    );
  });
});
