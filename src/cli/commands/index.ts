import type { Command } from 'commander';

import { registerCheck } from './check.ts';
import { registerDashboard } from './dashboard.ts';
import { registerInit } from './init.ts';
import { registerPolicy } from './policy.ts';
import { registerReport } from './report.ts';

/**
 * Every subcommand, in the order `gitwarden --help` lists them. Each
 * register function only declares options; the work is imported lazily.
 */
export function registerCommands(program: Command): void {
  registerCheck(program);
  registerInit(program);
  registerPolicy(program);
  registerReport(program);
  registerDashboard(program);
}
