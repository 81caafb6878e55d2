import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

import AjvDraft04 from 'ajv-draft-04';

import {
  cleanupTempDirs,
  makeRepo,
  runCli,
  tempDir,
  testGitEnv,
} from './helpers/repo.ts';
import { fake } from './helpers/secrets.ts';

afterAll(cleanupTempDirs);

const ZERO = '0'.repeat(40);
const cli = join(import.meta.dirname, '..', 'bin', 'gitwarden.js');

function scan(dir: string, args: string[], input?: string) {
  return runCli(['scan', ...args], { cwd: dir, input });
}

/** A repository with one clean commit on main. */
function repoWithBase() {
  const repo = makeRepo();
  repo.write('README.md', '# demo\n');
  repo.write('src/app.ts', 'export const a = 1;\nexport const b = 2;\n');
  const base = repo.commit('base');
  return { repo, base };
}

describe('gitwarden scan --staged', () => {
  it('passes clean changes and names file, line and column of a secret', () => {
    const { repo } = repoWithBase();
    repo.write('src/app.ts', 'export const a = 1;\nexport const b = 2;\n');
    repo.write('notes.txt', 'nothing here\n');
    repo.git(['add', '-A']);
    expect(scan(repo.dir, ['--staged']).code).toBe(0);

    const token = fake('github-pat', 1);
    repo.write(
      'src/app.ts',
      `export const a = 1;\nconst gh = "${token}";\nexport const b = 2;\n`,
    );
    repo.git(['add', '-A']);
    const result = scan(repo.dir, ['--staged']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('src/app.ts:2:13');
    expect(result.stdout).toContain('GitHub token');
    expect(result.stdout + result.stderr).not.toContain(token.slice(4));
  });

  it('sees what `git commit -a` commits, through a real pre-commit hook', () => {
    const { repo } = repoWithBase();
    writeFileSync(
      join(repo.dir, '.git/hooks/pre-commit'),
      `#!/bin/sh\nexec "${process.execPath}" "${cli}" scan --staged\n`,
    );
    chmodSync(join(repo.dir, '.git/hooks/pre-commit'), 0o755);
    // Not staged: only `commit -a` (a temporary index) brings it in.
    repo.write(
      'src/app.ts',
      `export const token = "${fake('slack-bot-token', 1)}";\n`,
    );
    const commit = spawnSync('git', ['commit', '-a', '-m', 'leak'], {
      cwd: repo.dir,
      env: { ...testGitEnv, NO_COLOR: '1' },
      encoding: 'utf8',
    });
    expect(commit.status).not.toBe(0);
    // git shows a hook's output on its standard error.
    expect(commit.stderr).toContain('src/app.ts:1:23');
    expect(repo.git(['log', '--format=%s'])).toBe('base');
  });
});

describe('gitwarden scan of commits', () => {
  function leakThenFix() {
    const { repo, base } = repoWithBase();
    repo.git(['checkout', '-q', '-b', 'feature']);
    const token = fake('stripe-live-key', 2);
    repo.write('config/pay.yml', `currency: eur\nkey: ${token}\n`);
    const leak = repo.commit('add payment settings');
    repo.write('config/pay.yml', 'currency: eur\nkey: ${STRIPE_KEY}\n');
    const fix = repo.commit('use the environment');
    return { repo, base, leak, fix, token };
  }

  it('--push finds a secret a later commit of the push removed', () => {
    const { repo, base, leak, fix } = leakThenFix();
    const result = scan(repo.dir, [
      '--push',
      base,
      fix,
      'refs/heads/feature',
      '--json',
    ]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.findings).toMatchObject([
      {
        rule: 'secretlint/stripe',
        commit: leak,
        path: 'config/pay.yml',
        line: 2,
        column: 6,
      },
    ]);
  });

  it('--base/--head and --range judge the same commits', () => {
    const { repo, leak } = leakThenFix();
    const pr = scan(repo.dir, [
      '--base',
      'main',
      '--head',
      'feature',
      '--json',
    ]);
    const range = scan(repo.dir, ['--range', 'main..feature', '--json']);
    expect(pr.code).toBe(1);
    expect(range.code).toBe(1);
    expect(JSON.parse(pr.stdout).findings[0].commit).toBe(leak);
    expect(JSON.parse(range.stdout).findings).toEqual(
      JSON.parse(pr.stdout).findings,
    );
  });

  it('a new branch brings only the commits no other ref has', () => {
    const { repo } = leakThenFix();
    // next starts from feature, which already holds the leak.
    repo.git(['checkout', '-q', '-b', 'next']);
    const clean = repo.commit('clean');
    expect(
      scan(repo.dir, ['--push', ZERO, clean, 'refs/heads/next']).code,
    ).toBe(0);
  });

  it('a push that deletes a branch has nothing to scan', () => {
    // HEAD's history holds a leak: a scan of "no revisions" must not
    // fall back to reading it.
    const { repo, fix } = leakThenFix();
    const result = scan(repo.dir, ['--push', fix, ZERO, 'refs/heads/feature']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('0 scanned');
  });

  it('exit 3 for a range or history that reaches past a shallow clone', () => {
    const { repo } = leakThenFix();
    const clone = tempDir();
    spawnSync(
      'git',
      [
        'clone',
        '-q',
        '--depth=1',
        '--branch=feature',
        `file://${repo.dir}`,
        clone,
      ],
      {
        env: testGitEnv,
      },
    );
    const result = scan(clone, ['--range', 'HEAD']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('shallow');
    const history = scan(clone, ['--history']);
    expect(history.code).toBe(3);
    expect(history.stderr).toContain('git fetch --unshallow');
  });

  it('--history finds a secret that is gone from HEAD', () => {
    const { repo, leak } = leakThenFix();
    repo.git(['checkout', '-q', 'main']);
    const result = scan(repo.dir, ['--history', '--json']);
    expect(result.code).toBe(1);
    expect(
      JSON.parse(result.stdout).findings.map(
        (f: { commit: string }) => f.commit,
      ),
    ).toEqual([leak]);
    // Not a terminal: no progress bar in the output.
    expect(result.stderr).not.toMatch(/scanning commit/);
  });

  it('--history shows a progress bar on a terminal', () => {
    const { repo } = leakThenFix();
    // script(1) runs the command on a pseudo-terminal.
    const result = spawnSync(
      'script',
      ['-qec', `"${process.execPath}" "${cli}" scan --history`, '/dev/null'],
      {
        cwd: repo.dir,
        env: { ...testGitEnv, NO_COLOR: '1' },
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('scanned 3 commits');
  });

  it('a pre-receive hook refuses a push that carries a secret', () => {
    const server = makeRepo({ bare: true });
    const hook = join(server.dir, 'hooks/pre-receive');
    writeFileSync(
      hook,
      [
        '#!/bin/sh',
        'status=0',
        'while read old new ref; do',
        `  "${process.execPath}" "${cli}" scan --push "$old" "$new" "$ref" || status=1`,
        'done',
        'exit $status',
        '',
      ].join('\n'),
    );
    chmodSync(hook, 0o755);
    const { repo } = leakThenFix();
    repo.git(['remote', 'add', 'origin', server.dir]);
    repo.git(['push', '-q', 'origin', 'main']);
    const push = spawnSync('git', ['push', 'origin', 'feature'], {
      cwd: repo.dir,
      env: testGitEnv,
      encoding: 'utf8',
    });
    expect(push.status).not.toBe(0);
    expect(push.stderr).toContain('config/pay.yml:2:6');
    expect(push.stderr).toContain('pre-receive hook declined');
  });
});

describe('accepting a finding', () => {
  it('--update-baseline accepts it; the baseline holds no secret', () => {
    const { repo } = repoWithBase();
    const password = fake('generic-password', 3);
    repo.write('test/fixture.env.json', `{"password": "${password}"}\n`);
    expect(scan(repo.dir, ['test']).code).toBe(1);
    const update = scan(repo.dir, ['test', '--update-baseline']);
    expect(update.code).toBe(0);
    expect(update.stderr).toContain('added 1 finding');
    const baseline = readFileSync(
      join(repo.dir, '.gitwarden/secrets-baseline.json'),
      'utf8',
    );
    expect(baseline).not.toContain(password);
    expect(JSON.parse(baseline).findings).toMatchObject([
      { rule: 'gitwarden/generic-secret', path: 'test/fixture.env.json' },
    ]);
    const again = scan(repo.dir, ['test']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('1 accepted by the baseline');
  });

  it('reads baseline and allowlist from the base of a push, never from the push', () => {
    const { repo, base } = repoWithBase();
    repo.git(['checkout', '-q', '-b', 'feature']);
    repo.write(
      '.gitwarden/policy.yml',
      "secrets:\n  allowlist:\n    paths: ['fixtures/**']\n",
    );
    repo.commit('allow fixtures');
    repo.write('fixtures/key.txt', `token = "${fake('github-pat', 5)}"\n`);
    const tip = repo.commit('add a fixture');
    // The same push that adds the allowlist cannot rely on it.
    expect(
      scan(repo.dir, ['--push', base, tip, 'refs/heads/feature']).code,
    ).toBe(1);
    // Once the allowlist is on the base, the fixture is skipped.
    const allowed = repo.git(['rev-parse', 'HEAD~1']);
    const result = scan(repo.dir, [
      '--push',
      allowed,
      tip,
      'refs/heads/feature',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('allowlisted');
  });

  it('a push is judged by the baseline committed on its base', () => {
    const { repo, base } = repoWithBase();
    const password = fake('generic-password', 8);
    repo.write('test/data.json', `{"password": "${password}"}\n`);
    // Accept it, and commit the baseline alone first.
    expect(scan(repo.dir, ['test', '--update-baseline']).code).toBe(0);
    repo.git(['add', '.gitwarden/secrets-baseline.json']);
    repo.git(['commit', '-qm', 'accept a test password']);
    const accepted = repo.git(['rev-parse', 'HEAD']);
    const tip = repo.commit('add the test data');
    // From the commit before the baseline, the password is a finding...
    expect(scan(repo.dir, ['--push', base, tip, 'refs/heads/main']).code).toBe(
      1,
    );
    // ...from the one with it, it is accepted.
    const result = scan(repo.dir, ['--push', accepted, tip, 'refs/heads/main']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 accepted by the baseline');
  });

  it('a policy can switch scanning off, and a broken one stops with exit 2', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), `token = "${fake('npm-token', 1)}"\n`);
    writeFileSync(join(dir, 'off.yml'), 'secrets:\n  enabled: false\n');
    const off = scan(dir, ['a.txt', '--policy', 'off.yml']);
    expect(off.code).toBe(0);
    expect(off.stdout).toContain('disabled by the policy');
    writeFileSync(
      join(dir, 'bad.yml'),
      'secrets:\n  rules:\n    disable: [secretlint/nope]\n',
    );
    const bad = scan(dir, ['a.txt', '--policy', 'bad.yml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /bad\.yml:3:\d+: secrets\.rules\.disable\[0\]: unknown rule/,
    );
  });
});

describe('files and folders', () => {
  it('walks a folder outside a repository; inside one, honours .gitignore', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(
      join(dir, 'sub/a.yml'),
      `api_key: "${fake('generic-password', 4)}"\n`,
    );
    const outside = scan(dir, ['.', '--json']);
    expect(outside.code).toBe(1);
    expect(JSON.parse(outside.stdout).findings[0].path).toBe('sub/a.yml');

    const { repo } = repoWithBase();
    repo.write('.gitignore', 'secret-local.txt\n');
    repo.write('secret-local.txt', `token = "${fake('github-pat', 7)}"\n`);
    expect(scan(repo.dir, ['.']).code).toBe(0);
  });
});

describe('report formats', () => {
  it('writes SARIF 2.1.0 that validates against the SARIF schema', () => {
    const { repo } = repoWithBase();
    repo.write(
      'dir with space/ü.ts',
      `const t = "${fake('openai-key', 1)}";\n`,
    );
    repo.write('b.env', `DB_PASSWORD=${fake('generic-password', 6)}\n`);
    const result = scan(repo.dir, ['.', '--sarif']);
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout);
    const schema = JSON.parse(
      readFileSync(
        join(
          import.meta.dirname,
          '..',
          'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
        ),
        'utf8',
      ),
    );
    // The published schema has a pattern that is invalid with the u flag.
    // A CommonJS default export seen from ESM: the class is on .default.
    const Ajv = AjvDraft04.default;
    const ajv = new Ajv({
      allErrors: true,
      strict: false,
      unicodeRegExp: false,
      logger: false,
      validateFormats: false,
    });
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const uris = log.runs[0].results.map(
      (r: {
        locations: {
          physicalLocation: { artifactLocation: { uri: string } };
        }[];
      }) => r.locations[0]!.physicalLocation.artifactLocation.uri,
    );
    expect(uris.sort()).toEqual([
      'b.env',
      'b.env',
      'dir%20with%20space/%C3%BC.ts',
    ]);
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(true);
  });

  it('writes a report file with -o and lists rules', () => {
    const { repo } = repoWithBase();
    const out = join(tempDir(), 'report.json');
    expect(scan(repo.dir, ['.', '--json', '-o', out]).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({
      complete: true,
      findings: [],
    });
    const rules = scan(repo.dir, ['--list-rules']);
    expect(rules.code).toBe(0);
    expect(rules.stdout).toMatch(/^gitwarden\/jwt\s+JSON Web Token$/m);
  });
});

describe('usage errors', () => {
  it('exit 2 for nothing to scan, two things, or a bad --push', () => {
    const { repo } = repoWithBase();
    expect(scan(repo.dir, []).code).toBe(2);
    expect(scan(repo.dir, ['--staged', '--history']).code).toBe(2);
    expect(scan(repo.dir, ['--push', ZERO, ZERO]).code).toBe(2);
    expect(scan(repo.dir, ['no-such-path']).code).toBe(2);
  });
});

describe('gitwarden scan-output', () => {
  const token = fake('anthropic-key', 2);

  it('finds secrets in piped text and redacts them', () => {
    const log = `step 1 ok\nexport ANTHROPIC_API_KEY=${token}\nstep 2 ok\n`;
    const found = runCli(['scan-output'], { input: log });
    expect(found.code).toBe(1);
    expect(found.stdout).toContain('<stdin>:2:26');
    const redacted = runCli(['scan-output', '--redact', '-'], { input: log });
    expect(redacted.code).toBe(1);
    expect(redacted.stdout).toBe(
      'step 1 ok\nexport ANTHROPIC_API_KEY=[REDACTED:secretlint/anthropic]\nstep 2 ok\n',
    );
    const clean = runCli(['scan-output', '--redact'], { input: 'all fine\n' });
    expect(clean).toMatchObject({ code: 0, stdout: 'all fine\n' });
  });

  it('ignores allow comments in outputs', () => {
    const result = runCli(['scan-output'], {
      input: `key=${token} # gitwarden:allow\n`,
    });
    expect(result.code).toBe(1);
  });

  it('exit 3 when an input cannot be read or is not text', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blob.bin'), Buffer.from([1, 0, 2, 0, 3]));
    expect(runCli(['scan-output', dir]).code).toBe(3);
    const binary = runCli(['scan-output', join(dir, 'blob.bin')]);
    expect(binary.code).toBe(3);
    expect(binary.stderr).toContain('binary');
    const redact = runCli(['scan-output', '--redact', join(dir, 'blob.bin')]);
    expect(redact).toMatchObject({ code: 3, stdout: '' });
  });
});
