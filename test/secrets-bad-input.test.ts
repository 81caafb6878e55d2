import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { scanPaths, scanStaged, scanText } from '../src/secrets/scan.ts';
import { SecretEngine } from '../src/secrets/engine.ts';
import { cleanupTempDirs, makeRepo, runCli, tempDir } from './helpers/repo.ts';
import { fake, places } from './helpers/secrets.ts';

afterAll(cleanupTempDirs);

// Each input here is bounded by construction: git shows files over the
// limit as binary, decoding and the keyword search are linear, long lines
// reach the rules in windows of 16 KB, and the rules match in linear time.
// Were a bound to break, these tests would not slow down: they would hang
// until vitest's timeout fails them.

function staged(files: Record<string, string | Buffer>) {
  const repo = makeRepo();
  repo.write('README.md', 'base\n');
  repo.commit('base');
  for (const [path, content] of Object.entries(files))
    repo.write(path, content);
  repo.git(['add', '-A']);
  return repo;
}

const token = fake('github-pat', 12);
const line = `const key = "${token}";`;
const column = line.indexOf(token) + 1;

describe('binary and oversized files', () => {
  it('skips a file with a NUL byte and says so', async () => {
    const repo = staged({
      'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]),
      // git reads only the first 8000 bytes to decide: this one it shows.
      'late-nul.txt': Buffer.concat([
        Buffer.from(`${'text\n'.repeat(2000)}${line}\n`),
        Buffer.from([0, 0x0a]),
      ]),
    });
    const report = await scanStaged(repo.dir);
    expect(report.findings).toEqual([]);
    expect(report.notices.map((n) => [n.path, n.kind]).sort()).toEqual([
      ['image.png', 'binary'],
      ['late-nul.txt', 'binary'],
    ]);
    const cli = runCli(['scan', '--staged'], { cwd: repo.dir });
    expect(cli.code).toBe(0);
    expect(cli.stderr).toContain('image.png: skipped: binary');
  });

  it('skips a file over the size limit with a warning', async () => {
    const repo = staged({
      '.gitwarden/policy.yml': 'secrets:\n  maxFileSize: 2KB\n',
      'big.txt': `${'filler\n'.repeat(1000)}${line}\n`,
    });
    repo.commit('policy and big file');
    repo.write('big.txt', `${'filler\n'.repeat(1001)}${line}\n`);
    repo.git(['add', '-A']);
    const report = await scanStaged(repo.dir);
    expect(report.findings).toEqual([]);
    expect(report.notices).toMatchObject([
      {
        path: 'big.txt',
        kind: 'too-large',
        message: expect.stringMatching(/over the 2000-byte limit/),
      },
    ]);
    const files = await scanPaths(['big.txt'], { cwd: repo.dir });
    expect(files.notices).toMatchObject([
      { path: 'big.txt', kind: 'too-large' },
    ]);
  });
});

describe('unusual text', () => {
  it(
    'scans a minified one-line file of megabytes',
    { timeout: 120_000 },
    async () => {
      const chunk = 'function(a){return a&&a.b?a.c:null},';
      const half = chunk.repeat(Math.ceil(1_500_000 / chunk.length));
      const repo = staged({ 'dist/app.min.js': `${half}${line}${half}\n` });
      const report = await scanStaged(repo.dir);
      expect(places(report.findings)).toEqual([
        `secretlint/github@1:${half.length + column}`,
      ]);
    },
  );

  it('reads UTF-16 with a byte-order mark, which git calls binary', async () => {
    const text = `first line\n${line}\n`;
    const le = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(text, 'utf16le'),
    ]);
    const be = Buffer.from(le.subarray(2)).swap16();
    const repo = staged({
      'win/le.ps1': le,
      'win/be.txt': Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
    });
    const report = await scanStaged(repo.dir);
    expect(
      report.findings.map((f) => `${f.path}:${f.line}:${f.column}`).sort(),
    ).toEqual([`win/be.txt:2:${column}`, `win/le.ps1:2:${column}`]);
    expect(report.notices.map((n) => n.kind)).toEqual(['utf16', 'utf16']);
    const files = await scanPaths(['win'], { cwd: repo.dir });
    expect(files.findings).toHaveLength(2);
  });

  it('drops a UTF-8 byte-order mark and CR of CRLF, keeping columns', async () => {
    const repo = staged({
      'bom.txt': Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(`${line}\n`),
      ]),
      'dos.txt': `one\r\n${line}\r\nthree\r\n`,
    });
    const report = await scanStaged(repo.dir);
    expect(
      report.findings.map(
        (f) => `${f.path}:${f.line}:${f.column}:${f.endColumn}`,
      ),
    ).toEqual([
      `bom.txt:1:${column}:${column + token.length}`,
      `dos.txt:2:${column}:${column + token.length}`,
    ]);
  });

  it('scans text with invalid UTF-8 and says so', async () => {
    const repo = staged({
      'latin1.txt': Buffer.concat([
        Buffer.from('caf'),
        Buffer.from([0xe9, 0xff]),
        Buffer.from(`\n${line}\n`),
      ]),
    });
    const report = await scanStaged(repo.dir);
    expect(places(report.findings)).toEqual([`secretlint/github@2:${column}`]);
    expect(report.notices).toMatchObject([
      { path: 'latin1.txt', kind: 'invalid-utf8' },
    ]);
  });
});

