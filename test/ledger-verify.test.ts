import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';

import { canonicalJson } from '../src/ledger/canonical.ts';
import type { LedgerConfig } from '../src/ledger/config.ts';
import { signCheckpoint } from '../src/ledger/checkpoint.ts';
import { signEnvelope } from '../src/ledger/dsse.ts';
import { compareAndSwapRef, resolveRef } from '../src/ledger/git-objects.ts';
import { appendRecords } from '../src/ledger/append.ts';
import { initLedger } from '../src/ledger/init.ts';
import { newRecord, sealRecord, statementOf } from '../src/ledger/record.ts';
import { buildAppendCommit, readTip } from '../src/ledger/store.ts';
import { verifyLedger, type VerifyOptions } from '../src/ledger/verify.ts';
import type { Signer } from '../src/keys/signer.ts';
import {
  cleanupTempDirs,
  makeRepo,
  testGitEnv,
  type TestRepo,
} from './helpers/repo.ts';
import {
  chunkLines,
  ledgerConfig,
  makeKey,
  rewriteTip,
  sampleRecord,
  setChunkLines,
  type TestKey,
} from './helpers/ledger.ts';

afterAll(cleanupTempDirs);

const ORIGIN = 'example.com/acme/app/ledger';
const REF = 'refs/heads/gitwarden/ledger';

interface Fixture {
  repo: TestRepo;
  root: TestKey;
  writer: TestKey;
  config: LedgerConfig;
  verify(options?: Partial<VerifyOptions>): ReturnType<typeof verifyLedger>;
  append(
    signer: Signer,
    fields?: Parameters<typeof sampleRecord>[1],
    cosigners?: Signer[],
  ): Promise<string>;
  tipNote(): string;
}

/** A ledger of `count` records, appended one by one by the writer key. */
async function ledger(count = 6): Promise<Fixture> {
  const repo = makeRepo();
  const root = makeKey('root');
  const writer = makeKey('writer');
  const config = ledgerConfig(
    { roots: [root], writers: [writer] },
    { origin: ORIGIN },
  );
  await initLedger({ cwd: repo.dir, config, signer: writer.signer });
  const fixture: Fixture = {
    repo,
    root,
    writer,
    config,
    verify: (options = {}) =>
      verifyLedger({ cwd: repo.dir, config, threads: 0, ...options }),
    async append(signer, fields = {}, cosigners = []) {
      const result = await appendRecords({
        cwd: repo.dir,
        config,
        signer,
        cosigners,
        records: [sampleRecord(1, fields)],
      });
      return result.records[0]!.id;
    },
    tipNote: () =>
      execFileSync('git', ['cat-file', 'blob', `${REF}:checkpoint`], {
        cwd: repo.dir,
        env: testGitEnv,
      }).toString(),
  };
  for (let i = 0; i < count; i++)
    await fixture.append(writer.signer, { reason: `record ${i}` });
  return fixture;
}

/** Appends lines exactly as given (a writer with a valid key misbehaving). */
async function appendRaw(
  fixture: Fixture,
  lines: string[],
  signer = fixture.writer.signer,
) {
  const { repo, config } = fixture;
  const commit = (await resolveRef(repo.dir, REF))!;
  const tip = await readTip(repo.dir, REF, commit);
  const built = await buildAppendCommit(repo.dir, tip, lines, signer);
  expect(
    await compareAndSwapRef(repo.dir, config.ref, built.commit, commit),
  ).toBe(true);
}

function decode(line: string) {
  const envelope = JSON.parse(line) as {
    payload: string;
    signatures: { keyid: string; sig: string }[];
  };
  const statement = JSON.parse(
    Buffer.from(envelope.payload, 'base64').toString(),
  );
  return { envelope, statement };
}

function encode(envelope: object, statement?: object): string {
  const payload = statement
    ? Buffer.from(canonicalJson(statement)).toString('base64')
    : undefined;
  return canonicalJson(payload ? { ...envelope, payload } : envelope);
}

