import { Option, type Command } from 'commander';

import { GitwardenError } from '../../errors.ts';

interface ScanOutputFlags {
  redact?: boolean;
  format: 'human' | 'json' | 'sarif';
  json?: boolean;
  sarif?: boolean;
}

export function registerScanOutput(program: Command): void {
  program
    .command('scan-output')
    .description(
      'scan text outputs (agent transcripts, build logs, artifacts) for secrets',
    )
    .argument('[files...]', 'files to scan; none or "-" reads standard input')
    .option(
      '--redact',
      'write the text to standard output with every secret masked (one input)',
    )
    .addOption(
      new Option('--format <format>', 'report format')
        .choices(['human', 'json', 'sarif'])
        .default('human'),
    )
    .option('--json', 'same as --format json')
    .option('--sarif', 'same as --format sarif')
    .addHelpText(
      'after',
      `
No baseline and no allow comments apply: whoever wrote the text cannot
excuse its secrets. Exit codes: 0 none, 1 secrets found (also with --redact),
2 usage error, 3 an input could not be read.`,
    )
    .action(async (files: string[], flags: ScanOutputFlags) => {
      const inputs = files.length ? files : ['-'];
      if (flags.redact && inputs.length !== 1) {
        throw new GitwardenError('USAGE', '--redact takes one input');
      }
      const { runScanOutput } = await import('./scan-output-run.ts');
      process.exitCode = await runScanOutput(inputs, {
        redact: flags.redact === true,
        format: flags.json ? 'json' : flags.sarif ? 'sarif' : flags.format,
      });
    });
}
