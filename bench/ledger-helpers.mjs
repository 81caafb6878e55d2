// Shared by the ledger benches: scratch repositories, keys made at run
// time, and the median-of-runs timing every bench prints.
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateEd25519, localSigner } from '../src/keys/ed25519.ts';
import { resolveLedgerConfig } from '../src/ledger/config.ts';

export const gitEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};

const scratch = [];
process.on('exit', () => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'gitwarden-bench-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

export function git(cwd, args, input) {
  return execFileSync('git', args, {
    cwd,
    env: gitEnv,
    input,
    encoding: 'utf8',
  }).trim();
}

export function makeRepo({ bare = false } = {}) {
  const dir = tempDir();
  git(dir, [
    'init',
    '-q',
    '--initial-branch=main',
    ...(bare ? ['--bare'] : []),
  ]);
  return dir;
}

export function makeKey() {
  const { privateKeyPem, publicKey } = generateEd25519();
  return {
    pem: privateKeyPem,
    signer: localSigner(createPrivateKey(privateKeyPem), 'bench key'),
    entry: {
      fingerprint: publicKey.fingerprint,
      publicKey: publicKey.spki.toString('base64'),
    },
  };
}

export function configFor(key, extra = {}) {
  return resolveLedgerConfig({
    origin: 'bench.example/ledger',
    writerKeys: [key.entry],
    ...extra,
  });
}

export function sampleRecord(n) {
  return {
    actor: { id: `writer-${n % 7}`, role: 'ci', kind: 'bot' },
    action: 'push.check',
    decision: n % 5 === 0 ? 'deny' : 'allow',
    reason: `rule ${n % 11} matched on refs/heads/feature-${n}`,
    subject: {
      repository: 'acme/app',
      ref: 'refs/heads/main',
      commits: ['0123456789abcdef0123456789abcdef01234567'],
    },
    where: {
      host: 'runner-1',
      ci: { provider: 'github-actions', runId: String(n) },
    },
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs a node script as a child and returns its JSON result line. */
export function child(script, args) {
  const result = spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    env: gitEnv,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`${script} ${args.join(' ')} failed:\n${result.stderr}`);
  }
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
}

export const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