describe('ledger verify: a clean log', () => {
  it('is verified but unanchored without an anchor, verified with one', async () => {
    const fixture = await ledger(5);
    const report = await fixture.verify();
    expect(report).toMatchObject({
      verdict: 'unanchored',
      size: 5,
      checkpoints: 6,
      faults: [],
    });
    const anchor = { source: 'test anchor', note: fixture.tipNote() };
    await fixture.append(fixture.writer.signer);
    const anchored = await fixture.verify({ anchors: [anchor] });
    expect(anchored.verdict).toBe('verified');
    expect(anchored.anchors).toEqual([
      expect.objectContaining({
        source: 'test anchor',
        size: 5,
        consistent: true,
      }),
    ]);
  });

  it('gives the same verdicts through worker threads', async () => {
    const fixture = await ledger(0);
    const records = Array.from({ length: 700 }, (_, i) => sampleRecord(i));
    await appendRecords({
      cwd: fixture.repo.dir,
      config: fixture.config,
      signer: fixture.writer.signer,
      records,
    });
    await fixture.append(fixture.writer.signer);
    expect((await fixture.verify({ threads: 2 })).verdict).toBe('unanchored');
    rewriteTip(fixture.repo, (files) => {
      const path = 'records/000/002.jsonl';
      const lines = chunkLines(files, path);
      [lines[10], lines[11]] = [lines[11]!, lines[10]!];
      setChunkLines(files, lines, path);
    });
    const report = await fixture.verify({ threads: 2 });
    expect(report.verdict).toBe('tampered');
    expect(report.faults[0]).toMatchObject({ index: 522 });
  });
});

