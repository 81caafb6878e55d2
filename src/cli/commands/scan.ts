import { Option, type Command } from 'commander';

import { GitwardenError } from '../../errors.ts';
import type { RangeSpec } from '../../git/range.ts';

interface ScanFlags {
  staged?: boolean;
  range?: string;
  push?: string[];
  remote?: string;
  base?: string;
  head?: string;
  history?: boolean;
  format: 'human' | 'json' | 'sarif';
  json?: boolean;
  sarif?: boolean;
  output?: string;
  updateBaseline?: boolean;
  policy?: string;
  repo: string;
  progress: boolean;
  listRules?: boolean;
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description(
      'scan for secrets: staged changes, commits, files and folders, or the whole history',
    )
    .argument('[paths...]', 'files and folders to scan')
    .option('--staged', 'the changes staged for the next commit (pre-commit)')
    .option('--range <range>', 'the commits of a range: A..B, A...B or B')
    .option(
      '--push <old new ref...>',
      "a push, as git's hooks give it: old sha, new sha, full ref name",
    )
    .option('--remote <name>', 'with --push: the remote pushed to')
    .option('--base <rev>', 'a pull request: its base branch (with --head)')
    .option('--head <rev>', 'a pull request: its head (with --base)')
    .option('--history', 'every commit reachable from any ref')
    .addOption(
      new Option('--format <format>', 'report format')
        .choices(['human', 'json', 'sarif'])
        .default('human'),
    )
    .option('--json', 'same as --format json')
    .option('--sarif', 'same as --format sarif (SARIF 2.1.0)')
    .option('-o, --output <file>', 'write the report to a file')
    .option(
      '--update-baseline',
      "accept this scan's findings: add their fingerprints to the baseline",
    )
    .option('--policy <file>', 'judge with this policy file')
    .option('--repo <path>', 'the repository', '.')
    .option('--no-progress', 'no progress bar for --history')
    .option('--list-rules', 'list the rules and exit')
    .addHelpText(
      'after',
      `
Exit codes: 0 no secrets, 1 secrets found, 2 usage or policy error,
3 the scan could not complete (a rule failed, an input was unreadable).`,
    )
    .action(async (paths: string[], flags: ScanFlags) => {
      const { runScanCommand } = await import('./scan-run.ts');
      const mode = modeOf(paths, flags);
      process.exitCode = await runScanCommand(mode, {
        ...flags,
        format: flags.json ? 'json' : flags.sarif ? 'sarif' : flags.format,
      });
    });
}

/** What a scan reads: a git range as `check` takes it, or more. */
export type ScanMode =
  | { kind: 'staged' }
  | RangeSpec
  | { kind: 'history' }
  | { kind: 'paths'; paths: string[] }
  | { kind: 'list-rules' };

function modeOf(paths: string[], flags: ScanFlags): ScanMode {
  const modes: ScanMode[] = [];
  if (flags.listRules) modes.push({ kind: 'list-rules' });
  if (flags.staged) modes.push({ kind: 'staged' });
  if (flags.range) modes.push({ kind: 'range', range: flags.range });
  if (flags.push) {
    if (flags.push.length !== 3) {
      throw new GitwardenError(
        'USAGE',
        '--push takes three values: OLD NEW REF',
      );
    }
    const [oldSha, newSha, ref] = flags.push as [string, string, string];
    modes.push({ kind: 'push', oldSha, newSha, ref, remote: flags.remote });
  }
  if (flags.base || flags.head) {
    if (!flags.base || !flags.head) {
      throw new GitwardenError('USAGE', '--base and --head go together');
    }
    modes.push({ kind: 'pull-request', base: flags.base, head: flags.head });
  }
  if (flags.history) modes.push({ kind: 'history' });
  if (paths.length) modes.push({ kind: 'paths', paths });
  if (modes.length === 0) {
    throw new GitwardenError('USAGE', 'nothing to scan', {
      hint: 'Give PATH..., or one of --staged, --range, --push, --base/--head, --history.',
    });
  }
  if (modes.length > 1) {
    throw new GitwardenError(
      'USAGE',
      `choose one thing to scan (got ${modes.map((m) => m.kind).join(', ')})`,
    );
  }
  return modes[0]!;
}
