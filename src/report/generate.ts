// `gitwarden report` without the command line: finds the policy, the
// verifier's verdict and the control mappings, then streams the ledger
// export into a report. The CLI, the demo and the `report` action call it.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { GitwardenError } from '../errors.ts';
import {
  DEFAULT_POLICY_PATH,
  defaultPolicy,
  loadPolicyFile,
} from '../policy/load.ts';
import { buildReportFromFile } from './build.ts';
import { loadControls } from './controls.ts';
import { resolvePeriod } from './period.ts';
import { integrityFromJson, NOT_VERIFIED } from './records.ts';
import { resolveSlaPolicy } from './sla-policy.ts';
import type { Report } from './types.ts';

export interface GenerateOptions {
  /** A ledger export: one DSSE envelope per line. */
  ledger: string;
  /** `gitwarden ledger verify --json` output for the same ledger. */
  verification?: string;
  /** Policy file; default: .gitwarden/policy.yml under `cwd` if present. */
  policy?: string;
  cwd: string;
  since?: string;
  until?: string;
  controls?: string[];
  trailLimit?: number;
  now: number;
}

export async function generateReport(
  options: GenerateOptions,
): Promise<Report> {
  const policyPath = options.policy ?? join(options.cwd, DEFAULT_POLICY_PATH);
  const policy =
    options.policy !== undefined || existsSync(policyPath)
      ? await loadPolicyFile(policyPath)
      : defaultPolicy();
  const sla = resolveSlaPolicy(policy.document);
  const period = resolvePeriod(options, options.now, sla.windowMs);
  const integrity = options.verification
    ? integrityFromJson(await readJson(options.verification))
    : NOT_VERIFIED;
  return buildReportFromFile(options.ledger, {
    policy: policy.document,
    period,
    integrity,
    controls: await loadControls(options.controls ?? []),
    ledger: options.ledger,
    trailLimit: options.trailLimit,
    now: options.now,
  });
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new GitwardenError(
      'INPUT_UNREADABLE',
      `cannot read ${path}: ${code}`,
      { cause },
    );
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new GitwardenError(
      'INPUT_INVALID',
      `${path} is not JSON: ${(cause as Error).message}`,
      { cause },
    );
  }
}
