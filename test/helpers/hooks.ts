import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

import { tempDir, testGitEnv } from './repo.ts';

export const projectRoot = join(import.meta.dirname, '..', '..');

/**
 * A stand-in `gitwarden` command that records how the hook called it
 * (arguments, one per line, then the working folder) and exits with
 * GW_FAKE_EXIT. It tests the hook itself, apart from what check decides.
 */
export function fakeGitwarden(folder = tempDir('gitwarden-bin-')) {
  return recordingCommand(folder, [
    '[ "${GW_FAKE_EXIT:-0}" = 0 ] || echo "gitwarden: fake refusal" >&2',
    'exit "${GW_FAKE_EXIT:-0}"',
  ]);
}

/**
 * The built gitwarden CLI (bin/gitwarden.js on this checkout's Node.js),
 * behind a wrapper that records its arguments the same way.
 */
export function builtGitwarden(folder = tempDir('gitwarden-bin-')) {
  const cli = join(projectRoot, 'bin', 'gitwarden.js');
  return recordingCommand(folder, [`exec '${process.execPath}' '${cli}' "$@"`]);
}

function recordingCommand(folder: string, body: string[]) {
  const log = join(folder, 'calls.log');
  const script = join(folder, 'gitwarden');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `{ printf '%s\\n' "$@"; echo "cwd=$(pwd)"; } >> '${log}'`,
      ...body,
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  return {
    folder,
    script,
    /** The calls so far, each as its argument lines. */
    calls(): string[][] {
      if (!existsSync(log)) return [];
      return readFileSync(log, 'utf8')
        .split(/^cwd=.*\n/m)
        .filter(Boolean)
        .map((call) => call.trimEnd().split('\n'));
    },
  };
}

/** Makes `command` the project's own node_modules/.bin/gitwarden. */
export function installInProject(root: string, command: string): void {
  mkdirSync(join(root, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(command, join(root, 'node_modules', '.bin', 'gitwarden'));
}

/** Installs this checkout's husky into a test project, as npm would. */
export function installHusky(root: string): void {
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  symlinkSync(
    join(projectRoot, 'node_modules', 'husky'),
    join(root, 'node_modules', 'husky'),
  );
}

/**
 * Runs a real `git commit` (hooks and all) and returns what happened,
 * without throwing on a refusal.
 */
export function commit(
  dir: string,
  message: string,
  env: NodeJS.ProcessEnv = {},
) {
  const cleanEnv = { ...testGitEnv };
  // Whatever the test runner was started with must not skip the hook.
  delete cleanEnv.HUSKY;
  delete cleanEnv.GITWARDEN_SKIP;
  const result = spawnSync(
    'git',
    ['commit', '--allow-empty', '--quiet', '-m', message],
    { cwd: dir, env: { ...cleanEnv, ...env }, encoding: 'utf8' },
  );
  return {
    code: result.status ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

/** PATH with `folder` first, as a user's shell would have it. */
export function pathWith(folder: string): string {
  return `${folder}:${process.env.PATH ?? ''}`;
}