describe('ledger verify catches each way to cheat', () => {
  it('an edited field', async () => {
    const fixture = await ledger();
    rewriteTip(fixture.repo, (files) => {
      const lines = chunkLines(files);
      const { envelope, statement } = decode(lines[3]!);
      statement.predicate.actor.id = 'someone-else';
      lines[3] = encode(envelope, statement);
      setChunkLines(files, lines);
    });
    const report = await fixture.verify();
    expect(report.verdict).toBe('tampered');
    expect(report.faults[0]).toMatchObject({
      index: 3,
      message: expect.stringMatching(/does not verify: the record was altered/),
    });
  });

  it('a deleted record', async () => {
    const fixture = await ledger();
    rewriteTip(fixture.repo, (files) =>
      setChunkLines(
        files,
        chunkLines(files).filter((_, i) => i !== 2),
      ),
    );
    const report = await fixture.verify();
    expect(report.faults[0]).toMatchObject({
      index: 2,
      message: expect.stringMatching(
        /the record before it is not the one its writer saw: records were removed, inserted or reordered here/,
      ),
    });
  });

  it('two records swapped', async () => {
    const fixture = await ledger();
    rewriteTip(fixture.repo, (files) => {
      const lines = chunkLines(files);
      [lines[1], lines[2]] = [lines[2]!, lines[1]!];
      setChunkLines(files, lines);
    });
    const report = await fixture.verify();
    expect(report.faults[0]).toMatchObject({
      index: 1,
      message: expect.stringMatching(
        /records were removed, inserted or reordered here/,
      ),
    });
  });

  it('a truncated tail', async () => {
    const fixture = await ledger();
    rewriteTip(fixture.repo, (files) =>
      setChunkLines(files, chunkLines(files).slice(0, 4)),
    );
    const report = await fixture.verify();
    expect(report.verdict).toBe('tampered');
    expect(report.faults.map((f) => f.message).join('\n')).toMatch(
      /holds 4 records: records were removed from the end/,
    );
  });

  it('a truncated tail rebuilt with a stolen writer key', async () => {
    const fixture = await ledger();
    const anchor = { source: 'protected branch', note: fixture.tipNote() };
    const blob = execFileSync(
      'git',
      ['cat-file', 'blob', `${REF}:records/000/000.jsonl`],
      {
        cwd: fixture.repo.dir,
      },
    );
    const lines = chunkLines(new Map([['x', blob]]), 'x');
    const rebuild = async () => {
      fixture.repo.git(['update-ref', '-d', REF]);
      await initLedger({
        cwd: fixture.repo.dir,
        config: fixture.config,
        signer: fixture.writer.signer,
      });
    };
    // Copying the first four records into a new history: their writers
    // witnessed checkpoints this history does not have.
    await rebuild();
    await appendRaw(fixture, lines.slice(0, 4));
    const copied = await fixture.verify();
    expect(copied.faults[0]).toMatchObject({
      index: 1,
      message: expect.stringMatching(
        /a size no checkpoint in this history has: the history was rewritten/,
      ),
    });
    // Re-signing everything anew leaves only the anchor to catch it.
    await rebuild();
    for (let i = 0; i < 4; i++) await fixture.append(fixture.writer.signer);
    expect((await fixture.verify()).verdict).toBe('unanchored');
    const report = await fixture.verify({ anchors: [anchor] });
    expect(report.verdict).toBe('tampered');
    expect(report.faults[0]!.message).toMatch(
      /anchored checkpoint \(protected branch\) has 6 records but the log only 4/,
    );
  });

  it('a history rewritten by force push, caught by the anchor', async () => {
    const fixture = await ledger(3);
    const remote = makeRepo({ bare: true });
    fixture.repo.git(['push', '-q', remote.dir, `${REF}:${REF}`]);
    const anchor = { source: 'last run', note: fixture.tipNote() };
    // The attacker holds a writer key: a new ledger, same origin, all valid.
    const attacker = makeRepo();
    await initLedger({
      cwd: attacker.dir,
      config: fixture.config,
      signer: fixture.writer.signer,
    });
    for (let i = 0; i < 5; i++) {
      await appendRecords({
        cwd: attacker.dir,
        config: fixture.config,
        signer: fixture.writer.signer,
        records: [sampleRecord(i, { reason: 'forged' })],
      });
    }
    attacker.git(['push', '-q', '--force', remote.dir, `${REF}:${REF}`]);
    fixture.repo.git([
      'fetch',
      '-q',
      remote.dir,
      `+${REF}:refs/remotes/origin/gitwarden/ledger`,
    ]);
    const report = await fixture.verify({
      ref: 'refs/remotes/origin/gitwarden/ledger',
      anchors: [anchor],
    });
    expect(report.verdict).toBe('tampered');
    expect(report.faults).toContainEqual(
      expect.objectContaining({
        index: 3,
        message: expect.stringMatching(
          /history was rewritten: the log does not extend the anchored checkpoint \(last run, size 3\)/,
        ),
      }),
    );
  });

  it('an old signature replayed on a new record', async () => {
    const fixture = await ledger();
    const old = decode(
      chunkLines(
        new Map([
          [
            'c',
            execFileSync(
              'git',
              ['cat-file', 'blob', `${REF}:records/000/000.jsonl`],
              { cwd: fixture.repo.dir },
            ),
          ],
        ]),
        'c',
      )[2]!,
    );
    const record = newRecord(sampleRecord(9, { why: 'never signed' }), {
      origin: ORIGIN,
      now: new Date(),
    });
    const forged = encode({ ...old.envelope }, statementOf(record));
    await appendRaw(fixture, [forged]);
    const report = await fixture.verify();
    expect(report.faults[0]).toMatchObject({
      index: 6,
      id: record.id,
      message: expect.stringMatching(/does not verify/),
    });
  });

  it('a record signed by an unknown key', async () => {
    const fixture = await ledger();
    const stranger = makeKey('stranger');
    await fixture.append(stranger.signer);
    const report = await fixture.verify();
    expect(report.faults[0]).toMatchObject({
      index: 6,
      message: `signed by an unknown key ${stranger.fingerprint}`,
    });
    expect(report.faults.map((f) => f.message)).toContain(
      'checkpoint for size 7: not signed by any key trusted at that position',
    );
  });

  it('a revoked key used after its revocation', async () => {
    const fixture = await ledger();
    const { root, writer } = fixture;
    await fixture.append(root.signer, {
      action: 'key.revoke',
      key: { fingerprint: writer.fingerprint },
    });
    expect((await fixture.verify()).verdict).toBe('unanchored');
    await fixture.append(writer.signer);
    const report = await fixture.verify();
    expect(report.faults[0]).toMatchObject({
      index: 7,
      message: `signed by key ${writer.fingerprint} was revoked at record 6`,
    });
  });

  it('a duplicate id', async () => {
    const fixture = await ledger();
    const id = await fixture.append(fixture.writer.signer);
    await fixture.append(fixture.writer.signer, { id });
    const report = await fixture.verify();
    expect(report.faults).toEqual([
      expect.objectContaining({
        index: 7,
        id,
        message: 'duplicate id: the same record id appears at record 6',
      }),
    ]);
  });

  it('JSON that is valid but not canonical', async () => {
    const fixture = await ledger();
    const record = newRecord(sampleRecord(3), {
      origin: ORIGIN,
      now: new Date(),
    });
    const pretty = Buffer.from(JSON.stringify(statementOf(record), null, 2));
    const envelope = await signEnvelope(pretty, [fixture.writer.signer]);
    await appendRaw(fixture, [canonicalJson(envelope)]);
    const report = await fixture.verify();
    expect(report.faults[0]).toMatchObject({
      index: 6,
      message: 'signed payload is not canonical JSON (RFC 8785)',
    });
  });

  it('a checkpoint signed by the wrong key', async () => {
    const fixture = await ledger();
    const stranger = makeKey('stranger');
    const tip = await readTip(
      fixture.repo.dir,
      REF,
      (await resolveRef(fixture.repo.dir, REF))!,
    );
    const note = await signCheckpoint(tip.checkpoint, [stranger.signer]);
    rewriteTip(
      fixture.repo,
      (files) => files.set('checkpoint', Buffer.from(note)),
      {
        message: (old) => `${old.slice(0, old.indexOf('\n\n'))}\n\n${note}`,
      },
    );
    const report = await fixture.verify();
    expect(report.faults).toEqual([
      expect.objectContaining({
        index: 6,
        message:
          'checkpoint for size 6: not signed by any key trusted at that position',
      }),
    ]);
  });

  it('a record written for another log', async () => {
    const fixture = await ledger();
    const foreign = newRecord(sampleRecord(1), {
      origin: 'other.example/log',
      now: new Date(),
    });
    await appendRaw(fixture, [
      await sealRecord(foreign, [fixture.writer.signer]),
    ]);
    const report = await fixture.verify();
    expect(report.faults[0]!.message).toMatch(/belongs to another log/);
  });

  it('a corrupt line and a truncated line', async () => {
    const fixture = await ledger();
    rewriteTip(fixture.repo, (files) => {
      const lines = chunkLines(files);
      lines[1] = lines[1]!.slice(0, 50);
      files.set('records/000/000.jsonl', Buffer.from(`${lines.join('\n')}`));
    });
    const report = await fixture.verify();
    expect(report.faults[0]).toMatchObject({
      index: 1,
      message: expect.stringMatching(/not valid JSON/),
    });
    expect(report.faults.map((f) => f.message)).toContain(
      'record is truncated (its chunk does not end in a newline)',
    );
  });
});

