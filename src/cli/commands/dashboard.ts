import { writeFile } from 'node:fs/promises';

import type { Command } from 'commander';

import { ExitCode, GitwardenError } from '../../errors.ts';

interface DashboardFlags {
  output: string;
  fromArtifacts?: boolean;
  repo?: string[];
  org?: string;
  perRepo: string;
  cache: string;
  apiUrl?: string;
}

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description(
      'one self-contained HTML dashboard from report JSON files, or from the report artifacts of recent workflow runs; several reports show a trend',
    )
    .argument(
      '[reports...]',
      'report JSON files (gitwarden report --format json)',
    )
    .option(
      '-o, --output <file>',
      'where to write it',
      'gitwarden-dashboard.html',
    )
    .option(
      '--from-artifacts',
      'download the reports of recent runs from GitHub (token: GITHUB_TOKEN)',
    )
    .option(
      '--repo <owner/name...>',
      'with --from-artifacts: repositories to read',
    )
    .option(
      '--org <name>',
      'with --from-artifacts: every repository of an organization',
    )
    .option(
      '--per-repo <n>',
      'with --from-artifacts: most recent reports per repository',
      '30',
    )
    .option(
      '--cache <dir>',
      'with --from-artifacts: keeps downloaded reports, so a cut-short run resumes',
      '.gitwarden-cache/reports',
    )
    .option(
      '--api-url <url>',
      'GitHub API URL (default: GITHUB_API_URL or https://api.github.com)',
    )
    .action(async (files: string[], flags: DashboardFlags) => {
      if (!flags.fromArtifacts) {
        const { writeDashboard } =
          await import('../../report/dashboard-files.ts');
        console.log(await writeDashboard(files, flags.output));
        process.exitCode = ExitCode.Ok;
        return;
      }
      process.exitCode = await fromArtifacts(files, flags);
    });
}

async function fromArtifacts(
  files: string[],
  flags: DashboardFlags,
): Promise<number> {
  if (files.length > 0) {
    throw new GitwardenError('USAGE', '--from-artifacts takes no report files');
  }
  const repositories = flags.repo ?? [];
  const bad = repositories.find((r) => !/^[^/\s]+\/[^/\s]+$/.test(r));
  if (bad !== undefined)
    throw new GitwardenError('USAGE', `--repo '${bad}' is not owner/name`);
  if (repositories.length === 0 && !flags.org) {
    throw new GitwardenError('USAGE', '--from-artifacts needs --repo or --org');
  }
  const perRepository = Number(flags.perRepo);
  if (!Number.isInteger(perRepository) || perRepository < 1) {
    throw new GitwardenError(
      'USAGE',
      `--per-repo must be a whole number above 0, not '${flags.perRepo}'`,
    );
  }
  // The adapter reads the environment; the engine only gets a client.
  const token = process.env.GITHUB_TOKEN || process.env.GH_TOKEN;
  if (!token) {
    throw new GitwardenError('USAGE', 'no GitHub token', {
      hint: 'set GITHUB_TOKEN to a token that may read Actions artifacts (actions: read)',
    });
  }
  const { createGitHubClient } = await import('../../github/client.ts');
  const { collectReports } = await import('../../report/from-artifacts.ts');
  const { dashboardFromReports } =
    await import('../../report/dashboard-files.ts');
  const client = createGitHubClient({
    token,
    baseUrl: flags.apiUrl ?? process.env.GITHUB_API_URL,
    log: {
      debug: () => {},
      info: () => {},
      warn: (message) => console.error(`gitwarden: warning: ${message}`),
      error: () => {},
    },
  });
  const result = await collectReports({
    client,
    repositories,
    org: flags.org,
    perRepository,
    cacheDir: flags.cache,
  });
  for (const problem of result.problems) console.error(`gitwarden: ${problem}`);
  console.error(
    `gitwarden: ${result.reports.length} report(s): ${result.downloaded} downloaded, ${result.fromCache} from ${flags.cache}`,
  );
  if (result.reports.length === 0) {
    throw new GitwardenError(
      'INPUT_UNREADABLE',
      'no report artifact could be read',
      {
        hint: 'check the repository names, the token (actions: read) and that the report action ran',
      },
    );
  }
  const labelled = result.reports.map(({ repository, report }) => ({
    report,
    label: repository,
  }));
  await writeFile(flags.output, await dashboardFromReports(labelled));
  console.log(flags.output);
  // Some artifacts missing: the dashboard is written, but incomplete.
  return result.problems.length > 0 ? ExitCode.Incomplete : ExitCode.Ok;
}
