import { ExitCode } from '../errors.ts';
import type { AuditOptions } from './commands/secrets.ts';

export async function runAudit(
  _dir: string,
  _options: AuditOptions,
): Promise<number> {
  return ExitCode.Incomplete;
}
