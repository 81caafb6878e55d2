import type { Command } from 'commander';

import { registerAccess } from './access.ts';
import { registerCheck } from './check.ts';
import { registerDashboard } from './dashboard.ts';
import { registerHook } from './hook.ts';
import { registerInit } from './init.ts';
import { registerLedger } from './ledger.ts';
import { registerPolicy } from './policy.ts';
import { registerProtect } from './protect.ts';
import { registerScan } from './scan.ts';
import { registerScanOutput } from './scan-output.ts';
import { registerReport } from './report.ts';
import { registerSecrets } from './secrets.ts';

/**
 * Every subcommand, in the order `gitwarden --help` lists them. Each
 * register function only declares options; the work is imported lazily.
 */
export function registerCommands(program: Command): void {
  registerCheck(program);
  registerInit(program);
  registerPolicy(program);
  registerHook(program);
  registerAccess(program);
  registerScan(program);
  registerScanOutput(program);
  registerSecrets(program);
  registerReport(program);
  registerDashboard(program);
  registerLedger(program);
  registerProtect(program);
}
