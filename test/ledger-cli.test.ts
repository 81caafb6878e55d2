import { execFileSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { leafHash, verifyInclusion } from '../src/ledger/merkle.ts';
import {
  cleanupTempDirs,
  makeRepo,
  runCli,
  tempDir,
  testGitEnv,
  type TestRepo,
} from './helpers/repo.ts';
import {
  chunkLines,
  makeKey,
  rewriteTip,
  setChunkLines,
  type TestKey,
} from './helpers/ledger.ts';

afterAll(cleanupTempDirs);

const REF = 'refs/heads/gitwarden/ledger';
let key: TestKey;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  key = makeKey('ci');
  env = { GITWARDEN_LEDGER_KEY: key.pem };
});

function policy(keys: TestKey[], extra: string[] = []): string {
  return [
    'ledger:',
    '  enabled: true',
    '  origin: example.com/acme/app/ledger',
    ...extra,
    '  writerKeys:',
    ...keys.flatMap((k) => [
      `    - fingerprint: ${k.entry.fingerprint}`,
      `      publicKey: ${k.entry.publicKey}`,
    ]),
    '',
  ].join('\n');
}

/** A repository whose protected branch (main) carries the ledger policy. */
function repoWithPolicy(text = policy([key])): TestRepo {
  const repo = makeRepo();
  repo.write('.gitwarden/policy.yml', text);
  repo.commit('policy\n');
  return repo;
}

function gw(repo: TestRepo, args: string[], extra: NodeJS.ProcessEnv = {}) {
  const result = runCli(['ledger', ...args], {
    cwd: repo.dir,
    env: { ...env, ...extra },
  });
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return result;
}

async function withRecords(count = 3): Promise<TestRepo> {
  const repo = repoWithPolicy();
  expect(gw(repo, ['init']).code).toBe(0);
  for (let i = 0; i < count; i++) {
    expect(
      gw(repo, [
        'append',
        '--action',
        'push.check',
        '--actor',
        `dev${i}`,
        '--decision',
        'allow',
      ]).code,
    ).toBe(0);
  }
  return repo;
}

describe('gitwarden ledger verify exit codes', () => {
  it('3 unanchored, then 0 against its own cache, 1 once tampered', async () => {
    const repo = await withRecords();
    const first = gw(repo, ['verify']);
    expect(first.code).toBe(3);
    expect(first.stdout).toMatch(
      /ledger verified but UNANCHORED: 3 records, 4 checkpoints/,
    );
    const second = gw(repo, ['verify']);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(
      /ledger verified: .* extends local cache .*\(size 3\)/,
    );
    expect(gw(repo, ['verify', '--no-cache']).code).toBe(3);

    rewriteTip(repo, (files) => {
      const lines = chunkLines(files);
      setChunkLines(files, [lines[0]!, lines[2]!, lines[1]!]);
    });
    const tampered = gw(repo, ['verify']);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/ledger TAMPERED/);
    expect(tampered.stdout).toMatch(
      /record 1 \([0-9a-f-]{36}\): the record before it is not the one its writer saw/,
    );
    const json = JSON.parse(gw(repo, ['verify', '--json']).stdout);
    expect(json.verdict).toBe('tampered');
    expect(json.faults[0]).toMatchObject({ index: 1 });
  });

  it('0 on a fresh clone anchored to the checkpoint committed on the protected branch', async () => {
    const repo = await withRecords(2);
    const checkpoint = gw(repo, ['export', '--checkpoint']).stdout;
    repo.write('.gitwarden/ledger.checkpoint', checkpoint);
    repo.commit('ledger anchor\n');
    gw(repo, ['append', '--action', 'push.check', '--actor', 'later']);
    const remote = makeRepo({ bare: true });
    repo.git(['push', '-q', remote.dir, 'main', `${REF}:${REF}`]);
    const clone = join(tempDir(), 'runner');
    execFileSync('git', ['clone', '-q', remote.dir, clone], {
      env: testGitEnv,
    });
    execFileSync('git', ['fetch', '-q', 'origin', `${REF}:${REF}`], {
      cwd: clone,
      env: testGitEnv,
    });
    const result = runCli(['ledger', 'verify', '--no-cache', '--json'], {
      cwd: clone,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).anchors).toEqual([
      expect.objectContaining({
        source: 'HEAD:.gitwarden/ledger.checkpoint',
        size: 2,
        consistent: true,
      }),
    ]);
  });

  it('2 when the policy trusts no key, or names no ledger', async () => {
    const repo = repoWithPolicy('version: 1\n');
    const result = gw(repo, ['verify']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the policy trusts no ledger keys/);
  });

  it('1 with a clear message for a ref that is not a ledger', async () => {
    const repo = await withRecords(1);
    const verify = gw(repo, ['verify', '--branch', 'main']);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toMatch(
      /refs\/heads\/main is not a gitwarden ledger/,
    );
    const append = gw(repo, [
      'append',
      '--branch',
      'main',
      '--action',
      'x.y',
      '--actor',
      'a',
    ]);
    expect(append.code).toBe(1);
    expect(append.stderr).toMatch(/is not a gitwarden ledger/);
  });
});

