#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';

import { ExitCode, isGitwardenError } from '../errors.ts';
import { registerCommands } from './commands/index.ts';
import { printError } from './output.ts';

/**
 * The `gitwarden` command. Each subcommand lives in its own file under
 * commands/ and is imported only when it runs, so a commit-msg hook does
 * not load the secret scanner or the ledger.
 */
const program = new Command('gitwarden')
  .description(
    'Governance for repositories where people and AI agents commit side by side.',
  )
  .version(process.env.GITWARDEN_VERSION ?? '0.1.0')
  .addOption(new Option('--debug', 'show stack traces for internal errors'))
  .showHelpAfterError()
  .exitOverride()
  .configureOutput({
    outputError: (text, write) => write(text),
  })
  .addHelpText(
    'after',
    `
Exit codes:
  0    judged, and everything passed
  1    judged, and something was refused or found
  2    usage or configuration error
  3    could not judge everything (missing history, unreadable input)
  126  gitwarden run: the command was not allowed`,
  );

// A reader that stops early (`gitwarden ... | head`) closes the pipe: that
// is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// The first word that is not an option names the subcommand.
registerCommands(
  program,
  process.argv.slice(2).find((arg) => !arg.startsWith('-')),
);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error, program.opts().debug === true);
}

function exitCodeFor(error: unknown, debug: boolean): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here too, with code 0.
    if (error.exitCode === 0) return ExitCode.Ok;
    return ExitCode.Usage;
  }
  if (isGitwardenError(error)) {
    printError(error.message, error.hint);
    if (debug) console.error(error.stack);
    return error.exitCode;
  }
  printError(
    `internal error: ${(error as Error)?.message ?? String(error)}`,
    debug
      ? undefined
      : 'This is a bug in gitwarden. Run again with --debug and report the trace.',
  );
  if (debug) console.error((error as Error)?.stack);
  // An enforcing hook treats anything but 0 as a refusal; an internal error
  // is "could not judge", never a pass.
  return ExitCode.Incomplete;
}
