import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { testGitEnv, type CliResult } from './repo.ts';

const cli = join(import.meta.dirname, '..', '..', 'bin', 'gitwarden.js');

/**
 * runCli without blocking the test's event loop: needed when the command
 * talks to a loopback server (fake GitHub, Vault, Doppler) that runs in
 * the test's own process.
 */
export function runCliAsync(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...testGitEnv, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
