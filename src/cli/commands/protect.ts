import type { Command } from 'commander';

import { ExitCode, GitwardenError } from '../../errors.ts';
import type { ProtectReport } from '../../github/protect/index.ts';
import { githubForRepository, githubSettings } from '../github-context.ts';
import { colors } from '../output.ts';

interface ProtectOptions {
  check?: boolean;
  repo?: string;
  dir: string;
  policy?: string;
  branch?: string[];
  checkName: string;
  checkApp: string;
  ledgerWriterApp?: string;
  json?: boolean;
}

export function registerProtect(program: Command): void {
  program
    .command('protect')
    .description(
      'make GitHub enforce the policy: the verify check required on protected branches, the ledger branch safe from force pushes and deletion',
    )
    .option(
      '--check',
      'only report drift between the policy and GitHub (exit 1 on drift)',
    )
    .option(
      '--repo <owner/name>',
      'the GitHub repository (default: GITHUB_REPOSITORY)',
    )
    .option(
      '--dir <path>',
      'the local clone whose committed policy (HEAD) is used',
      '.',
    )
    .option(
      '--policy <file>',
      'use this policy file instead of the one at HEAD',
    )
    .option('--branch <name...>', 'more branches that require the verify check')
    .option(
      '--check-name <name>',
      'the required check (the verify job name)',
      'gitwarden verify',
    )
    .option(
      '--check-app <slug>',
      'the GitHub App that must report the check',
      'github-actions',
    )
    .option(
      '--ledger-writer-app <id>',
      'the only GitHub App (id) allowed to update the ledger branch',
    )
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
Reads GITHUB_TOKEN (or GH_TOKEN) and GITHUB_API_URL (GitHub Enterprise
Server: https://HOST/api/v3). The token needs the repository permission
"Administration": read for --check, write to change rulesets.
Exit codes: 0 in sync (or brought in sync), 1 drift found by --check,
2 usage or a refused token, 3 GitHub could not be reached.`,
    )
    .action(async (options: ProtectOptions) => {
      const settings = githubSettings(options.repo);
      const github = await githubForRepository(settings);
      if (!github) {
        throw new GitwardenError(
          'USAGE',
          'gitwarden protect needs a GitHub token and repository: set GITHUB_TOKEN (or GH_TOKEN) and GITHUB_REPOSITORY, or pass --repo owner/name',
          {
            hint: 'Use a token with the "Administration" repository permission (read for --check, write otherwise); the workflow GITHUB_TOKEN cannot have it.',
          },
        );
      }
      const [
        { protect, appId, defaultBranchOf, protectedRefs, ledgerBranch },
        policy,
      ] = await Promise.all([
        import('../../github/protect/index.ts'),
        readPolicy(options),
      ]);
      const { client, owner, repo } = github;
      const writer =
        options.ledgerWriterApp === undefined
          ? undefined
          : Number(options.ledgerWriterApp);
      if (writer !== undefined && !Number.isInteger(writer)) {
        throw new GitwardenError(
          'USAGE',
          `--ledger-writer-app takes a GitHub App's numeric id, not ${JSON.stringify(options.ledgerWriterApp)}`,
        );
      }
      const report = await protect({
        client,
        owner,
        repo,
        check: options.check ?? false,
        plan: {
          protectedRefs: protectedRefs(
            policy,
            await defaultBranchOf(client, owner, repo),
            options.branch,
          ),
          ledgerBranch: ledgerBranch(policy),
          checkName: options.checkName,
          checkAppId: await appId(client, options.checkApp),
          ledgerWriterAppId: writer,
        },
      });
      if (options.json) console.log(JSON.stringify(report, null, 2));
      else render(report);
      process.exitCode = report.inSync ? ExitCode.Ok : ExitCode.Refused;
    });
}

async function readPolicy(options: ProtectOptions) {
  const { loadPolicyAt, loadPolicyFile } = await import('../../policy/load.ts');
  if (options.policy) return loadPolicyFile(options.policy);
  // The committed policy, as every check reads it: never the work tree.
  return loadPolicyAt(options.dir, 'HEAD');
}

function render(report: ProtectReport): void {
  console.log(
    `gitwarden protect${report.check ? ' --check' : ''}: ${report.repository}`,
  );
  for (const ruleset of report.rulesets) {
    const paint =
      ruleset.status === 'in-sync'
        ? colors.green
        : ruleset.status === 'drifted' || ruleset.status === 'missing'
          ? colors.red
          : colors.yellow;
    console.log(`  ${paint(ruleset.status.padEnd(8))} ${ruleset.name}`);
    for (const line of ruleset.drift) console.log(`           - ${line}`);
  }
  if (!report.inSync) {
    console.log('Run gitwarden protect (without --check) to fix it.');
  }
}
