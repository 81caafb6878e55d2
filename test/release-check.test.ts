import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { cleanupTempDirs, tempDir } from './helpers/repo.ts';

afterAll(cleanupTempDirs);

const script = join(import.meta.dirname, '..', 'scripts', 'release-check.mjs');

function releaseCheck(root?: string) {
  const result = spawnSync(process.execPath, [script], {
    env: { ...process.env, GITWARDEN_PACKAGE_ROOT: root },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, output: result.stdout + result.stderr };
}

describe('the npm package contents', () => {
  it('hold what a user needs and nothing else', () => {
    const { code, output } = releaseCheck();
    expect(output).toMatch(/what a user needs, nothing else/);
    expect(code).toBe(0);
  });

  it('name every file missing, stray, unused or broken', () => {
    const root = tempDir();
    const files: Record<string, string> = {
      'package.json': JSON.stringify({
        name: 'gitwarden',
        version: '1.0.0',
        bin: { gitwarden: 'bin/gitwarden.js' },
        exports: { '.': './dist/index.js' },
        files: ['bin/', 'dist/', 'schemas/', 'hooks/', 'src/', 'CHANGELOG.md'],
      }),
      'README.md': '# x\n',
      'CHANGELOG.md': '# Changelog\n',
      'bin/gitwarden.js': "await import('../dist/cli.js');\n",
      'dist/cli.js': "import './chunk-A.js';\nawait import('./gone.js');\n",
      'dist/index.js': "export * from './chunk-A.js';\n",
      'dist/chunk-A.js': 'export const a = 1;\n',
      'dist/chunk-OLD.js': 'export const old = 1;\n',
      'dist/cli.js.map': '{}',
      'dist/release.json': '{}',
      'schemas/policy.schema.json': '{}',
      'hooks/commit-msg': '#!/bin/sh\n',
      'src/main.ts': 'export {};\n',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const { code, output } = releaseCheck(root);
    expect(code).toBe(1);
    expect(output).toContain('missing: LICENSE');
    expect(output).toContain('not for users: src/main.ts');
    expect(output).toContain('not for users: dist/cli.js.map');
    expect(output).toContain('dist/cli.js imports unpacked dist/gone.js');
    expect(output).toContain('unused (a stale build?): dist/chunk-OLD.js');
    expect(output).not.toContain('chunk-A');
  });
});
