import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { appendRecords } from '../src/ledger/append.ts';
import { initLedger } from '../src/ledger/init.ts';
import { verifyLedger } from '../src/ledger/verify.ts';
import {
  cleanupTempDirs,
  makeRepo,
  tempDir,
  type TestRepo,
} from './helpers/repo.ts';
import {
  chunkLines,
  ledgerConfig,
  makeKey,
  rewriteTip,
  sampleRecord,
  setChunkLines,
} from './helpers/ledger.ts';

afterAll(cleanupTempDirs);

const REF = 'refs/heads/gitwarden/ledger';
const writer = makeKey('writer');
const config = ledgerConfig(
  { writers: [writer] },
  { origin: 'example.com/acme/log' },
);

function append(repo: TestRepo, count: number, extra = {}) {
  const records = Array.from({ length: count }, (_, i) => sampleRecord(i));
  return appendRecords({
    cwd: repo.dir,
    config,
    signer: writer.signer,
    records,
    ...extra,
  });
}

/** A repository with work in progress: a staged, a modified, a new file. */
function busyRepo(): TestRepo {
  const repo = makeRepo();
  repo.write('a.txt', 'one\n');
  repo.write('b.txt', 'two\n');
  repo.commit('base\n');
  repo.write('a.txt', 'staged change\n');
  repo.git(['add', 'a.txt']);
  repo.write('b.txt', 'unstaged change\n');
  repo.write('c.txt', 'untracked\n');
  return repo;
}

function snapshot(repo: TestRepo) {
  return {
    status: repo.git(['status', '--porcelain=v2', '--branch']),
    staged: repo.git(['diff', '--cached']),
    head: repo.git(['rev-parse', 'HEAD']),
    index: repo.git(['ls-files', '--stage']),
  };
}

describe('ledger storage on an orphan branch', () => {
  it('never touches the work tree, the index or HEAD', async () => {
    const repo = busyRepo();
    const before = snapshot(repo);
    await initLedger({ cwd: repo.dir, config, signer: writer.signer });
    await append(repo, 3);
    expect(snapshot(repo)).toEqual(before);
    expect(
      repo.git(['rev-list', '--max-parents=0', REF]).split('\n'),
    ).toHaveLength(1);
    expect(() => repo.git(['merge-base', 'HEAD', REF])).toThrow();
  });

  it('lays records out in chunks of 256 across appends', async () => {
    const repo = makeRepo();
    await initLedger({ cwd: repo.dir, config, signer: writer.signer });
    for (const count of [250, 10, 340]) await append(repo, count);
    const files = repo.git(['ls-tree', '-r', '--name-only', REF]).split('\n');
    expect(files).toEqual([
      'checkpoint',
      'frontier',
      'ledger.json',
      'records/000/000.jsonl',
      'records/000/001.jsonl',
      'records/000/002.jsonl',
    ]);
    const lines = (path: string) =>
      repo.git(['show', `${REF}:${path}`]).split('\n').length;
    expect([
      lines('records/000/000.jsonl'),
      lines('records/000/001.jsonl'),
      lines('records/000/002.jsonl'),
    ]).toEqual([256, 256, 88]);
    expect(repo.git(['log', '--format=%s', REF]).split('\n')).toEqual([
      'ledger: append 340 records',
      'ledger: append 10 records',
      'ledger: append 250 records',
      'ledger: init',
    ]);
    const report = await verifyLedger({ cwd: repo.dir, config, threads: 0 });
    expect(report).toMatchObject({
      verdict: 'unanchored',
      size: 600,
      faults: [],
    });
  });

  it('refuses to initialise over a branch that is not a ledger', async () => {
    const repo = makeRepo();
    repo.write('a.txt', 'code\n');
    const main = repo.commit('code\n');
    repo.git(['branch', 'gitwarden/ledger']);
    await expect(
      initLedger({ cwd: repo.dir, config, signer: writer.signer }),
    ).rejects.toThrow(
      /refs\/heads\/gitwarden\/ledger is not a gitwarden ledger: its tip .* has no ledger\.json/,
    );
    await expect(append(repo, 1)).rejects.toThrow(/is not a gitwarden ledger/);
    expect(repo.git(['rev-parse', REF])).toBe(main);
  });

  it('initialises once: a second init leaves the ledger as it is', async () => {
    const repo = makeRepo();
    const first = await initLedger({
      cwd: repo.dir,
      config,
      signer: writer.signer,
    });
    await append(repo, 2);
    const tip = repo.git(['rev-parse', REF]);
    const second = await initLedger({
      cwd: repo.dir,
      config,
      signer: writer.signer,
    });
    expect(second).toMatchObject({ created: false, origin: first.origin });
    expect(repo.git(['rev-parse', REF])).toBe(tip);
  });

  it('says so when there is no ledger yet', async () => {
    await expect(append(makeRepo(), 1)).rejects.toThrow(
      /there is no ledger at refs\/heads\/gitwarden\/ledger/,
    );
  });
});

