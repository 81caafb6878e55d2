import { relative } from 'node:path';

import type { Command } from 'commander';

import { ExitCode } from '../../errors.ts';
import { printWarning } from '../output.ts';

interface ValidateOptions {
  repo?: string;
  json?: boolean;
}

export function registerPolicy(program: Command): void {
  const policy = program
    .command('policy')
    .description('work with the policy file');

  policy
    .command('validate')
    .description(
      "check a policy file against the schema and its own rules (default: the repository's .gitwarden/policy.yml)",
    )
    .argument('[file]', 'policy file (relative to the current folder)')
    .option('--repo <path>', 'repository whose policy to check', '.')
    .option('--json', 'print the result as JSON')
    .action(async (file: string | undefined, options: ValidateOptions) => {
      process.exitCode = await validate(file, options);
    });
}

async function validate(
  file: string | undefined,
  options: ValidateOptions,
): Promise<number> {
  const { loadPolicyFile } = await import('../../policy/load.ts');
  const { PolicyError } = await import('../../policy/errors.ts');

  let path = file;
  if (path === undefined) {
    const { workTreePolicyPath } = await import('../../policy/worktree.ts');
    const found = await workTreePolicyPath(options.repo ?? '.');
    path = relative(process.cwd(), found.path) || found.path;
    if (!found.exists) return reportDefault(path, options);
  }

  try {
    const policy = await loadPolicyFile(path);
    if (options.json) {
      print({ file: path, valid: true, warnings: policy.warnings });
    } else {
      for (const warning of policy.warnings) printWarning(warning);
      const count = policy.warnings.length;
      const note = count ? ` (${count} warning${count > 1 ? 's' : ''})` : '';
      console.log(`${path}: valid${note}`);
    }
    return ExitCode.Ok;
  } catch (error) {
    // With --json a broken policy is an answer, not a crash: print the
    // problems as data and still exit 2.
    if (!options.json || !(error instanceof PolicyError)) throw error;
    print({ file: path, valid: false, problems: error.problems });
    return error.exitCode;
  }
}

function reportDefault(path: string, options: ValidateOptions): number {
  if (options.json) {
    print({ file: path, valid: true, exists: false, warnings: [] });
  } else {
    console.log(
      `${path}: no policy file; the built-in default applies (Agent and Task trailers on every commit). Create one with: gitwarden init`,
    );
  }
  return ExitCode.Ok;
}

function print(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}
