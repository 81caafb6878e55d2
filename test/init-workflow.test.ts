import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import {
  actionsPin,
  githubRepository,
  workflowText,
} from '../src/init/workflow.ts';
import { cleanupTempDirs, makeRepo, runCli, tempDir } from './helpers/repo.ts';

afterAll(cleanupTempDirs);

const WORKFLOW = '.github/workflows/gitwarden.yml';
const init = (dir: string, ...args: string[]) =>
  runCli(['init', ...args], { cwd: dir });

describe('gitwarden init and the GitHub Actions workflow', () => {
  it('writes it in a repository with a .github folder, pinned to a commit', () => {
    const repo = makeRepo();
    mkdirSync(join(repo.dir, '.github'));
    const result = init(repo.dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /created\s+\.github\/workflows\/gitwarden\.yml/,
    );

    const text = readFileSync(join(repo.dir, WORKFLOW), 'utf8');
    expect(text).toMatch(
      /uses: gitwarden\/gitwarden\/actions\/verify@[0-9a-f]{40} # v\d+\.\d+\.\d+/,
    );
    // A checkout of gitwarden is not a release, and init says so.
    expect(result.stderr).toMatch(/not a release/);
    expect(result.stdout).toMatch(
      /commit .*\.github\/workflows\/gitwarden\.yml/,
    );

    const again = init(repo.dir);
    expect(again.stdout).toMatch(
      /unchanged\s+\.github\/workflows\/gitwarden\.yml/,
    );
  });

  it('writes it for a GitHub remote, or when asked; not otherwise', () => {
    const remote = makeRepo();
    remote.git([
      'remote',
      'add',
      'origin',
      'git@github.com:octo-org/octo-repo.git',
    ]);
    init(remote.dir);
    expect(existsSync(join(remote.dir, WORKFLOW))).toBe(true);

    const plain = makeRepo();
    init(plain.dir);
    expect(existsSync(join(plain.dir, WORKFLOW))).toBe(false);
    init(plain.dir, '--github');
    expect(existsSync(join(plain.dir, WORKFLOW))).toBe(true);

    const declined = makeRepo();
    mkdirSync(join(declined.dir, '.github'));
    init(declined.dir, '--no-github');
    expect(existsSync(join(declined.dir, WORKFLOW))).toBe(false);
  });

  it('keeps a workflow of the team’s own, or refuses one in the way', () => {
    const keeps = makeRepo();
    keeps.write(
      WORKFLOW,
      'jobs: { v: { steps: [ { uses: "x/gitwarden/actions/verify@abc" } ] } }\n',
    );
    const kept = init(keeps.dir, '--github');
    expect(kept.code).toBe(0);
    expect(kept.stdout).toMatch(/kept\s+\.github\/workflows\/gitwarden\.yml/);

    const other = makeRepo();
    other.write(WORKFLOW, 'name: something else\n');
    const refused = init(other.dir, '--github');
    expect(refused.code).toBe(1);
    expect(readFileSync(join(other.dir, WORKFLOW), 'utf8')).toBe(
      'name: something else\n',
    );

    const forced = init(other.dir, '--github', '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(join(other.dir, `${WORKFLOW}.bak`), 'utf8')).toBe(
      'name: something else\n',
    );
  });
});

describe('pinning gitwarden’s actions', () => {
  function fakePackage(files: Record<string, unknown>) {
    const root = tempDir();
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), JSON.stringify(content));
    }
    return { root, version: '1.2.3', huskyRange: '^9' };
  }
  const repository = { url: 'git+https://github.com/acme/gitwarden.git' };
  const commit = 'ab'.repeat(20);

  it('takes the commit a release was packed from', async () => {
    const pkg = fakePackage({
      'package.json': { name: 'gitwarden', repository },
      'dist/release.json': {
        version: '1.2.3',
        commit,
        tag: 'v1.2.3',
        dirty: false,
      },
    });
    expect(await actionsPin(pkg)).toEqual({
      repository: 'acme/gitwarden',
      commit,
      version: 'v1.2.3',
      released: true,
    });
  });

  it('calls a pack from an untagged or dirty tree unreleased', async () => {
    const pkg = fakePackage({
      'package.json': { name: 'gitwarden', repository },
      'dist/release.json': { version: '1.2.3', commit, tag: null, dirty: true },
    });
    expect(await actionsPin(pkg)).toMatchObject({ released: false });
  });

  it('has nothing to pin without a GitHub repository or a commit', async () => {
    const noRepo = fakePackage({ 'package.json': { name: 'gitwarden' } });
    expect(await actionsPin(noRepo)).toBeUndefined();
    const noCommit = fakePackage({
      'package.json': { name: 'gitwarden', repository },
    });
    expect(await actionsPin(noCommit)).toBeUndefined();
  });

  it('reads owner/name from the forms package.json uses', () => {
    expect(githubRepository('github:acme/tool')).toBe('acme/tool');
    expect(githubRepository('https://github.com/acme/tool.git')).toBe(
      'acme/tool',
    );
    expect(githubRepository({ url: 'git@github.com:acme/tool.git' })).toBe(
      'acme/tool',
    );
    expect(githubRepository('https://gitlab.com/acme/tool')).toBeUndefined();
    expect(
      workflowText({
        repository: 'acme/tool',
        commit,
        version: 'v1.2.3',
        released: true,
      }),
    ).toContain(`acme/tool/actions/verify@${commit} # v1.2.3`);
  });
});
