import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { defaultPolicy } from '../src/policy/load.ts';
import { parsePolicy } from '../src/policy/parse.ts';
import { cleanupTempDirs, runCli, tempDir } from './helpers/repo.ts';

afterAll(cleanupTempDirs);

const source = { kind: 'file', path: 'policy.yml' } as const;

function problemsOf(text: string): string {
  try {
    parsePolicy(text, source);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the policy to be rejected');
}

describe('policy loading', () => {
  it('applies the built-in default with Agent and Task required', () => {
    const policy = defaultPolicy();
    expect(policy.trailers.required.map((t) => t.key)).toEqual([
      'Agent',
      'Task',
    ]);
    expect(policy.trailers.exemptMerges).toBe(true);
  });

  it('names file, line, column and field for an unknown field', () => {
    const text = 'trailers:\n  requird: []\n';
    expect(problemsOf(text)).toMatch(
      /^policy\.yml:2:\d+: trailers\.requird: unknown field 'requird'/,
    );
  });

  it('reports a bad regular expression where it is written', () => {
    const text =
      'trailers:\n  required:\n    - key: Task\n      pattern: "(["\n';
    expect(problemsOf(text)).toMatch(
      /^policy\.yml:4:\d+: trailers\.required\[0\]\.pattern: expected a valid regular expression/,
    );
  });

  it('rejects duplicate keys', () => {
    expect(problemsOf('version: 1\nversion: 1\n')).toMatch(/duplicate key/);
  });

  it('validate exits 2 without a stack trace on a broken file', () => {
    const dir = tempDir();
    const file = join(dir, 'policy.yml');
    writeFileSync(file, 'trailers: [unclosed\n');
    const result = runCli(['policy', 'validate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/YAML syntax error/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