describe('gitwarden ledger keys', () => {
  it('keygen writes a 0600 key outside the repository and refuses inside it', () => {
    const repo = makeRepo();
    const inside = runCli(
      ['ledger', 'keygen', '--out', join(repo.dir, 'ledger.key')],
      { cwd: repo.dir },
    );
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/is inside the repository/);
    const out = join(tempDir(), 'ledger.key');
    const made = runCli(
      ['ledger', 'keygen', '--out', out, '--name', 'ci', '--json'],
      { cwd: repo.dir },
    );
    expect(made.code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(JSON.parse(made.stdout)).toMatchObject({
      name: 'ci',
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(made.stdout).not.toMatch(/PRIVATE/);
    expect(
      runCli(['ledger', 'keygen', '--out', out], { cwd: repo.dir }).code,
    ).toBe(2);
  });

  it('exits 2 naming the provider when the key is missing or unsafe', () => {
    const repo = repoWithPolicy();
    const missing = gw(repo, ['init'], { GITWARDEN_LEDGER_KEY: undefined });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /environment variable GITWARDEN_LEDGER_KEY is not set/,
    );
    const file = join(tempDir(), 'open.key');
    writeFileSync(file, key.pem, { mode: 0o644 });
    const open = gw(repo, ['init', '--key-file', file]);
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(
      /can be read or written by others \(mode 0644\)/,
    );
    const failing = gw(repo, [
      'init',
      '--key-command',
      `${process.execPath} -e process.exit(4)`,
    ]);
    expect(failing.code).toBe(2);
    expect(failing.stderr).toMatch(/key command .* exited 4/);
    const garbage = gw(repo, ['init'], { GITWARDEN_LEDGER_KEY: 'not a key' });
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).not.toMatch(/not a key/);
    expect(() => repo.git(['rev-parse', '--verify', REF])).toThrow();
  });

  it('takes the key file the policy names', () => {
    const file = join(tempDir(), 'ci.key');
    writeFileSync(file, key.pem, { mode: 0o600 });
    const repo = repoWithPolicy(
      policy([key], ['  signer:', '    provider: file', `    path: ${file}`]),
    );
    expect(gw(repo, ['init'], { GITWARDEN_LEDGER_KEY: undefined }).code).toBe(
      0,
    );
  });
});

