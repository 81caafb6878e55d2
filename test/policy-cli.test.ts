import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { cleanupTempDirs, makeRepo, runCli, tempDir } from './helpers/repo.ts';

afterAll(cleanupTempDirs);

/** A policy file in a fresh folder; returns its path. */
function policyFile(content: string | Buffer): string {
  const file = join(tempDir(), 'policy.yml');
  writeFileSync(file, content);
  return file;
}

const STACK_LINE = /^\s+at /m;

describe('gitwarden policy validate FILE', () => {
  it.each([
    ['a YAML syntax error', 'trailers: [unclosed\n', /:2:1: YAML syntax error/],
    [
      'a duplicate key',
      'version: 1\nversion: 1\n',
      /:2:1: version: duplicate key/,
    ],
    [
      'an unknown field',
      'trailers:\n  requird: []\n',
      /:2:3: trailers\.requird: unknown field 'requird'; expected one of/,
    ],
    [
      'a wrong type',
      'trailers:\n  enabled: "on"\n',
      /:2:12: trailers\.enabled: expected true or false, found text "on"/,
    ],
    [
      'a bad regular expression',
      'trailers:\n  required:\n    - key: Task\n      pattern: "+"\n',
      /:4:16: trailers\.required\[0\]\.pattern: expected a valid regular expression/,
    ],
    [
      'a bad glob',
      'trailers:\n  exempt:\n    authors: ["{bot@example.com"]\n',
      /:3:15: trailers\.exempt\.authors\[0\]: expected a valid glob pattern \(unclosed '\{'\)/,
    ],
    [
      'a top-level list',
      '- version: 1\n',
      /:1:1: expected a mapping of sections at the top level/,
    ],
    ['two documents', 'version: 1\n---\n', /:2:1: a second YAML document/],
  ])('refuses %s: exit 2, file:line:column, no stack', (_name, text, line) => {
    const file = policyFile(text);
    const result = runCli(['policy', 'validate', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const [first] = result.stderr.split('\n');
    expect(first?.startsWith(`gitwarden: ${file}:`)).toBe(true);
    expect(first).toMatch(line);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('shows the stack trace only with --debug', () => {
    const file = policyFile('versio: 1\n');
    const result = runCli(['--debug', 'policy', 'validate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(STACK_LINE);
  });

  it('refuses an alias bomb quickly and clearly', () => {
    let text = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i <= 20; i++) {
      text += `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    }
    const result = runCli(['policy', 'validate', policyFile(text)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/:2:10: too many YAML aliases/);
  });

  it('refuses a file that is not UTF-8, naming where', () => {
    const file = policyFile(
      Buffer.concat([Buffer.from('agents:\n  caf'), Buffer.from([0xe9])]),
    );
    const result = runCli(['policy', 'validate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${file}:2:6: not UTF-8 text (byte 0xe9); save the policy as UTF-8`,
    );
  });

  it('refuses a directory', () => {
    const dir = tempDir();
    const result = runCli(['policy', 'validate', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `cannot read policy ${dir}: it is a directory, not a file`,
    );
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('refuses a named file that does not exist (no silent default)', () => {
    const missing = join(tempDir(), 'policy.yml');
    const result = runCli(['policy', 'validate', missing]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `cannot read policy ${missing}: no such file`,
    );
  });

  it('prints warnings and still exits 0', () => {
    const file = policyFile(
      'agents:\n  claude: {}\nidentities:\n  alice:\n    emails: [a@example.com]\n    agents: [claud]\n',
    );
    const result = runCli(['policy', 'validate', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${file}: valid (1 warning)\n`);
    expect(result.stderr).toBe(
      `gitwarden: warning: ${file}:6:14: identities.alice.agents[0]: agent 'claud' is not defined under agents\n`,
    );
  });

  it('answers in JSON with --json, problems included', () => {
    const file = policyFile('version: 3\n');
    const result = runCli(['policy', 'validate', '--json', file]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      file,
      valid: false,
      problems: [
        {
          file,
          line: 1,
          column: 10,
          field: 'version',
          message: 'expected 1, found the number 3',
        },
      ],
    });
  });
});

describe('gitwarden policy validate (the repository policy)', () => {
  it('says the built-in default applies when there is no policy file', () => {
    const repo = makeRepo();
    const result = runCli(['policy', 'validate'], { cwd: repo.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^\.gitwarden\/policy\.yml: no policy file; the built-in default applies/,
    );
  });

  it('validates .gitwarden/policy.yml of --repo, from anywhere', () => {
    const repo = makeRepo();
    repo.write('.gitwarden/policy.yml', 'trailers:\n  requird: []\n');
    const elsewhere = tempDir();
    const result = runCli(['policy', 'validate', '--repo', repo.dir], {
      cwd: elsewhere,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /\.gitwarden\/policy\.yml:2:3: trailers\.requird: unknown field/,
    );
  });

  it('finds the policy from a subfolder of the work tree', () => {
    const repo = makeRepo();
    repo.write('.gitwarden/policy.yml', 'version: 1\n');
    mkdirSync(join(repo.dir, 'src', 'deep'), { recursive: true });
    const result = runCli(['policy', 'validate'], {
      cwd: join(repo.dir, 'src', 'deep'),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('../../.gitwarden/policy.yml: valid\n');
  });

  it('refuses a policy path that is a directory', () => {
    const repo = makeRepo();
    mkdirSync(join(repo.dir, '.gitwarden', 'policy.yml'), { recursive: true });
    const result = runCli(['policy', 'validate'], { cwd: repo.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('it is a directory, not a file');
  });

  it('says so for a folder outside any repository', () => {
    const dir = tempDir();
    const result = runCli(['policy', 'validate', '--repo', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${dir} is not in a git repository`);
  });

  it('says so for a bare repository, which has no work tree', () => {
    const bare = makeRepo({ bare: true });
    const result = runCli(['policy', 'validate', '--repo', bare.dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is a bare repository');
  });
});