describe('what a change does to files', () => {
  it('deleted files and pure renames add nothing to scan', async () => {
    const repo = makeRepo();
    const body = `${line}\n${'unchanged filler line\n'.repeat(10)}`;
    repo.write('old/secret.txt', body);
    repo.write('gone.txt', `${line}\n`);
    repo.commit('history already holds these');
    repo.git(['mv', 'old', 'new']);
    repo.git(['rm', '-q', 'gone.txt']);
    expect((await scanStaged(repo.dir)).findings).toEqual([]);
    // A rename with an edit: only the added line is new.
    repo.write(
      'new/secret.txt',
      `${body}const other = "${fake('npm-token', 2)}";\n`,
    );
    repo.git(['add', '-A']);
    const report = await scanStaged(repo.dir);
    expect(report.findings.map((f) => `${f.path}:${f.line}:${f.rule}`)).toEqual(
      ['new/secret.txt:12:secretlint/npm'],
    );
  });

  it('says a submodule pointer is not scanned', async () => {
    const repo = staged({});
    const head = repo.git(['rev-parse', 'HEAD']);
    repo.git([
      'update-index',
      '--add',
      '--cacheinfo',
      `160000,${head},vendor/lib`,
    ]);
    const report = await scanStaged(repo.dir);
    expect(report.notices).toMatchObject([
      { path: 'vendor/lib', kind: 'submodule' },
    ]);
  });

  it('scans a git LFS pointer and says the object is not', async () => {
    const oid = 'a'.repeat(64);
    const repo = staged({
      'assets/model.bin': `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize 12345\n`,
    });
    const report = await scanStaged(repo.dir);
    expect(report.findings).toEqual([]);
    expect(report.notices).toMatchObject([
      { path: 'assets/model.bin', kind: 'lfs-pointer' },
    ]);
  });
});

describe('lines built to make regular expressions backtrack', () => {
  const MB = 1_000_000;
  const repeat = (piece: string) =>
    piece.repeat(Math.ceil(MB / piece.length)).slice(0, MB);
  const lines: Record<string, string> = {
    'one letter': repeat('a'),
    'keyword runs': repeat('passwordtoken'),
    'assignments without values': repeat('password=password='),
    'url starts': repeat('a://b:c@'),
    'url userinfo without @': `redis://${repeat('a:')}`,
    'database url options': `mongodb://u:${repeat('p')}`,
    'pem armour': repeat('-----BEGIN PRIVATE KEY-----'),
    'pem body without end': `-----BEGIN RSA PRIVATE KEY-----${repeat('QUJD')}`,
    'jwt starts': repeat('eyJ'),
    'jwt segments': repeat('eyJhbGciOiJI.'),
    'slack token chain': `xoxb-${repeat('a1-')}`,
    'base64 run': repeat('QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0123+/'),
    'aws key prefixes': repeat('AKIA'),
    'github app token': `ghs_1_${repeat('a.')}`,
    'quotes and escapes': `token = "${repeat('\\"')}`,
    'name value pairs': repeat('- name: DB_PASSWORD\\n  value: '),
    bearer: repeat('Bearer '),
    spaces: `password = ${' '.repeat(MB)}x`,
  };

  for (const [name, text] of Object.entries(lines)) {
    it(`${name}: 1 MB, scanned whole`, { timeout: 120_000 }, async () => {
      const engine = new SecretEngine();
      const [outcome] = await engine.scanUnits([{ path: 'attack.txt', text }]);
      expect(outcome!.error).toBeUndefined();
    });
  }

  it(
    'every line at once, with every line given to every rule',
    { timeout: 300_000 },
    async () => {
      const engine = new SecretEngine({ prefilter: false });
      const text = Object.values(lines).join('\n');
      const [outcome] = await engine.scanUnits([{ path: 'attack.txt', text }]);
      expect(outcome!.error).toBeUndefined();
    },
  );

  it(
    'through the command line as an agent output',
    { timeout: 120_000 },
    () => {
      const dir = tempDir();
      writeFileSync(
        join(dir, 'transcript.log'),
        `${lines['url starts']}\n${line}\n`,
      );
      const result = runCli(['scan-output', 'transcript.log'], { cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`transcript.log:2:${column}`);
    },
  );

  it('scanText reports no findings in a MB of look-alike noise', async () => {
    const report = await scanText('noise', Buffer.from(lines['base64 run']!));
    expect(report.findings).toEqual([]);
  });
});