describe('gitwarden ledger key records', () => {
  it('rotates the writer key with a record both keys sign', async () => {
    const repo = await withRecords(1);
    const next = makeKey('next');
    const rotation = JSON.stringify({
      actor: { id: 'security-team' },
      action: 'key.rotate',
      why: 'scheduled rotation',
      key: {
        fingerprint: next.fingerprint,
        publicKey: next.entry.publicKey,
        previous: key.fingerprint,
      },
    });
    const rotated = runCli(
      ['ledger', 'append', '--input', '-', '--cosign-key-env', 'NEXT_KEY'],
      {
        cwd: repo.dir,
        env: { ...env, NEXT_KEY: next.pem },
        input: `${rotation}\n`,
      },
    );
    expect(rotated.stderr).toBe('');
    expect(
      gw(repo, ['append', '--action', 'push.check', '--actor', 'a'], {
        GITWARDEN_LEDGER_KEY: next.pem,
      }).code,
    ).toBe(0);
    expect(gw(repo, ['verify', '--no-cache']).code).toBe(3);
    gw(repo, ['append', '--action', 'push.check', '--actor', 'a']);
    const stale = gw(repo, ['verify', '--no-cache']);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(
      /record 3 .*: signed by key [0-9a-f]{64} was rotated out at record 1/,
    );
  });
});

describe('gitwarden ledger append, show, prove, export', () => {
  it('appends JSON lines in one commit and names a bad line', async () => {
    const repo = await withRecords(0);
    const input = join(tempDir(), 'records.jsonl');
    const record = (n: number) =>
      JSON.stringify({
        actor: { id: `bot${n}` },
        action: 'command.run',
        subject: { command: ['make', 'deploy'] },
      });
    writeFileSync(input, `${record(1)}\n${record(2)}\n\n${record(3)}\n`);
    const result = gw(repo, ['append', '--input', input, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      firstIndex: 0,
      size: 3,
      retries: 0,
    });
    expect(repo.git(['log', '-1', '--format=%s', REF])).toBe(
      'ledger: append 3 records',
    );
    writeFileSync(input, `${record(4)}\n{"actor":\n`);
    const bad = gw(repo, ['append', '--input', input]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/records\.jsonl:2: not a JSON record/);
    const invalid = runCli(['ledger', 'append', '--input', '-'], {
      cwd: repo.dir,
      env,
      input: '{"actor":{"id":"a"},"action":"Bad Action"}\n',
    });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/action: expected text matching/);
    expect(gw(repo, ['append', '--actor', 'a']).stderr).toMatch(
      /append needs --action/,
    );
  });

  it('shows, proves and exports what it holds', async () => {
    const repo = await withRecords(5);
    const rows = gw(repo, ['show', '--json'])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    const id = rows[3].record.id;
    expect(
      gw(repo, ['show', '--limit', '2']).stdout.trim().split('\n'),
    ).toHaveLength(2);
    expect(JSON.parse(gw(repo, ['show', id, '--json']).stdout)).toMatchObject({
      index: 3,
      signers: [key.fingerprint],
      record: {
        id,
        actor: { id: 'dev3' },
        where: { host: expect.any(String) },
      },
    });

    const proof = JSON.parse(gw(repo, ['prove', id, '--json']).stdout);
    const raw = gw(repo, ['export', '--raw']).stdout.trim().split('\n');
    expect(raw).toHaveLength(5);
    const leaf = leafHash(Buffer.from(raw[3]!));
    expect(proof).toMatchObject({
      index: 3,
      treeSize: 5,
      leafHash: leaf.toString('base64'),
    });
    const hashes = proof.hashes.map((h: string) => Buffer.from(h, 'base64'));
    expect(
      verifyInclusion(
        leaf,
        3,
        5,
        hashes,
        Buffer.from(proof.rootHash, 'base64'),
      ),
    ).toBe(true);

    const old = join(tempDir(), 'old.checkpoint');
    writeFileSync(old, gw(repo, ['export', '--checkpoint']).stdout);
    gw(repo, ['append', '--action', 'push.check', '--actor', 'x']);
    const since = gw(repo, ['prove', '--since', old, '--json']);
    expect(since.code).toBe(0);
    expect(JSON.parse(since.stdout)).toMatchObject({
      oldSize: 5,
      newSize: 6,
      consistent: true,
    });
    expect(gw(repo, ['prove', 'no-such-record']).code).toBe(2);

    const exported = gw(repo, ['export'])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(exported[3]).toMatchObject({ index: 3, record: { id } });
  });
});
