import type { Command } from 'commander';

import { registerDashboard } from './dashboard.ts';
import { registerPolicy } from './policy.ts';
import { registerReport } from './report.ts';

/**
 * Every subcommand, in the order `gitwarden --help` lists them. Each
 * register function only declares options; the work is imported lazily.
 */
export function registerCommands(program: Command): void {
  registerPolicy(program);
  registerReport(program);
  registerDashboard(program);
}
