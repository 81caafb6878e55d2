// Reads a report JSON written by `gitwarden report --format json` (or an
// artifact of the `report` action) and checks it against
// schemas/report.schema.json before the dashboard trusts its shape.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Ajv } from 'ajv';

import { GitwardenError } from '../errors.ts';
import type { Report } from './types.ts';

let validator: ReturnType<Ajv['compile']> | undefined;

async function validate(value: unknown): Promise<string[]> {
  if (!validator) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, 'schemas', 'report.schema.json'))) {
      const parent = dirname(dir);
      if (parent === dir) throw new Error('gitwarden schemas/ not found');
      dir = parent;
    }
    const schema = JSON.parse(
      await readFile(join(dir, 'schemas', 'report.schema.json'), 'utf8'),
    );
    // Formats (date-time) are checked where reports are made; a reader
    // only needs the shape.
    validator = new Ajv({
      allErrors: true,
      allowUnionTypes: true,
      validateFormats: false,
    }).compile(schema);
  }
  if (validator(value)) return [];
  return (validator.errors ?? [])
    .slice(0, 10)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

export async function readReport(path: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new GitwardenError(
      'INPUT_UNREADABLE',
      `cannot read report ${path}: ${code}`,
      { cause },
    );
  }
  return parseReport(text, path);
}

export async function parseReport(text: string, name: string): Promise<Report> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new GitwardenError(
      'INPUT_INVALID',
      `${name} is not JSON: ${(cause as Error).message}`,
      { cause },
    );
  }
  const problems = await validate(value);
  if (problems.length > 0) {
    throw new GitwardenError(
      'INPUT_INVALID',
      [
        `${name} is not a gitwarden report:`,
        ...problems.map((p) => `  ${p}`),
      ].join('\n'),
      { hint: 'make one with `gitwarden report --format json`' },
    );
  }
  return value as Report;
}