describe('ledger appends refuse bad input and lose nothing', () => {
  async function damaged(mutate: (files: Map<string, Buffer>) => void) {
    const repo = makeRepo();
    await initLedger({ cwd: repo.dir, config, signer: writer.signer });
    await append(repo, 5);
    const tip = rewriteTip(repo, mutate);
    return { repo, tip };
  }

  it('a truncated last line', async () => {
    const { repo, tip } = await damaged((files) => {
      const lines = chunkLines(files);
      files.set('records/000/000.jsonl', Buffer.from(`${lines.join('\n')}`));
    });
    await expect(append(repo, 1)).rejects.toThrow(
      /damaged: the last record is truncated/,
    );
    expect(repo.git(['rev-parse', REF])).toBe(tip);
  });

  it('a frontier that does not match the checkpoint', async () => {
    const { repo, tip } = await damaged((files) =>
      files.set('frontier', Buffer.from('5\n')),
    );
    await expect(append(repo, 1)).rejects.toThrow(
      /frontier does not match checkpoint/,
    );
    expect(repo.git(['rev-parse', REF])).toBe(tip);
  });

  it('records missing behind the checkpoint', async () => {
    const { repo, tip } = await damaged((files) =>
      setChunkLines(files, chunkLines(files).slice(0, 3)),
    );
    await expect(append(repo, 1)).rejects.toThrow(
      /holds 3 records but its checkpoint says 5/,
    );
    expect(repo.git(['rev-parse', REF])).toBe(tip);
  });

  it('a clock far behind the log, or a record far in the future', async () => {
    const repo = makeRepo();
    await initLedger({ cwd: repo.dir, config, signer: writer.signer });
    await append(repo, 1);
    const past = () => new Date(Date.now() - 3_600_000);
    await expect(append(repo, 1, { now: past })).rejects.toThrow(
      /clock .* is \d+ s behind the ledger's newest record/,
    );
    const future = new Date(Date.now() + 3_600_000).toISOString();
    await expect(
      appendRecords({
        cwd: repo.dir,
        config,
        signer: writer.signer,
        records: [sampleRecord(1, { time: future })],
      }),
    ).rejects.toThrow(/more than 300 s in the future/);
  });
});

describe('ledger appends against a remote', () => {
  it('retries a push whose outcome was unclear without appending twice', async () => {
    const remote = makeRepo({ bare: true });
    const repo = makeRepo();
    repo.git(['remote', 'add', 'origin', remote.dir]);
    await initLedger({
      cwd: repo.dir,
      config,
      signer: writer.signer,
      remote: 'origin',
    });
    // A remote that updates the ref, then fails the connection once.
    const dir = tempDir();
    const wrapper = join(dir, 'receive-pack');
    writeFileSync(
      wrapper,
      `#!/bin/sh\ngit receive-pack "$@"\nif [ ! -e "${dir}/failed" ]; then touch "${dir}/failed"; exit 1; fi\n`,
    );
    chmodSync(wrapper, 0o755);
    repo.git(['config', 'remote.origin.receivepack', wrapper]);
    const result = await append(repo, 2, { remote: 'origin' });
    expect(result.retries).toBe(1);
    expect(result.firstIndex).toBe(0);
    repo.git(['fetch', '-q', 'origin']);
    const report = await verifyLedger({
      cwd: repo.dir,
      config,
      ref: 'refs/remotes/origin/gitwarden/ledger',
      threads: 0,
    });
    expect(report).toMatchObject({ size: 2, faults: [] });
    expect(repo.git(['rev-parse', REF])).toBe(remote.git(['rev-parse', REF]));
  });
});
