import { resolve } from 'node:path';

import { Option, type Command } from 'commander';

import { ExitCode, GitwardenError } from '../../errors.ts';
import type { CheckTarget } from '../../trailers/check.ts';

interface CheckFlags {
  messageFile?: string;
  range?: string;
  push?: string[];
  remote?: string;
  base?: string;
  head?: string;
  repo?: string;
  policy?: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('judge commits (or a commit message) against the trailer rule')
    .addOption(
      new Option(
        '--message-file <file>',
        'a commit message file (what the commit-msg hook passes)',
      ),
    )
    .addOption(new Option('--range <range>', 'commits in A..B, A...B or B'))
    .addOption(
      new Option(
        '--push <old-new-ref...>',
        'a push as git describes it: OLD NEW REF',
      ),
    )
    .addOption(
      new Option('--remote <name>', 'with --push: the remote pushed to'),
    )
    .addOption(new Option('--base <ref>', 'pull request base'))
    .addOption(new Option('--head <ref>', 'pull request head'))
    .option('--repo <path>', 'the repository to judge', '.')
    .option('--policy <file>', 'use this policy file instead of the base’s')
    .option('--json', 'print the result as JSON')
    .option('--quiet', 'print nothing when every commit passes (for hooks)')
    .addHelpText(
      'after',
      `
Exactly one of --message-file, --range, --push or --base with --head.
Exit codes: 0 all pass, 1 violations, 2 usage or configuration error,
3 could not judge (e.g. history missing from a shallow clone).`,
    )
    .action(async (flags: CheckFlags) => {
      const target = targetOf(flags);
      const { checkTrailers } = await import('../../trailers/check.ts');
      const result = await checkTrailers({
        repo: resolve(flags.repo ?? '.'),
        target,
        policyFile: flags.policy,
      });
      process.exitCode = result.ok ? ExitCode.Ok : ExitCode.Refused;
      // Hooks stay silent on success, as husky's do.
      if (flags.quiet && result.ok) return;
      const { renderCheck, checkJson } = await import('../check-report.ts');
      if (flags.json) console.log(JSON.stringify(checkJson(result), null, 2));
      else console.log(renderCheck(result, useColour()));
    });
}

/** Colour only on a terminal, and never when NO_COLOR is set. */
function useColour(): boolean {
  return process.stdout.isTTY === true && !('NO_COLOR' in process.env);
}

/** Turns the flags into one target, refusing ambiguous combinations. */
function targetOf(flags: CheckFlags): CheckTarget {
  const given = [
    flags.messageFile !== undefined && '--message-file',
    flags.range !== undefined && '--range',
    flags.push !== undefined && '--push',
    (flags.base !== undefined || flags.head !== undefined) && '--base/--head',
  ].filter((name): name is string => Boolean(name));
  if (given.length !== 1) {
    throw new GitwardenError(
      'USAGE',
      given.length
        ? `${given.join(' and ')} cannot be combined`
        : 'nothing to judge',
      {
        hint: 'Pass one of --message-file FILE, --range A..B, --push OLD NEW REF, or --base REF --head REF.',
      },
    );
  }
  if (flags.remote !== undefined && flags.push === undefined) {
    throw new GitwardenError('USAGE', '--remote goes with --push');
  }
  if (flags.messageFile !== undefined) {
    return { kind: 'message-file', path: resolve(flags.messageFile) };
  }
  if (flags.range !== undefined) return { kind: 'range', range: flags.range };
  if (flags.push !== undefined) {
    if (flags.push.length !== 3) {
      throw new GitwardenError(
        'USAGE',
        `--push takes three values (OLD NEW REF), got ${flags.push.length}`,
      );
    }
    const [oldSha, newSha, ref] = flags.push as [string, string, string];
    return { kind: 'push', oldSha, newSha, ref, remote: flags.remote };
  }
  if (flags.base === undefined || flags.head === undefined) {
    throw new GitwardenError('USAGE', '--base and --head go together', {
      hint: 'Pass both: --base REF --head REF.',
    });
  }
  return { kind: 'pull-request', base: flags.base, head: flags.head };
}
