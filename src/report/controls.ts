// The control mapping: rules/compliance/controls.yml, shipped with
// gitwarden, plus any files a user adds. Each file is checked against
// schemas/compliance.schema.json and every measure it names must exist;
// problems name the file and the control.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Ajv } from 'ajv';
import { parse } from 'yaml';

import { GitwardenError } from '../errors.ts';
import { METRICS, type MetricName } from './evidence.ts';

export interface EvidenceRule {
  metric: MetricName;
  atLeast?: number;
  atMost?: number;
  equals?: boolean | number;
  optional?: boolean;
}

export interface Control {
  id: string;
  framework: string;
  summary: string;
  evidence: EvidenceRule[];
}

export interface ControlSet {
  files: string[];
  controls: Control[];
}

/** The folder gitwarden is installed in, from src/report or dist. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'rules', 'compliance'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('gitwarden rules/ folder not found');
    dir = parent;
  }
  return dir;
}

export function builtInControlsFile(): string {
  return join(packageRoot(), 'rules', 'compliance', 'controls.yml');
}

let validator: ReturnType<Ajv['compile']> | undefined;

async function validate(document: unknown): Promise<string[]> {
  if (!validator) {
    const schemaFile = join(packageRoot(), 'schemas', 'compliance.schema.json');
    const schema = JSON.parse(await readFile(schemaFile, 'utf8'));
    validator = new Ajv({
      allErrors: true,
      strict: true,
      allowUnionTypes: true,
    }).compile(schema);
  }
  if (validator(document)) return [];
  return (validator.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`,
  );
}

/**
 * Loads the built-in mapping and then each extra file in order; a control
 * whose id is already known replaces the earlier one.
 */
export async function loadControls(
  extraFiles: string[] = [],
): Promise<ControlSet> {
  const files = [builtInControlsFile(), ...extraFiles.map((f) => resolve(f))];
  const byId = new Map<string, Control>();
  for (const file of files) {
    for (const control of await loadFile(file)) byId.set(control.id, control);
  }
  return { files, controls: [...byId.values()] };
}

async function loadFile(file: string): Promise<Control[]> {
  let document: unknown;
  try {
    document = parse(await readFile(file, 'utf8'));
  } catch (cause) {
    const reason =
      (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new GitwardenError(
      'INPUT_UNREADABLE',
      `cannot read control mapping ${file}: ${reason}`,
      { cause },
    );
  }
  const problems = await validate(document);
  const controls =
    problems.length === 0 ? (document as { controls: Control[] }).controls : [];
  for (const control of controls) {
    for (const rule of control.evidence) {
      if (!(rule.metric in METRICS)) {
        problems.push(`control ${control.id}: unknown metric '${rule.metric}'`);
      }
      const tests = ['atLeast', 'atMost', 'equals'].filter((k) => k in rule);
      if (tests.length !== 1) {
        problems.push(
          `control ${control.id}: metric '${rule.metric}' needs exactly one of atLeast, atMost, equals`,
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new GitwardenError(
      'INPUT_INVALID',
      [
        `invalid control mapping ${file}:`,
        ...problems.map((p) => `  ${p}`),
      ].join('\n'),
      {
        hint: 'the format is schemas/compliance.schema.json; measures are listed in the README',
      },
    );
  }
  return controls;
}
