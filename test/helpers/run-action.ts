import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { tempDir, testGitEnv } from './repo.ts';

/**
 * Runs a BUNDLED action (actions/NAME/dist/index.js) the way the GitHub
 * runner does: the event payload in a file named by GITHUB_EVENT_PATH,
 * every input as INPUT_<NAME> (with action.yml's defaults filled in, as
 * the runner fills them), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_ENV
 * / GITHUB_STATE files, RUNNER_TEMP, and the workspace as the working
 * directory. What the action printed is parsed back into workflow
 * commands (`::error file=a,line=1::message`).
 */
export interface ActionRunOptions {
  event: string;
  payload: unknown;
  /** The checked-out repository (GITHUB_WORKSPACE). */
  workspace: string;
  inputs?: Record<string, string>;
  sha?: string;
  ref?: string;
  repository?: string;
  actor?: string;
  /** Loopback API URL (GITHUB_API_URL) for actions that call GitHub. */
  apiUrl?: string;
  /** Extra variables, e.g. a secret passed through `env:`. */
  env?: Record<string, string | undefined>;
  /** A payload file that is not valid JSON, for bad-input tests. */
  rawPayload?: string;
}

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  commands: WorkflowCommand[];
  /** error, warning and notice commands. */
  annotations: WorkflowCommand[];
  /** RUNNER_TEMP of this run, where actions write their files. */
  runnerTemp: string;
}

const root = join(import.meta.dirname, '..', '..');

export function actionInputs(
  name: string,
): Record<string, { default?: string }> {
  const file = join(root, 'actions', name, 'action.yml');
  const action = parse(readFileSync(file, 'utf8')) as {
    inputs?: Record<string, { default?: string }>;
  };
  return action.inputs ?? {};
}

export async function runAction(
  name: string,
  options: ActionRunOptions,
): Promise<ActionRun> {
  const home = tempDir('gitwarden-runner-');
  const runnerTemp = join(home, 'temp');
  mkdirSync(runnerTemp);
  const files = {
    GITHUB_EVENT_PATH: join(home, 'event.json'),
    GITHUB_OUTPUT: join(home, 'output'),
    GITHUB_STEP_SUMMARY: join(home, 'summary.md'),
    GITHUB_ENV: join(home, 'env'),
    GITHUB_STATE: join(home, 'state'),
    GITHUB_PATH: join(home, 'path'),
  };
  writeFileSync(
    files.GITHUB_EVENT_PATH,
    options.rawPayload ?? JSON.stringify(options.payload, null, 2),
  );
  for (const [key, path] of Object.entries(files)) {
    if (key !== 'GITHUB_EVENT_PATH') writeFileSync(path, '');
  }

  const inputs: Record<string, string> = {};
  for (const [input, spec] of Object.entries(actionInputs(name))) {
    if (spec.default !== undefined) inputs[input] = String(spec.default);
  }
  Object.assign(inputs, options.inputs);

  const env: NodeJS.ProcessEnv = {
    ...runnerFreeEnv(),
    ...files,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: options.event,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_SHA: options.sha,
    GITHUB_REF: options.ref,
    GITHUB_REPOSITORY: options.repository ?? 'octo-org/octo-repo',
    GITHUB_ACTOR: options.actor ?? 'octocat',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: options.apiUrl ?? 'http://127.0.0.1:9/unreachable',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'verify',
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    ...options.env,
  };
  for (const [input, value] of Object.entries(inputs)) {
    // The runner's rule: spaces become underscores, then upper case.
    env[`INPUT_${input.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  for (const key of Object.keys(env)) {
    if (env[key] === undefined) delete env[key];
  }

  const bundle = join(root, 'actions', name, 'dist', 'index.js');
  const { code, stdout, stderr } = await spawnNode(
    bundle,
    options.workspace,
    env,
  );
  const commands = parseCommands(stdout);
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    commands,
    annotations: commands.filter((c) =>
      ['error', 'warning', 'notice'].includes(c.command),
    ),
    runnerTemp,
  };
}

/**
 * The test process may itself run inside GitHub Actions: none of its own
 * runner variables may leak into the action under test.
 */
function runnerFreeEnv(): NodeJS.ProcessEnv {
  const env = { ...testGitEnv };
  for (const key of Object.keys(env)) {
    if (/^(GITHUB_|INPUT_|RUNNER_|ACTIONS_)/.test(key)) delete env[key];
  }
  return env;
}

function spawnNode(script: string, cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [script], { cwd, env });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
    },
  );
}

/** `name<<DELIM\nvalue\nDELIM` blocks (and `name=value` lines). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, key, delimiter] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) {
        value.push(lines[i]!);
      }
      outputs[key] = value.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      outputs[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return outputs;
}

// The reverse of @actions/core's escaping: `%25` (a literal percent) last.
const unescapeData = (s: string) =>
  s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');

const unescapeProperty = (s: string) =>
  unescapeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));

/** `::command key=value,key=value::message`, one per line of stdout. */
export function parseCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^::([a-z][a-z-]*)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const [, command, props = '', message = ''] = match as unknown as [
      string,
      string,
      string | undefined,
      string | undefined,
    ];
    const properties: Record<string, string> = {};
    for (const pair of props.split(',').filter(Boolean)) {
      const at = pair.indexOf('=');
      properties[pair.slice(0, at)] = unescapeProperty(pair.slice(at + 1));
    }
    commands.push({ command, properties, message: unescapeData(message) });
  }
  return commands;
}
