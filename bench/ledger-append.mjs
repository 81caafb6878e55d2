// Appending to the ledger. One `gitwarden ledger append` from the command
// line (target: under 200 ms on a 2-core machine), beside `git commit` of
// a one-line change in the same repository (what a naive ledger written
// with porcelain would cost) and a bare `node -e 0` (process start-up).
// Then batched appends through the API (target: at least 2,000 records/s),
// beside a bare loop that only signs the same number of messages.
//
//   npm run build && node bench/ledger-append.mjs [cli-runs] [records]
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { sign as cryptoSign, createPrivateKey } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { appendRecords } from '../src/ledger/append.ts';
import { initLedger } from '../src/ledger/init.ts';
import {
  configFor,
  git,
  gitEnv,
  makeKey,
  makeRepo,
  median,
  sampleRecord,
} from './ledger-helpers.mjs';

const cli = join(
  fileURLToPath(import.meta.url),
  '..',
  '..',
  'bin',
  'gitwarden.js',
);
const runs = Number(process.argv[2] ?? 15);
const total = Number(process.argv[3] ?? 20_000);

function timed(command, args, options) {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  const ms = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  }
  return ms;
}

// One append from the command line, policy on the protected branch.
const key = makeKey();
const repo = makeRepo();
mkdirSync(join(repo, '.gitwarden'));
writeFileSync(
  join(repo, '.gitwarden', 'policy.yml'),
  `ledger:\n  origin: bench.example/ledger\n  writerKeys:\n    - fingerprint: ${key.entry.fingerprint}\n      publicKey: ${key.entry.publicKey}\n`,
);
git(repo, ['add', '.']);
git(repo, ['commit', '-q', '-m', 'policy']);
const env = { ...gitEnv, GITWARDEN_LEDGER_KEY: key.pem };
timed(process.execPath, [cli, 'ledger', 'init'], { cwd: repo, env });

const appendArgs = [
  cli,
  'ledger',
  'append',
  '--action',
  'push.check',
  '--actor',
  'bench',
  '--decision',
  'allow',
];
const cliTimes = [];
const commitTimes = [];
const nodeTimes = [];
for (let i = 0; i < runs; i++) {
  cliTimes.push(timed(process.execPath, appendArgs, { cwd: repo, env }));
  writeFileSync(join(repo, 'counter.txt'), `${i}\n`);
  git(repo, ['add', 'counter.txt']);
  commitTimes.push(
    timed('git', ['commit', '-q', '-m', `change ${i}`], { cwd: repo, env }),
  );
  nodeTimes.push(timed(process.execPath, ['-e', '0'], { env }));
}
console.log(`one append from the command line, median of ${runs}:`);
console.log(
  `  gitwarden ledger append       ${median(cliTimes).toFixed(0)} ms (target < 200 ms)`,
);
console.log(
  `  git commit (one-line change)  ${median(commitTimes).toFixed(0)} ms`,
);
console.log(
  `  node -e 0 (start-up only)     ${median(nodeTimes).toFixed(0)} ms`,
);

// Batched appends through the API: 1,000 records per commit.
const config = configFor(key);
const batchRepo = makeRepo();
await initLedger({ cwd: batchRepo, config, signer: key.signer });
const batch = 1000;
let started = performance.now();
for (let at = 0; at < total; at += batch) {
  const records = Array.from({ length: batch }, (_, i) => sampleRecord(at + i));
  await appendRecords({ cwd: batchRepo, config, signer: key.signer, records });
}
const appendMs = performance.now() - started;

const privateKey = createPrivateKey(key.pem);
const message = Buffer.alloc(700, 1);
started = performance.now();
for (let i = 0; i < total; i++) cryptoSign(null, message, privateKey);
const signMs = performance.now() - started;
const rate = (ms) => Math.round((total / ms) * 1000);
console.log(`batched appends, ${total} records in commits of ${batch}:`);
console.log(
  `  appendRecords (build, validate, sign, commit) ${rate(appendMs)} records/s (target ≥ 2,000)`,
);
console.log(
  `  bare Ed25519 sign loop (signing only)         ${rate(signMs)} signatures/s`,
);
