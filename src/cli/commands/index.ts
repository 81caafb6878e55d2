import type { Command } from 'commander';

import { registerInit } from './init.ts';
import { registerPolicy } from './policy.ts';
import { registerSecrets } from './secrets.ts';

/**
 * Every subcommand, in the order `gitwarden --help` lists them. Each
 * register function only declares options; the work is imported lazily.
 */
export function registerCommands(program: Command): void {
  registerInit(program);
  registerPolicy(program);
  registerSecrets(program);
}
