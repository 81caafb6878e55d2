import { ExitCode, GitwardenError } from '../errors.ts';
import type { RotationRecord } from '../rotation/rotate.ts';
import type { RotateOptions } from './commands/secrets.ts';
import {
  githubForRepository,
  githubSettings,
  workingPolicy,
} from './github-context.ts';

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

  const { rotationTarget } = await import('../rotation/targets.ts');
  const { rotateSecret } = await import('../rotation/rotate.ts');
  const target = rotationTarget(name, entry, {
    document: policy.document,
    github: await githubForRepository(githubSettings(options.repo)),
    token: (variable) => process.env[variable] || undefined,
  });

  // The ledger is not wired to the CLI yet: the record is printed (it
  // holds no value) so a later step, or the ledger action, can append it.
  const records: RotationRecord[] = [];
  let record: RotationRecord;
  try {
    record = await rotateSecret({
      name,
      entry,
      target,
      cwd: process.cwd(),
      env: process.env,
      record: (r) => {
        records.push(r);
      },
    });
  } catch (error) {
    // The failed attempt is evidence too; the error itself is printed by
    // the CLI's error boundary.
    if (options.json) console.log(JSON.stringify(records.at(-1), null, 2));
    throw error;
  }

  if (options.json) {
    console.log(JSON.stringify(record, null, 2));
  } else {
    const checked = record.checked ? ', checked' : '';
    console.log(`rotated ${name} in ${record.target.description}${checked}`);
  }
  return ExitCode.Ok;
}
