import { writeFile } from 'node:fs/promises';

import { Option, type Command } from 'commander';

import { ExitCode, GitwardenError } from '../../errors.ts';

interface ReportFlags {
  ledger: string;
  verification?: string;
  policy?: string;
  since?: string;
  until?: string;
  format: 'json' | 'md' | 'html';
  output?: string;
  outDir?: string;
  controls?: string[];
  trailLimit?: string;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'SLA and compliance report for a period, built from the audit ledger',
    )
    .requiredOption(
      '--ledger <file>',
      'ledger export, one record per line (gitwarden ledger export)',
    )
    .option(
      '--verification <file>',
      'the ledger verifier’s verdict (gitwarden ledger verify --json)',
    )
    .option(
      '--policy <file>',
      'policy file (default: .gitwarden/policy.yml when present)',
    )
    .option(
      '--since <when>',
      'start: a date (2026-01-31) or a duration before now (7d); default: one SLO window before --until',
    )
    .option(
      '--until <when>',
      'end (exclusive): a date or a duration before now; default: now',
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['json', 'md', 'html'])
        .default('md'),
    )
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .option(
      '--out-dir <dir>',
      'write JSON, Markdown and the HTML dashboard into a folder',
    )
    .option(
      '--controls <file...>',
      'extra control mappings (format: schemas/compliance.schema.json)',
    )
    .option(
      '--trail-limit <n>',
      'audit-trail records to keep (the latest)',
      '2000',
    )
    .action(async (flags: ReportFlags) => {
      const { generateReport } = await import('../../report/generate.ts');
      const report = await generateReport({
        ...flags,
        trailLimit: count(flags.trailLimit),
        cwd: process.cwd(),
        now: Date.now(),
      });
      if (flags.outDir) {
        const { writeReportFiles } = await import('../../report/files.ts');
        const files = await writeReportFiles(report, flags.outDir);
        for (const file of Object.values(files)) console.log(file);
      } else {
        const text = await render(report, flags.format);
        if (flags.output) await writeFile(flags.output, text);
        else process.stdout.write(text);
      }
      for (const warning of report.warnings)
        console.error(`gitwarden: warning: ${warning}`);
      // A ledger that fails verification is tampering found: exit 1.
      process.exitCode =
        report.integrity.status === 'failed' ? ExitCode.Refused : ExitCode.Ok;
    });
}

async function render(
  report: import('../../report/types.ts').Report,
  format: ReportFlags['format'],
): Promise<string> {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (format === 'md') {
    const { renderMarkdown } = await import('../../report/markdown.ts');
    return renderMarkdown(report);
  }
  const { renderDashboard } = await import('../../report/dashboard.ts');
  return renderDashboard(report);
}

function count(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    throw new GitwardenError(
      'USAGE',
      `--trail-limit must be a whole number, not '${value}'`,
    );
  }
  return Number(value);
}
