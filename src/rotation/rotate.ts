import { GitwardenError, isGitwardenError } from '../errors.ts';
import type { RotationEntry } from '../policy/providers.ts';
import {
  describeCommand,
  runCommand,
  type CommandResult,
} from './run-command.ts';

/** Where a rotated value is stored; built by the caller from the policy. */
export interface RotationTarget {
  /** "github", "vault", "doppler": for the record. */
  type: string;
  /** e.g. "repository acme/api": for messages and the record, no value. */
  description: string;
  /** Largest value the target takes, in bytes (GitHub: 48 KB). */
  maxBytes?: number;
  /** Replaces the value in one step; on failure the old value stays. */
  put(value: string): Promise<void>;
  /** Last update; undefined: no such secret; absent: the store cannot tell. */
  updatedAt?(): Promise<Date | undefined>;
}

export type RotationStage = 'generate' | 'check' | 'store';

/** What the ledger gets for each rotation attempt: never the value. */
export interface RotationRecord {
  type: 'secret.rotation';
  secret: string;
  target: { type: string; description: string };
  outcome: 'rotated' | 'failed';
  /** The step that failed. */
  failedAt?: RotationStage;
  checked: boolean;
  startedAt: string;
  finishedAt: string;
}

export interface RotateInput {
  name: string;
  entry: RotationEntry;
  target: RotationTarget;
  cwd: string;
  /** Environment for the generator and check (the adapter's own). */
  env: NodeJS.ProcessEnv;
  /** Receives the record of the attempt, success or failure. */
  record: (record: RotationRecord) => void | Promise<void>;
  now?: () => Date;
}

/**
 * Rotates one secret in the order that keeps the old value working until
 * the new one is known good: generate, check, store. Nothing is stored
 * until the generator succeeded and the check passed; the store replaces
 * the value in one step; each failure says what is in place and what to
 * do. The value is never printed, logged or put in an error.
 */
export async function rotateSecret(
  input: RotateInput,
): Promise<RotationRecord> {
  const now = input.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const base = {
    type: 'secret.rotation' as const,
    secret: input.name,
    target: { type: input.target.type, description: input.target.description },
    checked: input.entry.check !== undefined,
    startedAt,
  };
  let stage: RotationStage = 'generate';
  try {
    const value = await generate(input);
    if (input.entry.check !== undefined) {
      stage = 'check';
      await check(input, value);
    }
    stage = 'store';
    await store(input, value);
    const record = {
      ...base,
      outcome: 'rotated' as const,
      finishedAt: now().toISOString(),
    };
    await input.record(record);
    return record;
  } catch (error) {
    await input.record({
      ...base,
      outcome: 'failed',
      failedAt: stage,
      finishedAt: now().toISOString(),
    });
    throw error;
  }
}

const nothingChanged = (name: string, target: RotationTarget) =>
  `Nothing was stored: ${name} in ${target.description} still holds its old value.`;

async function generate(input: RotateInput): Promise<string> {
  const { name, entry, target } = input;
  const result = await runCommand(entry.generator, {
    cwd: input.cwd,
    env: input.env,
    timeoutMs: timeoutMs(entry),
  });
  const command = describeCommand(entry.generator);
  if (failed(result)) {
    throw new GitwardenError(
      'COMMAND_FAILED',
      `generator for ${name} failed: ${how(result, entry)} (${command})${tail(result, [result.stdout.toString('utf8')])}`,
      {
        hint: `${nothingChanged(name, target)} Fix the generator and run again.`,
      },
    );
  }
  const value = decodeValue(result.stdout);
  if (value === undefined) {
    throw new GitwardenError(
      'COMMAND_FAILED',
      `generator for ${name} printed something that is not UTF-8 text (${command})`,
      {
        hint: `${nothingChanged(name, target)} Print the secret as text, e.g. base64 or hex.`,
      },
    );
  }
  if (!value.trim()) {
    throw new GitwardenError(
      'COMMAND_FAILED',
      `generator for ${name} printed nothing (${command})`,
      {
        hint: `${nothingChanged(name, target)} The generator must print the new value on stdout.`,
      },
    );
  }
  const bytes = Buffer.byteLength(value);
  if (target.maxBytes !== undefined && bytes > target.maxBytes) {
    throw new GitwardenError(
      'COMMAND_FAILED',
      `generator for ${name} printed ${bytes} bytes; ${target.description} takes at most ${target.maxBytes}`,
      { hint: nothingChanged(name, target) },
    );
  }
  return value;
}

async function check(input: RotateInput, value: string): Promise<void> {
  const { name, entry, target } = input;
  const result = await runCommand(entry.check!, {
    cwd: input.cwd,
    env: { ...input.env, GITWARDEN_NEW_SECRET: value },
    input: value,
    timeoutMs: timeoutMs(entry),
  });
  if (failed(result)) {
    throw new GitwardenError(
      'COMMAND_FAILED',
      `the new value of ${name} failed its check: ${how(result, entry)} (${describeCommand(entry.check!)})${tail(result, [value])}`,
      {
        hint: `${nothingChanged(name, target)} If the generator created a new credential at its provider, revoke that one; then fix the cause and run again.`,
      },
    );
  }
}

async function store(input: RotateInput, value: string): Promise<void> {
  const { name, target } = input;
  try {
    await input.target.put(value);
  } catch (error) {
    const reason = isGitwardenError(error) ? error.message : String(error);
    throw new GitwardenError(
      isGitwardenError(error) ? error.code : 'COMMAND_FAILED',
      `the new value of ${name} was generated${input.entry.check ? ' and checked' : ''} but could not be stored: ${redact(reason, [value])}`,
      {
        hint: `${nothingChanged(name, target)} Revoke the unused new credential at its provider if the generator created one, fix the cause above, and run again.`,
        cause: error,
      },
    );
  }
}

/**
 * One trailing line ending is removed, since nearly every generator ends
 * its output with one (echo, openssl rand -hex); anything else, inner
 * newlines of a PEM key included, is kept exactly.
 */
export function decodeValue(bytes: Buffer): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  if (text.includes('\0')) return undefined;
  return text.replace(/\r?\n$/, '');
}

function failed(result: CommandResult): boolean {
  return (
    result.code !== 0 || result.timedOut || result.startError !== undefined
  );
}

function how(result: CommandResult, entry: RotationEntry): string {
  if (result.startError) return `could not start (${result.startError})`;
  if (result.timedOut) return `no result within ${timeoutMs(entry) / 1000} s`;
  return `exit code ${result.code ?? 'none (killed)'}`;
}

/** The command's last stderr lines, with anything secret cut out. */
function tail(result: CommandResult, secrets: string[]): string {
  if (!result.stderrTail) return '';
  return `\n${redact(result.stderrTail, secrets)}`;
}

function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) {
    for (const piece of [secret, secret.trim()]) {
      if (piece.length >= 4) out = out.split(piece).join('[redacted]');
    }
  }
  return out;
}

function timeoutMs(entry: RotationEntry): number {
  return (entry.timeoutSeconds ?? 120) * 1000;
}
