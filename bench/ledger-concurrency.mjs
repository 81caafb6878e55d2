// Parallel writers on one shared ledger: 16 processes × 25 appends
// against one bare remote, each append a fetch, a commit on the tip and a
// plain push that only lands while its parent is still the tip. Prints
// the time, the retries after a lost race and the records found, beside
// one writer doing its 25 appends alone (what the same work costs without
// contention).
//
//   npm run build && node bench/ledger-concurrency.mjs [writers] [appends]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { appendRecords } from '../src/ledger/append.ts';
import { initLedger } from '../src/ledger/init.ts';
import { verifyLedger } from '../src/ledger/verify.ts';
import {
  configFor,
  fmt,
  git,
  makeKey,
  makeRepo,
  sampleRecord,
  tempDir,
} from './ledger-helpers.mjs';

const self = fileURLToPath(import.meta.url);
const [first, ...rest] = process.argv.slice(2);

if (first === '--writer') await writer(...rest);
else await main(Number(first ?? 16), Number(rest[0] ?? 25));

async function main(writers, appends) {
  const key = makeKey();
  const config = configFor(key);
  const remote = makeRepo({ bare: true });
  const seed = makeRepo();
  git(seed, ['remote', 'add', 'origin', remote]);
  await initLedger({ cwd: seed, config, signer: key.signer, remote: 'origin' });
  const clone = () => {
    const dir = join(tempDir(), 'clone');
    git(tempDir(), ['clone', '-q', '--no-checkout', remote, dir]);
    return dir;
  };
  const run = (dir, count) =>
    new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [self, '--writer', dir, String(count), key.pem],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.on('close', (code) =>
        code === 0
          ? resolve(JSON.parse(out))
          : reject(new Error(`writer exited ${code}`)),
      );
    });

  let started = performance.now();
  await run(clone(), appends);
  const aloneMs = performance.now() - started;

  const dirs = Array.from({ length: writers }, clone);
  started = performance.now();
  const results = await Promise.all(dirs.map((dir) => run(dir, appends)));
  const ms = performance.now() - started;

  const checker = clone();
  git(checker, [
    'fetch',
    '-q',
    'origin',
    '+refs/heads/gitwarden/ledger:refs/heads/gitwarden/ledger',
  ]);
  const report = await verifyLedger({ cwd: checker, config, threads: 0 });
  const retries = results.reduce((sum, r) => sum + r.retries, 0);
  const total = writers * appends;
  console.log(
    `${writers} writer processes × ${appends} appends on one bare remote:`,
  );
  console.log(
    `  ${fmt(ms)}, ${Math.round((total / ms) * 1000)} appends/s, ${retries} retries after a lost race (${(retries / total).toFixed(2)} per append)`,
  );
  console.log(
    `  ledger: ${report.size} records (expected ${total + appends}), ${report.faults.length} faults`,
  );
  console.log(
    `one writer alone, ${appends} appends: ${fmt(aloneMs)} (${Math.round((appends / aloneMs) * 1000)} appends/s)`,
  );
}

async function writer(dir, count, pem) {
  const { createPrivateKey } = await import('node:crypto');
  const { localSigner } = await import('../src/keys/ed25519.ts');
  const signer = localSigner(createPrivateKey(pem), 'bench');
  const config = configFor({
    entry: {
      fingerprint: signer.publicKey.fingerprint,
      publicKey: signer.publicKey.spki.toString('base64'),
    },
  });
  let retries = 0;
  for (let i = 0; i < Number(count); i++) {
    const result = await appendRecords({
      cwd: dir,
      config,
      signer,
      remote: 'origin',
      records: [sampleRecord(i)],
    });
    retries += result.retries;
  }
  console.log(JSON.stringify({ retries }));
}
