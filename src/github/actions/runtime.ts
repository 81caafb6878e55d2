import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';

import * as core from '@actions/core';

import { ExitCode, GitwardenError, isGitwardenError } from '../../errors.ts';

/**
 * What every gitwarden action reads from the runner. Adapters read the
 * environment here, once; the engine below them never does.
 */
export interface RunnerContext {
  eventName: string;
  payload: unknown;
  workspace: string;
  sha: string | undefined;
  ref: string | undefined;
  repository: string | undefined;
  serverUrl: string;
  apiUrl: string;
  /** Where results are written: RUNNER_TEMP/gitwarden. */
  outputDir: string;
}

export async function readRunnerContext(): Promise<RunnerContext> {
  const env = process.env;
  const eventName = required('GITHUB_EVENT_NAME');
  const eventPath = required('GITHUB_EVENT_PATH');
  const workspace = required('GITHUB_WORKSPACE');
  let text: string;
  try {
    text = await readFile(eventPath, 'utf8');
  } catch (cause) {
    throw new GitwardenError(
      'INPUT_UNREADABLE',
      `cannot read the event payload ${eventPath}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
      { cause },
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (cause) {
    throw new GitwardenError(
      'INPUT_INVALID',
      `the event payload ${eventPath} is not JSON: ${(cause as Error).message}`,
    );
  }
  const outputDir = join(env.RUNNER_TEMP || workspace, 'gitwarden');
  await mkdir(outputDir, { recursive: true });
  return {
    eventName,
    payload,
    workspace,
    sha: env.GITHUB_SHA || undefined,
    ref: env.GITHUB_REF || undefined,
    repository: env.GITHUB_REPOSITORY || undefined,
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    outputDir,
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new GitwardenError(
      'USAGE',
      `${name} is not set: gitwarden's actions run inside a GitHub Actions job`,
      {
        hint: 'Run the action from a workflow, or set the GITHUB_* variables the runner sets.',
      },
    );
  }
  return value;
}

/** A path input, relative to the workspace as `uses:` steps expect. */
export function workspacePath(context: RunnerContext, path: string): string {
  return isAbsolute(path) ? path : resolve(context.workspace, path);
}

/** Reads a boolean input by YAML 1.2 core rules; names the input on error. */
export function booleanInput(name: string): boolean {
  try {
    return core.getBooleanInput(name);
  } catch {
    throw new GitwardenError(
      'INPUT_INVALID',
      `input ${name} must be true or false, not ${JSON.stringify(core.getInput(name))}`,
    );
  }
}

export async function writeJson(path: string, value: unknown) {
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * The error boundary every action runs in: an expected failure fails the
 * step with its message and hint; anything else is an internal error. The
 * process exits with gitwarden's exit codes (2 usage, 3 incomplete), which
 * the runner shows as a failed step, never as a pass.
 */
export async function runAction(main: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    if (isGitwardenError(error)) {
      core.setFailed(
        error.hint ? `${error.message}\nhint: ${error.hint}` : error.message,
      );
      process.exitCode = error.exitCode;
      return;
    }
    core.setFailed(
      `internal error: ${(error as Error)?.message ?? String(error)}` +
        '\nThis is a bug in gitwarden; the stack is in the debug log.',
    );
    core.debug((error as Error)?.stack ?? String(error));
    process.exitCode = ExitCode.Incomplete;
  }
}
