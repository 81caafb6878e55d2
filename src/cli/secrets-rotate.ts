import { ExitCode, GitwardenError, isGitwardenError } from '../errors.ts';
import { maxAgeDays, type RotationEntry } from '../policy/providers.ts';
import type { Policy } from '../policy/types.ts';
import type { RotationRecord } from '../rotation/rotate.ts';
import type { RotateOptions } from './commands/secrets.ts';
import {
  githubForRepository,
  githubSettings,
  workingPolicy,
} from './github-context.ts';
import { printError } from './output.ts';

/**
 * `gitwarden secrets rotate NAME`. The value never reaches the terminal:
 * only what was done, where, and the rotation record.
 */
export async function runRotate(
  name: string,
  options: RotateOptions,
): Promise<number> {
  const policy = await workingPolicy(options.policy);
  const entry = policy.document.rotation?.secrets?.[name];
  if (!entry) {
    const known = Object.keys(policy.document.rotation?.secrets ?? {});
    throw new GitwardenError(
      'USAGE',
      `the policy names no rotation for ${name}`,
      {
        hint: known.length
          ? `rotation.secrets names: ${known.join(', ')}`
          : 'Add it under rotation.secrets with a generator and a store.',
      },
    );
  }
  const record = await rotateOne(name, entry, policy, options);
  if (options.json) console.log(JSON.stringify(record, null, 2));
  else console.log(describe(record));
  return ExitCode.Ok;
}

/**
 * `gitwarden secrets rotate --due`: every rotation entry past its maximum
 * age or missing from its store, one after the other. A failure does not
 * stop the others; the exit code is 3 when any failed.
 */
export async function runRotateDue(options: RotateOptions): Promise<number> {
  const policy = await workingPolicy(options.policy);
  const { dueState } = await import('../rotation/due.ts');
  const records: RotationRecord[] = [];
  let failures = 0;

  for (const [name, entry] of Object.entries(
    policy.document.rotation?.secrets ?? {},
  )) {
    try {
      const target = await targetFor(name, entry, policy, options);
      const state = await dueState(
        name,
        target,
        maxAgeDays(policy.document, name),
        new Date(),
      );
      if (state.state === 'fresh') {
        if (!options.json) {
          console.log(
            `${name}: fresh (${state.ageDays} of ${state.maxAgeDays} days)`,
          );
        }
        continue;
      }
      if (state.state === 'unknown') {
        if (!options.json) {
          console.log(
            `${name}: ${target.description} keeps no update time; rotate it by name`,
          );
        }
        continue;
      }
      if (!options.json) console.log(`${name}: due, ${state.reason}`);
      const record = await rotateOne(name, entry, policy, options, records);
      if (!options.json) console.log(`  ${describe(record)}`);
    } catch (error) {
      if (!isGitwardenError(error)) throw error;
      failures++;
      printError(`${name}: ${error.message}`, error.hint);
    }
  }
  if (options.json) console.log(JSON.stringify(records, null, 2));
  return failures ? ExitCode.Incomplete : ExitCode.Ok;
}

async function targetFor(
  name: string,
  entry: RotationEntry,
  policy: Policy,
  options: RotateOptions,
) {
  const { rotationTarget } = await import('../rotation/targets.ts');
  return rotationTarget(name, entry, {
    document: policy.document,
    github: await githubForRepository(githubSettings(options.repo)),
    token: (variable) => process.env[variable] || undefined,
  });
}

// The ledger is not wired to the CLI yet: records are printed (they hold
// no value) so a later step, or the ledger action, can append them.
async function rotateOne(
  name: string,
  entry: RotationEntry,
  policy: Policy,
  options: RotateOptions,
  records: RotationRecord[] = [],
): Promise<RotationRecord> {
  const { rotateSecret } = await import('../rotation/rotate.ts');
  const single = records.length === 0 && !options.due;
  try {
    return await rotateSecret({
      name,
      entry,
      target: await targetFor(name, entry, policy, options),
      cwd: process.cwd(),
      env: process.env,
      record: (r) => {
        records.push(r);
      },
    });
  } catch (error) {
    // The failed attempt is evidence too; the error itself is printed by
    // the caller.
    if (options.json && single && records.length) {
      console.log(JSON.stringify(records.at(-1), null, 2));
    }
    throw error;
  }
}

function describe(record: RotationRecord): string {
  const checked = record.checked ? ', checked' : '';
  return `rotated ${record.secret} in ${record.target.description}${checked}`;
}
