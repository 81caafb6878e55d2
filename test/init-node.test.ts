import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { installHusky, projectRoot } from './helpers/hooks.ts';
import { cleanupTempDirs, makeRepo, runCli } from './helpers/repo.ts';

afterAll(cleanupTempDirs);

const HOOK = readFileSync(join(projectRoot, 'hooks', 'commit-msg'), 'utf8');
const OWN = JSON.parse(
  readFileSync(join(projectRoot, 'package.json'), 'utf8'),
) as { version: string; devDependencies: Record<string, string> };

const read = (dir: string, path: string) =>
  readFileSync(join(dir, path), 'utf8');
const init = (dir: string, ...args: string[]) =>
  runCli(['init', ...args], { cwd: dir });

/** A Node.js project in a fresh repository, package.json as given. */
function nodeProject(packageJson = '{\n  "name": "app"\n}\n') {
  const repo = makeRepo();
  repo.write('package.json', packageJson);
  return repo;
}

describe('gitwarden init in a Node.js project', () => {
  it('sets husky up the way `husky init` does, and asks for an install', () => {
    const repo = nodeProject(
      '{\n    "name": "app",\n    "devDependencies": {\n        "eslint": "^9.0.0"\n    }\n}\n',
    );
    const result = init(repo.dir);
    expect(result.code).toBe(0);
    expect(read(repo.dir, '.husky/commit-msg')).toBe(HOOK);
    // Key order, four-space indentation and the final newline are kept.
    expect(read(repo.dir, 'package.json')).toBe(
      [
        '{',
        '    "name": "app",',
        '    "devDependencies": {',
        '        "eslint": "^9.0.0",',
        `        "gitwarden": "^${OWN.version}",`,
        `        "husky": "${OWN.devDependencies.husky}"`,
        '    },',
        '    "scripts": {',
        '        "prepare": "husky"',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
    expect(result.stdout).toContain(
      "run `npm install` to install husky and gitwarden; husky's prepare script then activates the hook",
    );
    expect(result.stdout).toContain(
      'commit .gitwarden/policy.yml, .husky/commit-msg, .husky/pre-push, package.json',
    );
    // Nothing is activated behind the user's back without husky.
    expect(() => repo.git(['config', '--get', 'core.hooksPath'])).toThrow();
  });

  it('points the policy at the schema installed with gitwarden', () => {
    const repo = nodeProject();
    init(repo.dir);
    const first = read(repo.dir, '.gitwarden/policy.yml').split('\n')[0];
    expect(first).toBe(
      '# yaml-language-server: $schema=../node_modules/gitwarden/schemas/policy.schema.json',
    );
    // The relative path resolves from the policy's folder to the file
    // this package ships.
    expect(existsSync(join(projectRoot, 'schemas', 'policy.schema.json'))).toBe(
      true,
    );
  });

  it('activates the hook at once when husky is installed', () => {
    const repo = nodeProject();
    installHusky(repo.dir);
    const result = init(repo.dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ran\s+husky\s+core\.hooksPath = \.husky\/_/);
    expect(repo.git(['config', 'core.hooksPath'])).toBe('.husky/_');
    expect(existsSync(join(repo.dir, '.husky/_/commit-msg'))).toBe(true);
    expect(result.stdout).toContain(
      'run `npm install` to install gitwarden, which the hook runs',
    );

    const again = init(repo.dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Already set up: nothing changed.');
  });

  it('warns that hooks left in .git/hooks stop running under husky', () => {
    const repo = nodeProject();
    repo.write('.git/hooks/pre-commit', '#!/bin/sh\nexit 0\n');
    installHusky(repo.dir);
    const result = init(repo.dir);
    expect(result.stderr).toContain(
      'so these in .git/hooks no longer run: pre-commit',
    );
  });

  it('adds to an existing husky set-up without touching package.json', () => {
    const repo = nodeProject(
      JSON.stringify(
        {
          name: 'app',
          scripts: { prepare: 'husky' },
          devDependencies: { gitwarden: '^0.1.0', husky: '^9.0.0' },
        },
        null,
        2,
      ) + '\n',
    );
    installHusky(repo.dir);
    runCli(['init'], { cwd: repo.dir });
    const before = read(repo.dir, 'package.json');
    repo.write('.husky/pre-commit', 'npm test\n');

    const result = init(repo.dir);
    expect(result.code).toBe(0);
    expect(read(repo.dir, 'package.json')).toBe(before);
    expect(read(repo.dir, '.husky/pre-commit')).toBe('npm test\n');
  });

  it('puts husky before an existing prepare script', () => {
    const repo = nodeProject(
      '{"name":"app","scripts":{"prepare":"npm run build"}}',
    );
    init(repo.dir);
    const pkg = JSON.parse(read(repo.dir, 'package.json')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.prepare).toBe('husky && npm run build');
    // No newline at the end before, none after.
    expect(read(repo.dir, 'package.json').endsWith('}')).toBe(true);
  });

  it('refuses a husky commit-msg hook of the user’s own (exit 1)', () => {
    const repo = nodeProject();
    installHusky(repo.dir);
    const theirs = 'npx --no -- commitlint --edit "$1"\n';
    repo.write('.husky/commit-msg', theirs);
    const result = init(repo.dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/refused\s+\.husky\/commit-msg/);
    expect(result.stdout).toContain(
      'add this line to it: gitwarden check --quiet --message-file "$1"',
    );
    expect(read(repo.dir, '.husky/commit-msg')).toBe(theirs);
  });

  it('keeps a core.hooksPath of the project’s own instead of husky', () => {
    const repo = nodeProject();
    repo.git(['config', 'core.hooksPath', 'tools/hooks']);
    const result = init(repo.dir);
    expect(result.code).toBe(0);
    expect(read(repo.dir, 'tools/hooks/commit-msg')).toBe(HOOK);
    expect(existsSync(join(repo.dir, '.husky'))).toBe(false);
    expect(read(repo.dir, 'package.json')).toBe('{\n  "name": "app"\n}\n');
  });

  it('names the package manager the project uses', () => {
    const repo = nodeProject();
    repo.write('pnpm-lock.yaml', 'lockfileVersion: 9.0\n');
    expect(init(repo.dir).stdout).toContain('run `pnpm install`');
  });

  it('changes nothing when package.json is broken (exit 2)', () => {
    const repo = nodeProject('{ "name": "app", }');
    const result = init(repo.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /package\.json is not valid JSON .*; init changed nothing/,
    );
    expect(existsSync(join(repo.dir, '.gitwarden'))).toBe(false);
    expect(existsSync(join(repo.dir, '.husky'))).toBe(false);
  });
});
