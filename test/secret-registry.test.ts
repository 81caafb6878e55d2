import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { cleanupTempDirs, tempDir } from './helpers/repo.ts';
import { useSecretRegistry } from './helpers/secret-registry.ts';

const secrets = useSecretRegistry();
afterAll(cleanupTempDirs);

// The registry guards every other test; it must itself be able to fail.
describe('secret registry', () => {
  it('finds a secret in watched output, naming it by label', () => {
    const value = secrets.make('api key');
    secrets.watch(`token=${value}`, 'stdout');
    expect(secrets.leaks()).toEqual(['api key appears in stdout']);
    expect(secrets.leaks().join()).not.toContain(value);
    secrets.reset();
  });

  it('finds a secret in a written file and in an error chain', () => {
    const value = secrets.make('db password');
    const dir = tempDir();
    writeFileSync(join(dir, 'report.json'), JSON.stringify({ value }));
    secrets.watchFiles(dir);
    secrets.watchError(new Error('outer', { cause: new Error(value) }));
    expect(secrets.leaks()).toHaveLength(2);
    secrets.reset();
  });

  it('passes clean output', () => {
    secrets.make('unused');
    secrets.watch('nothing to see', 'stdout');
    expect(secrets.leaks()).toEqual([]);
  });

  it('makes a different value every time', () => {
    expect(secrets.make()).not.toBe(secrets.make());
  });
});
