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

type Register = (program: Command) => void;

/**
 * Every subcommand, in the order `gitwarden --help` lists them, by the
 * names that start them. Each register function only declares options;
 * the work is imported lazily.
 */
const COMMANDS: [names: string[], register: Register][] = [
  [['check'], registerCheck],
  [['init'], registerInit],
  [['policy'], registerPolicy],
  [['hook'], registerHook],
  [['authorize', 'run', 'explain'], registerAccess],
  [['scan'], registerScan],
  [['scan-output'], registerScanOutput],
  [['secrets'], registerSecrets],
  [['report'], registerReport],
  [['dashboard'], registerDashboard],
  [['ledger'], registerLedger],
  [['protect'], registerProtect],
];

/**
 * Declares the subcommands. When the command line names one, only that
 * one is declared: a hook runs gitwarden on every commit, and declaring
 * every option of every command costs more than the check itself. Help,
 * an unknown name or no name at all get the full list.
 */
export function registerCommands(program: Command, requested?: string): void {
  const only = COMMANDS.find(([names]) => names.includes(requested ?? ''));
  if (only) {
    only[1](program);
    return;
  }
  for (const [, register] of COMMANDS) register(program);
}
