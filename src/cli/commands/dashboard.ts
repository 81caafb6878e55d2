import type { Command } from 'commander';

import { ExitCode } from '../../errors.ts';

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description(
      'one self-contained HTML dashboard from report JSON files; several show a trend',
    )
    .argument(
      '<reports...>',
      'report JSON files (gitwarden report --format json)',
    )
    .option(
      '-o, --output <file>',
      'where to write it',
      'gitwarden-dashboard.html',
    )
    .action(async (reports: string[], flags: { output: string }) => {
      const { writeDashboard } =
        await import('../../report/dashboard-files.ts');
      console.log(await writeDashboard(reports, flags.output));
      process.exitCode = ExitCode.Ok;
    });
}
