import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { schemaReference, starterPolicy } from '../src/init/starter-policy.ts';
import { parsePolicy } from '../src/policy/parse.ts';
import { projectRoot } from './helpers/hooks.ts';
import { cleanupTempDirs, makeRepo, runCli, tempDir } from './helpers/repo.ts';

afterAll(cleanupTempDirs);

const HOOK = readFileSync(join(projectRoot, 'hooks', 'commit-msg'), 'utf8');
const read = (dir: string, path: string) =>
  readFileSync(join(dir, path), 'utf8');
const init = (dir: string, ...args: string[]) =>
  runCli(['init', ...args], { cwd: dir });

describe('gitwarden init in a repository without package.json', () => {
  it('writes the starter policy and installs the hook in .git/hooks', () => {
    const repo = makeRepo();
    const result = init(repo.dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^\s+created\s+\.gitwarden\/policy\.yml\s+starter policy$/m,
    );
    expect(result.stdout).toMatch(/^\s+created\s+\.git\/hooks\/commit-msg\s/m);

    const hook = join(repo.dir, '.git', 'hooks', 'commit-msg');
    expect(readFileSync(hook, 'utf8')).toBe(HOOK);
    expect(statSync(hook).mode & 0o111).not.toBe(0);
  });

  it('writes a policy that is valid, warning-free and teaches its schema', () => {
    const repo = makeRepo();
    init(repo.dir);
    const text = read(repo.dir, '.gitwarden/policy.yml');
    const schema =
      'https://unpkg.com/gitwarden@0.1.0/schemas/policy.schema.json';
    expect(text.split('\n')[0]).toBe(
      `# yaml-language-server: $schema=${schema}`,
    );
    const policy = parsePolicy(text, { kind: 'file', path: 'policy.yml' });
    expect(policy.warnings).toEqual([]);
    expect(policy.document.$schema).toBe(schema);
    expect(policy.trailers.required.map((t) => t.key)).toEqual([
      'Agent',
      'Task',
    ]);
  });

  it('changes nothing when run again, and says so', () => {
    const repo = makeRepo();
    init(repo.dir);
    const policyBefore = statSync(join(repo.dir, '.gitwarden/policy.yml'));
    const again = init(repo.dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Already set up: nothing changed.');
    expect(again.stdout).not.toMatch(/created|updated|replaced/);
    const policyAfter = statSync(join(repo.dir, '.gitwarden/policy.yml'));
    expect(policyAfter.mtimeMs).toBe(policyBefore.mtimeMs);
  });

  it('keeps a policy of the team’s own, and says when it is broken', () => {
    const repo = makeRepo();
    repo.write('.gitwarden/policy.yml', 'versio: 1\n');
    const result = init(repo.dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /kept\s+\.gitwarden\/policy\.yml\s+your policy, left as it is/,
    );
    expect(result.stderr).toContain(
      '.gitwarden/policy.yml has 1 problem; see `gitwarden policy validate`',
    );
    expect(read(repo.dir, '.gitwarden/policy.yml')).toBe('versio: 1\n');
  });

  it('keeps a policy linked from elsewhere, judged by what it points to', () => {
    const repo = makeRepo();
    repo.write('policies/main.yml', 'version: 1\n');
    mkdirSync(join(repo.dir, '.gitwarden'));
    symlinkSync(
      '../policies/main.yml',
      join(repo.dir, '.gitwarden/policy.yml'),
    );
    const result = init(repo.dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/kept\s+\.gitwarden\/policy\.yml/);
    expect(
      lstatSync(join(repo.dir, '.gitwarden/policy.yml')).isSymbolicLink(),
    ).toBe(true);
  });

  it('writes nothing when a path it needs is blocked (exit 2)', () => {
    const repo = makeRepo();
    repo.write('.gitwarden', 'a file where a folder belongs');
    const result = init(repo.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '.gitwarden/policy.yml: a parent of it is a file, not a folder',
    );
    expect(existsSync(join(repo.dir, '.git/hooks/commit-msg'))).toBe(false);
  });

  it('refuses to overwrite a commit-msg hook of the user’s own (exit 1)', () => {
    const repo = makeRepo();
    const theirs = '#!/bin/sh\nnpx commitlint --edit "$1"\n';
    repo.write('.git/hooks/commit-msg', theirs);
    const result = init(repo.dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/refused\s+\.git\/hooks\/commit-msg/);
    expect(result.stdout).toContain(
      'add this line to it: gitwarden check --quiet --message-file "$1"',
    );
    expect(read(repo.dir, '.git/hooks/commit-msg')).toBe(theirs);
    // The rest is still done.
    expect(existsSync(join(repo.dir, '.gitwarden/policy.yml'))).toBe(true);
  });

  it('keeps a hook of the user’s own once it runs gitwarden', () => {
    const repo = makeRepo();
    const theirs = `#!/bin/sh\nnpx commitlint --edit "$1"\ngitwarden check --message-file "$1"\n`;
    repo.write('.git/hooks/commit-msg', theirs);
    chmodSync(join(repo.dir, '.git/hooks/commit-msg'), 0o755);
    const result = init(repo.dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/kept\s+\.git\/hooks\/commit-msg/);
    expect(read(repo.dir, '.git/hooks/commit-msg')).toBe(theirs);
  });

  it('with --force replaces the user’s files and keeps them as .bak', () => {
    const repo = makeRepo();
    repo.write('.git/hooks/commit-msg', '#!/bin/sh\necho mine\n');
    repo.write('.gitwarden/policy.yml', 'version: 1\n');
    const result = init(repo.dir, '--force');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /replaced\s+\.git\/hooks\/commit-msg\s+.*the old one is now \.git\/hooks\/commit-msg\.bak/,
    );
    expect(read(repo.dir, '.git/hooks/commit-msg')).toBe(HOOK);
    expect(read(repo.dir, '.git/hooks/commit-msg.bak')).toBe(
      '#!/bin/sh\necho mine\n',
    );
    expect(read(repo.dir, '.gitwarden/policy.yml.bak')).toBe('version: 1\n');

    // Forcing again finds gitwarden's own files: nothing to move aside.
    const again = init(repo.dir, '--force');
    expect(again.stdout).toContain('Already set up: nothing changed.');
    expect(existsSync(join(repo.dir, '.git/hooks/commit-msg.bak.1'))).toBe(
      false,
    );
  });

  it('makes its own hook executable again if that was lost', () => {
    const repo = makeRepo();
    init(repo.dir);
    chmodSync(join(repo.dir, '.git/hooks/commit-msg'), 0o644);
    const result = init(repo.dir);
    expect(result.stdout).toMatch(
      /updated\s+\.git\/hooks\/commit-msg\s+made executable/,
    );
    expect(
      statSync(join(repo.dir, '.git/hooks/commit-msg')).mode & 0o111,
    ).not.toBe(0);
  });

  it('honours a core.hooksPath inside the repository', () => {
    const repo = makeRepo();
    repo.git(['config', 'core.hooksPath', '.githooks']);
    const result = init(repo.dir);
    expect(result.code).toBe(0);
    expect(read(repo.dir, '.githooks/commit-msg')).toBe(HOOK);
    expect(existsSync(join(repo.dir, '.git/hooks/commit-msg'))).toBe(false);
    // A hooks folder in the work tree is versioned: commit it.
    expect(result.stdout).toContain(
      'commit .gitwarden/policy.yml, .githooks/commit-msg',
    );
  });

  it('will not write into a hooks folder outside the repository without --force', () => {
    const repo = makeRepo();
    const shared = tempDir('gitwarden-shared-hooks-');
    repo.git(['config', 'core.hooksPath', shared]);
    const result = init(repo.dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'core.hooksPath points outside this repository',
    );
    expect(existsSync(join(shared, 'commit-msg'))).toBe(false);

    expect(init(repo.dir, '--force').code).toBe(0);
    expect(readFileSync(join(shared, 'commit-msg'), 'utf8')).toBe(HOOK);
  });

  it('installs into the shared hooks folder from a linked worktree', () => {
    const repo = makeRepo();
    repo.commit('first\n\nAgent: human\nTask: GW-1\n');
    const linked = join(tempDir(), 'linked');
    repo.git(['worktree', 'add', '--quiet', linked]);
    const result = init(linked);
    expect(result.code).toBe(0);
    expect(read(repo.dir, '.git/hooks/commit-msg')).toBe(HOOK);
    expect(existsSync(join(linked, '.gitwarden/policy.yml'))).toBe(true);
  });

  it('sets up --repo PATH from elsewhere, from a subfolder too', () => {
    const repo = makeRepo();
    mkdirSync(join(repo.dir, 'src'));
    const result = runCli(['init', '--repo', join(repo.dir, 'src')], {
      cwd: tempDir(),
    });
    expect(result.code).toBe(0);
    expect(existsSync(join(repo.dir, '.gitwarden/policy.yml'))).toBe(true);
  });

  it('refuses a bare repository and a folder outside git (exit 2)', () => {
    const bare = makeRepo({ bare: true });
    const inBare = init(bare.dir);
    expect(inBare.code).toBe(2);
    expect(inBare.stderr).toContain('is a bare repository');

    const outside = init(tempDir());
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('is not in a git repository');
  });

  it('says when the hook will not find gitwarden on PATH', () => {
    const repo = makeRepo();
    const result = runCli(['init'], {
      cwd: repo.dir,
      env: { PATH: '/usr/bin:/bin' },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'the hook runs gitwarden from PATH, where there is none yet',
    );
  });

  it('reports in JSON with --json', () => {
    const repo = makeRepo();
    writeFileSync(join(repo.dir, 'README'), 'x');
    const result = init(repo.dir, '--json');
    const report = JSON.parse(result.stdout) as {
      mode: string;
      changed: boolean;
      steps: { action: string; target: string }[];
    };
    expect(report.mode).toBe('hooks-folder');
    expect(report.changed).toBe(true);
    expect(report.steps.map((s) => [s.action, s.target])).toEqual([
      ['created', '.gitwarden/policy.yml'],
      ['created', '.git/hooks/commit-msg'],
      ['created', '.git/hooks/pre-push'],
    ]);
  });
});

describe('the starter policy', () => {
  /**
   * Uncomments the example block that starts with `# <first>` and every
   * comment line indented under it, as a user enabling it would.
   */
  function uncomment(text: string, first: string): string {
    const lines = text.split('\n');
    const start = lines.findIndex((line) => line.trim() === `# ${first}`);
    expect(start, first).toBeGreaterThanOrEqual(0);
    const indent = lines[start]!.indexOf('#');
    for (let i = start; i < lines.length; i++) {
      const line = lines[i]!;
      const isBlock =
        i === start || new RegExp(`^ {${indent}}# {2,}\\S`).test(line);
      if (!isBlock) break;
      lines[i] = ' '.repeat(indent) + line.slice(indent + 2);
    }
    return lines.join('\n');
  }

  it('stays valid and warning-free with every example enabled', () => {
    let text = starterPolicy(schemaReference(true, '0.1.0'));
    for (const block of ['agents:', 'identities:', 'authors:']) {
      text = uncomment(text, block);
    }
    text = text.replace('# pattern:', () => 'pattern:');
    const policy = parsePolicy(text, { kind: 'file', path: 'policy.yml' });
    expect(policy.warnings).toEqual([]);
    expect(Object.keys(policy.agents)).toEqual(['claude', 'human']);
    expect(policy.identities.alice?.agents).toEqual(['claude', 'human']);
    expect(policy.trailers.exemptAuthors).toEqual([
      '*\\[bot\\]@users.noreply.github.com',
    ]);
    expect(policy.trailers.required[1]?.pattern?.test('GW-42')).toBe(true);
  });
});
