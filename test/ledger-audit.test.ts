import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { createAuditor, type AuditSink } from '../src/ledger/audit.ts';
import { ledgerSink } from '../src/ledger/audit-sink.ts';
import { initLedger } from '../src/ledger/init.ts';
import { decodeRecord, readLines } from '../src/ledger/reader.ts';
import { verifyLedger } from '../src/ledger/verify.ts';
import { cleanupTempDirs, makeRepo, tempDir } from './helpers/repo.ts';
import { ledgerConfig, makeKey } from './helpers/ledger.ts';

afterAll(cleanupTempDirs);

const writer = makeKey('audit');
const config = ledgerConfig(
  { writers: [writer] },
  { origin: 'example.com/acme/audit' },
);
const actor = { id: 'deploy-bot', kind: 'bot' as const };

async function ledgerRepo() {
  const repo = makeRepo();
  await initLedger({ cwd: repo.dir, config, signer: writer.signer });
  const sink = ledgerSink({ cwd: repo.dir, config, signer: writer.signer });
  const records = async () => {
    const all = [];
    for await (const { line } of readLines(
      repo.dir,
      'refs/heads/gitwarden/ledger',
    ))
      all.push(decodeRecord(line)!);
    return all;
  };
  return { repo, sink, records };
}

describe('the audit wrapper', () => {
  it('records outcome and duration, also when the operation throws', async () => {
    const { sink, records } = await ledgerRepo();
    const audit = createAuditor({
      sink,
      spoolDir: tempDir(),
      actor,
      task: 'GW-5',
      flushIntervalMs: 0,
    });
    const value = await audit.wrap(
      {
        action: 'command.run',
        subject: { command: ['make', 'deploy'] },
        why: 'release',
      },
      async () => 42,
    );
    expect(value).toBe(42);
    await expect(
      audit.wrap(
        { action: 'command.run', subject: { command: ['make', 'break'] } },
        () => {
          throw new Error('boom');
        },
      ),
    ).rejects.toThrow('boom');
    await audit.close();
    const [ok, failed] = await records();
    expect(ok).toMatchObject({
      action: 'command.run',
      actor,
      task: 'GW-5',
      why: 'release',
      outcome: { status: 'ok', durationMs: expect.any(Number) },
    });
    expect(failed).toMatchObject({
      decision: 'error',
      outcome: { status: 'error', error: 'boom' },
    });
  });

  it('acknowledges only what is on disk, and sends in batches', async () => {
    const { repo, sink, records } = await ledgerRepo();
    const spoolDir = tempDir();
    const audit = createAuditor({
      sink,
      spoolDir,
      actor,
      batchSize: 100,
      flushIntervalMs: 0,
    });
    await audit.record({ action: 'push.check', decision: 'allow' });
    const [file] = readdirSync(spoolDir);
    expect(file).toMatch(/\.open$/);
    expect(readFileSync(join(spoolDir, file!), 'utf8')).toMatch(
      /"action":"push\.check"/,
    );
    await Promise.all(
      Array.from({ length: 249 }, (_, i) =>
        audit.record({ action: 'push.check', reason: `n${i}` }),
      ),
    );
    await audit.close();
    expect(await records()).toHaveLength(250);
    const commits = repo.git([
      'rev-list',
      '--count',
      'refs/heads/gitwarden/ledger',
    ]);
    expect(Number(commits)).toBeLessThanOrEqual(5);
    expect(readdirSync(spoolDir)).toEqual([]);
    expect(
      (await verifyLedger({ cwd: repo.dir, config, threads: 0 })).faults,
    ).toEqual([]);
  });

  it('loses nothing acknowledged when the process dies before sending', async () => {
    const { repo, sink, records } = await ledgerRepo();
    const spoolDir = tempDir();
    const script = join(tempDir(), 'crash.ts');
    const audit = join(import.meta.dirname, '..', 'src', 'ledger', 'audit.ts');
    writeFileSync(
      script,
      `import { createAuditor } from ${JSON.stringify(audit)};
const sink = { position: async () => 0, write: async () => { throw new Error('unreachable'); } };
const a = createAuditor({ sink, spoolDir: process.argv[2], actor: { id: 'ci' }, flushIntervalMs: 0 });
for (let i = 0; i < 5; i++) await a.record({ action: 'push.check', reason: 'before crash ' + i });
console.log('acknowledged');
process.kill(process.pid, 'SIGKILL');
`,
    );
    const child = spawnSync(process.execPath, [script, spoolDir], {
      encoding: 'utf8',
    });
    expect(child.stdout).toBe('acknowledged\n');
    expect(child.signal).toBe('SIGKILL');

    const next = createAuditor({ sink, spoolDir, actor, flushIntervalMs: 0 });
    await next.close();
    const landed = await records();
    expect(landed.map((r) => r.reason)).toEqual(
      [0, 1, 2, 3, 4].map((i) => `before crash ${i}`),
    );
    expect(readdirSync(spoolDir)).toEqual([]);
    expect(
      repo.git(['rev-list', '--count', 'refs/heads/gitwarden/ledger']),
    ).toBe('2');
  });

  it('does not append twice when a send landed but was not confirmed', async () => {
    const { sink, records } = await ledgerRepo();
    let failOnce = true;
    const flaky: AuditSink = {
      position: () => sink.position(),
      async write(batch, landedSince) {
        await sink.write(batch, landedSince);
        if (failOnce) {
          failOnce = false;
          throw new Error('connection lost after the push');
        }
      },
    };
    const errors: unknown[] = [];
    const spoolDir = tempDir();
    const audit = createAuditor({
      sink: flaky,
      spoolDir,
      actor,
      flushIntervalMs: 0,
      onError: (e) => errors.push(e),
    });
    await audit.record({ action: 'override', why: 'hotfix' });
    await audit.close();
    expect(String(errors[0])).toMatch(/connection lost/);
    expect(readdirSync(spoolDir)).toEqual([
      expect.stringMatching(/\.send-0-\d+$/),
    ]);
    await audit.flush();
    expect((await records()).map((r) => r.action)).toEqual(['override']);
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('in strict (CI) mode, fails loudly when records cannot be written', async () => {
    const broken: AuditSink = {
      position: async () => 0,
      write: async () => {
        throw new Error('remote refused');
      },
    };
    const spoolDir = tempDir();
    const audit = createAuditor({
      sink: broken,
      spoolDir,
      actor,
      strict: true,
      flushIntervalMs: 0,
    });
    await audit.record({ action: 'push.check' });
    await expect(audit.close()).rejects.toThrow(
      /audit records could not be written to the ledger: remote refused/,
    );
    expect(readdirSync(spoolDir)).toHaveLength(1);

    const unwritable = join(tempDir(), 'file');
    writeFileSync(unwritable, '');
    const nowhere = createAuditor({
      sink: broken,
      spoolDir: join(unwritable, 'spool'),
      actor,
      strict: true,
    });
    await expect(nowhere.record({ action: 'push.check' })).rejects.toThrow(
      /cannot spool audit records/,
    );
  });
});
