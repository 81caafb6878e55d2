import type { Command } from 'commander';

import { registerLedger } from './ledger.ts';
import { registerPolicy } from './policy.ts';

/**
 * Every subcommand, in the order `gitwarden --help` lists them. Each
 * register function only declares options; the work is imported lazily.
 */
export function registerCommands(program: Command): void {
  registerPolicy(program);
  registerLedger(program);
}
