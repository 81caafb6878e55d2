import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { GitwardenError } from '../errors.ts';
import { readFileAt } from '../git/blobs.ts';
import type { Finding } from './types.ts';

// The baseline: findings accepted on purpose (test fixtures, documented
// examples), kept as fingerprints in a file committed to the repository.
// A fingerprint is a sha256 over rule, path and secret; the file never
// holds a secret. Like the policy, it is read from the base of a change.

export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  path: string;
  /** Where it was when accepted, for people reading the file. */
  line?: number;
}

export interface Baseline {
  source: string;
  entries: BaselineEntry[];
  fingerprints: Set<string>;
}

const FINGERPRINT = /^[0-9a-f]{64}$/;

export function emptyBaseline(source: string): Baseline {
  return { source, entries: [], fingerprints: new Set() };
}

/** The baseline as committed at a revision; empty when there is none. */
export async function readBaselineAt(
  repo: string,
  revision: string | undefined,
  path: string,
): Promise<Baseline> {
  if (revision === undefined) return emptyBaseline(path);
  const bytes = await readFileAt(repo, revision, path);
  const source = `${revision.slice(0, 12)}:${path}`;
  return bytes
    ? parseBaseline(bytes.toString('utf8'), source)
    : emptyBaseline(source);
}

/** The baseline file in the work tree; empty when there is none. */
export async function readBaselineFile(file: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return emptyBaseline(file);
    }
    throw new GitwardenError(
      'INPUT_UNREADABLE',
      `cannot read baseline ${file}`,
      {
        cause: error,
      },
    );
  }
  return parseBaseline(text, file);
}

export function parseBaseline(text: string, source: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw invalid(source, `not JSON (${(error as Error).message})`);
  }
  const findings = (data as { findings?: unknown })?.findings;
  if (
    (data as { version?: unknown })?.version !== 1 ||
    !Array.isArray(findings)
  ) {
    throw invalid(source, 'expected {"version": 1, "findings": [...]}');
  }
  const entries: BaselineEntry[] = findings.map((entry, index) => {
    const { fingerprint, rule, path, line } = (entry ?? {}) as Record<
      string,
      unknown
    >;
    if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint)) {
      throw invalid(
        source,
        `findings[${index}].fingerprint: expected 64 hex digits`,
      );
    }
    if (typeof rule !== 'string' || typeof path !== 'string') {
      throw invalid(
        source,
        `findings[${index}]: expected "rule" and "path" strings`,
      );
    }
    return typeof line === 'number'
      ? { fingerprint, rule, path, line }
      : { fingerprint, rule, path };
  });
  return {
    source,
    entries,
    fingerprints: new Set(entries.map((e) => e.fingerprint)),
  };
}

function invalid(source: string, detail: string) {
  return new GitwardenError('INPUT_INVALID', `baseline ${source}: ${detail}`, {
    hint: 'Fix the file, or delete it and run gitwarden scan --update-baseline.',
  });
}

/**
 * Adds findings to the baseline file (existing entries are kept) and
 * writes it sorted, so its diffs stay small. Returns how many were new.
 */
export async function updateBaseline(
  file: string,
  findings: readonly Finding[],
): Promise<number> {
  const baseline = await readBaselineFile(file);
  let added = 0;
  for (const finding of findings) {
    if (baseline.fingerprints.has(finding.fingerprint)) continue;
    baseline.fingerprints.add(finding.fingerprint);
    baseline.entries.push({
      fingerprint: finding.fingerprint,
      rule: finding.rule,
      path: finding.path,
      line: finding.line,
    });
    added++;
  }
  baseline.entries.sort(
    (a, b) =>
      a.path.localeCompare(b.path) ||
      a.rule.localeCompare(b.rule) ||
      a.fingerprint.localeCompare(b.fingerprint),
  );
  const text = JSON.stringify(
    {
      version: 1,
      description:
        'Secret findings accepted on purpose, by fingerprint (sha256 of rule, path and value; no secret is stored). Written by gitwarden scan --update-baseline.',
      findings: baseline.entries,
    },
    null,
    2,
  );
  await mkdir(dirname(file), { recursive: true });
  // Write beside and rename: a crash never leaves half a baseline.
  await writeFile(`${file}.tmp`, `${text}\n`);
  await rename(`${file}.tmp`, file);
  return added;
}
