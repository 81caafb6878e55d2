// `gitwarden ledger verify` on 100,000 records, beside the floor: a bare
// single-thread node:crypto loop verifying the same Ed25519 signatures,
// nothing else, timed inside its process after the signatures are loaded.
// verify is timed as a user runs it (the built CLI, start-up included)
// and does much more: canonical JSON, schema, tree, every checkpoint, key
// validity by position, on worker threads. Memory: two more runs with the
// main heap capped, at 10,000 and at 100,000 records, show peak RSS.
//
//   npm run build && node bench/ledger-verify.mjs [records] [runs]
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { appendRecords } from '../src/ledger/append.ts';
import { preAuthEncoding } from '../src/ledger/dsse.ts';
import { initLedger } from '../src/ledger/init.ts';
import { readLines } from '../src/ledger/reader.ts';
import {
  child,
  configFor,
  fmt,
  git,
  gitEnv,
  makeKey,
  makeRepo,
  median,
  sampleRecord,
  tempDir,
} from './ledger-helpers.mjs';

const self = fileURLToPath(import.meta.url);
const cli = join(self, '..', '..', 'bin', 'gitwarden.js');
const HEAP_MB = 24;
const [mode, ...rest] = process.argv.slice(2);

if (mode === '--floor') await floor(...rest);
else await main(Number(mode ?? 100_000), Number(rest[0] ?? 3));

async function main(total, runs) {
  console.log(
    `ledger verify bench: ${total} records, median of ${runs} runs, ${availableParallelism()} cores`,
  );
  const key = makeKey();
  const config = configFor(key);
  const repo = makeRepo();
  const started = performance.now();
  await initLedger({ cwd: repo, config, signer: key.signer });
  let small;
  const batch = 5000;
  for (let at = 0; at < total; at += batch) {
    const count = Math.min(batch, total - at);
    const records = Array.from({ length: count }, (_, i) =>
      sampleRecord(at + i),
    );
    await appendRecords({ cwd: repo, config, signer: key.signer, records });
    if (at + count === 10_000) {
      small = git(repo, ['rev-parse', 'refs/heads/gitwarden/ledger']);
    }
  }
  console.log(`built the ledger in ${fmt(performance.now() - started)}`);
  const policy = join(tempDir(), 'policy.yml');
  writeFileSync(
    policy,
    `ledger:\n  origin: ${config.origin}\n  writerKeys:\n    - fingerprint: ${key.entry.fingerprint}\n      publicKey: ${key.entry.publicKey}\n`,
  );

  const floors = [];
  const ours = [];
  for (let run = 0; run < runs; run++) {
    floors.push(child(self, ['--floor', repo, policy]).ms);
    ours.push(verifyCli(repo, policy));
  }
  const floorMs = median(floors);
  const oursMs = median(ours.map((r) => r.ms));
  const rate = (ms) => Math.round((total / ms) * 1000);
  console.log(
    `floor: single-thread crypto.verify loop  ${fmt(floorMs)}  (${rate(floorMs)} signatures/s)`,
  );
  console.log(
    `gitwarden ledger verify (CLI, all checks) ${fmt(oursMs)}  (${rate(oursMs)} records/s; verdict ${ours[0].verdict}, ${ours[0].faults} faults)`,
  );
  console.log(
    `ratio verify / floor: ${(oursMs / floorMs).toFixed(2)} (at most 1.00: no slower than the floor)`,
  );
  const cpu = median(ours.map((r) => r.cpuMs ?? Number.NaN));
  console.log(
    `CPU time of verify (all threads): ${fmt(cpu)} = ${(cpu / floorMs).toFixed(2)} × the floor's; on a machine shared with other work, the wall-time ratio depends on how much of the second core verify gets (load average now ${loadavg()[0].toFixed(1)})`,
  );
  if (small) {
    const few = verifyCli(repo, policy, small, HEAP_MB);
    const all = verifyCli(repo, policy, undefined, HEAP_MB);
    console.log(
      `peak RSS with the heap capped at ${HEAP_MB} MB: ${mb(few.rssKb)} at ${few.size} records, ${mb(all.rssKb)} at ${all.size} records`,
    );
  }
}

function mb(kb) {
  return kb ? `${Math.round(kb / 1024)} MB` : 'n/a';
}

/** One `gitwarden ledger verify` run, wall time and peak RSS. */
function verifyCli(repo, policy, ref, heapMb) {
  const args = [
    cli,
    'ledger',
    'verify',
    '--json',
    '--no-cache',
    '--policy',
    policy,
  ];
  if (ref) args.push('--ref', ref);
  const timer = existsSync('/usr/bin/time')
    ? ['/usr/bin/time', '-f', '%M %U %S']
    : [];
  const started = performance.now();
  const result = spawnSync(
    timer[0] ?? process.execPath,
    [...timer.slice(1), ...(timer.length ? [process.execPath] : []), ...args],
    {
      cwd: repo,
      encoding: 'utf8',
      env: heapMb
        ? { ...gitEnv, NODE_OPTIONS: `--max-old-space-size=${heapMb}` }
        : gitEnv,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const ms = performance.now() - started;
  if (result.status !== 3 && result.status !== 0) {
    throw new Error(`verify exited ${result.status}: ${result.stderr}`);
  }
  const report = JSON.parse(result.stdout);
  const [rssKb, user, system] = timer.length
    ? result.stderr.trim().split('\n').at(-1).split(' ').map(Number)
    : [];
  const cpuMs = timer.length ? (user + system) * 1000 : undefined;
  return {
    ms,
    cpuMs,
    size: report.size,
    verdict: report.verdict,
    faults: report.faults.length,
    rssKb,
  };
}

/** The floor: verify each record's signature, and nothing else. */
async function floor(repo, policyFile) {
  const text = (await import('node:fs')).readFileSync(policyFile, 'utf8');
  const publicKey = /publicKey: (\S+)/.exec(text)[1];
  const key = createPublicKey({
    key: Buffer.from(publicKey, 'base64'),
    format: 'der',
    type: 'spki',
  });
  const work = [];
  for await (const { line } of readLines(repo, 'refs/heads/gitwarden/ledger')) {
    const envelope = JSON.parse(line.toString('utf8'));
    work.push([
      preAuthEncoding(
        envelope.payloadType,
        Buffer.from(envelope.payload, 'base64'),
      ),
      Buffer.from(envelope.signatures[0].sig, 'base64'),
    ]);
  }
  const started = performance.now();
  let ok = 0;
  for (const [message, signature] of work) {
    if (cryptoVerify(null, message, key, signature)) ok++;
  }
  const ms = performance.now() - started;
  if (ok !== work.length) throw new Error('floor: a signature failed');
  console.log(JSON.stringify({ ms }));
}