describe('ledger keys by position', () => {
  it('admits a writer key by a root-signed record, from the next position', async () => {
    const fixture = await ledger(2);
    const next = makeKey('next');
    await fixture.append(fixture.root.signer, {
      action: 'key.add',
      key: { fingerprint: next.fingerprint, publicKey: next.entry.publicKey },
    });
    await fixture.append(next.signer);
    expect(await fixture.verify()).toMatchObject({
      verdict: 'unanchored',
      size: 4,
      faults: [],
    });
  });

  it('refuses a key.add that a writer signed', async () => {
    const fixture = await ledger(2);
    const next = makeKey('next');
    await fixture.append(fixture.writer.signer, {
      action: 'key.add',
      key: { fingerprint: next.fingerprint, publicKey: next.entry.publicKey },
    });
    const report = await fixture.verify();
    expect(report.faults[0]).toMatchObject({
      index: 2,
      message: 'key.add must be signed by a root key',
    });
  });

  it('rotates a writer key with a record both keys sign', async () => {
    const fixture = await ledger(2);
    const next = makeKey('next');
    const rotation = {
      action: 'key.rotate',
      key: {
        fingerprint: next.fingerprint,
        publicKey: next.entry.publicKey,
        previous: fixture.writer.fingerprint,
      },
    };
    await fixture.append(fixture.writer.signer, rotation, [next.signer]);
    await fixture.append(next.signer);
    expect((await fixture.verify()).faults).toEqual([]);
    await fixture.append(fixture.writer.signer);
    const report = await fixture.verify();
    expect(report.faults[0]).toMatchObject({
      index: 4,
      message: `signed by key ${fixture.writer.fingerprint} was rotated out at record 2`,
    });
  });

  it('refuses a rotation the new key did not sign', async () => {
    const fixture = await ledger(1);
    const next = makeKey('next');
    await fixture.append(fixture.writer.signer, {
      action: 'key.rotate',
      key: {
        fingerprint: next.fingerprint,
        publicKey: next.entry.publicKey,
        previous: fixture.writer.fingerprint,
      },
    });
    const report = await fixture.verify();
    expect(report.faults[0]).toMatchObject({
      index: 1,
      message: 'key.rotate must be signed by the new key',
    });
  });

  it('names the records of a key compromised before its revocation', async () => {
    const fixture = await ledger(5);
    await fixture.append(fixture.root.signer, {
      action: 'key.revoke',
      key: { fingerprint: fixture.writer.fingerprint, compromisedFrom: 3 },
    });
    const report = await fixture.verify();
    expect(report.verdict).toBe('unanchored');
    expect(report.distrusted).toEqual([
      {
        fingerprint: fixture.writer.fingerprint,
        from: 3,
        revokedAt: 5,
        indexes: [3, 4],
      },
    ]);
  });
});
