import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

import type { Command } from 'commander';

import { ExitCode } from '../../errors.ts';
import type { InitReport } from '../../init/index.ts';
import { colors, printWarning } from '../output.ts';

interface InitOptions {
  repo: string;
  force?: boolean;
  json?: boolean;
  github?: boolean;
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'set a repository up: a starter policy and the commit-msg and pre-push hooks (through husky in a Node.js project)',
    )
    .option('--repo <path>', 'repository to set up', '.')
    .option(
      '--force',
      'replace your own policy or hook (each is moved aside to *.bak, never lost)',
    )
    .option(
      '--github',
      'also write .github/workflows/gitwarden.yml (the default when the repository has a .github folder or a GitHub remote)',
    )
    .option('--no-github', 'do not write the GitHub Actions workflow')
    .option('--json', 'print what was done as JSON')
    .addHelpText(
      'after',
      `
Running it again changes nothing. A file of yours is never overwritten
without --force; a commit-msg hook of your own is left alone and init exits
1, telling you the one line to add to it.`,
    )
    .action(async (options: InitOptions) => {
      const { initRepository } = await import('../../init/index.ts');
      const report = await initRepository({
        repo: options.repo,
        force: options.force ?? false,
        github: options.github,
        // Hooks run under the user's git configuration, which gitwarden's
        // own git calls otherwise leave out.
        userGitEnv: {
          GIT_CONFIG_GLOBAL: process.env.GIT_CONFIG_GLOBAL,
          GIT_CONFIG_NOSYSTEM: process.env.GIT_CONFIG_NOSYSTEM,
        },
      });
      const local = join(report.root, 'node_modules', '.bin', 'gitwarden');
      if (
        report.mode === 'hooks-folder' &&
        !existsSync(local) &&
        !onPath('gitwarden')
      ) {
        report.warnings.push(
          'the hook runs gitwarden from PATH, where there is none yet; install it with: npm install --global gitwarden',
        );
      }
      if (options.json) console.log(JSON.stringify(report, null, 2));
      else render(report);
      process.exitCode = report.refused ? ExitCode.Refused : ExitCode.Ok;
    });
}

function render(report: InitReport): void {
  const how = report.mode === 'husky' ? 'husky' : 'git hooks folder';
  console.log(`gitwarden init: ${report.root} (${how})`);
  const width = Math.max(...report.steps.map((step) => step.target.length));
  for (const step of report.steps) {
    const action = step.action.padEnd(9);
    const paint =
      step.action === 'refused'
        ? colors.red
        : step.action === 'unchanged' || step.action === 'kept'
          ? colors.dim
          : colors.green;
    console.log(
      `  ${paint(action)} ${step.target.padEnd(width)}  ${step.detail}`,
    );
  }
  for (const warning of report.warnings) printWarning(warning);
  if (!report.changed && !report.refused) {
    console.log('Already set up: nothing changed.');
  }
  if (report.next.length) {
    console.log('Next:');
    for (const line of report.next) console.log(`  - ${line}`);
  }
}

/** Whether an executable `command` is on PATH, as the hook will look. */
function onPath(command: string): boolean {
  const folders = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return folders.some((folder) => {
    try {
      accessSync(join(folder, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
