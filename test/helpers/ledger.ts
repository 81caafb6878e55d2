import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { join } from 'node:path';

import { generateEd25519, localSigner } from '../../src/keys/ed25519.ts';
import type { Signer } from '../../src/keys/signer.ts';
import {
  resolveLedgerConfig,
  type LedgerConfig,
  type LedgerSection,
  type PolicyKey,
} from '../../src/ledger/config.ts';
import type { RecordFields } from '../../src/ledger/record.ts';
import { tempDir, testGitEnv } from './repo.ts';

/** A key made at test time: its signer, its policy entry, its PEM. */
export interface TestKey {
  signer: Signer;
  entry: PolicyKey;
  pem: string;
  fingerprint: string;
}

export function makeKey(name = 'test'): TestKey {
  const { privateKeyPem, publicKey } = generateEd25519();
  const signer = localSigner(
    createPrivateKey(privateKeyPem),
    `test key ${name}`,
  );
  return {
    signer,
    pem: privateKeyPem,
    fingerprint: publicKey.fingerprint,
    entry: {
      name,
      fingerprint: publicKey.fingerprint,
      publicKey: publicKey.spki.toString('base64'),
    },
  };
}

export function ledgerConfig(
  keys: { roots?: TestKey[]; writers?: TestKey[] },
  section: LedgerSection = {},
): LedgerConfig {
  return resolveLedgerConfig({
    rootKeys: (keys.roots ?? []).map((key) => key.entry),
    writerKeys: (keys.writers ?? []).map((key) => key.entry),
    ...section,
  });
}

export function sampleRecord(
  n: number,
  extra: Partial<RecordFields> = {},
): RecordFields {
  return {
    actor: { id: `writer-${n % 7}`, role: 'ci', kind: 'bot' },
    action: 'push.check',
    decision: n % 5 === 0 ? 'deny' : 'allow',
    reason: `rule ${n % 11} matched`,
    subject: { repository: 'acme/app', ref: 'refs/heads/main' },
    ...extra,
  };
}

/**
 * Rewrites the ledger branch's tip the way an attacker with push rights
 * would: same parent and message (unless changed), files edited at will,
 * the ref moved by force. Uses a throwaway index, never the real one.
 */
export function rewriteTip(
  repo: { dir: string; git(args: string[], env?: NodeJS.ProcessEnv): string },
  mutate: (files: Map<string, Buffer>) => void,
  options: { message?: (old: string) => string; branch?: string } = {},
): string {
  const ref = `refs/heads/${options.branch ?? 'gitwarden/ledger'}`;
  const tip = repo.git(['rev-parse', ref]);
  const files = new Map<string, Buffer>();
  for (const line of repo.git(['ls-tree', '-r', tip]).split('\n')) {
    const [, , sha, path] = line.split(/\s+/);
    files.set(
      path!,
      execFileSync('git', ['cat-file', 'blob', sha!], {
        cwd: repo.dir,
        env: testGitEnv,
      }),
    );
  }
  mutate(files);
  const index = join(tempDir('gitwarden-index-'), 'index');
  const env = { GIT_INDEX_FILE: index };
  for (const [path, data] of files) {
    const sha = execFileSync('git', ['hash-object', '-w', '--stdin'], {
      cwd: repo.dir,
      env: testGitEnv,
      input: data,
    })
      .toString()
      .trim();
    repo.git(
      ['update-index', '--add', '--cacheinfo', `100644,${sha},${path}`],
      env,
    );
  }
  const tree = repo.git(['write-tree'], env);
  const message = repo
    .git(['log', '-1', '--format=%B', tip])
    .replace(/\n$/, '');
  const parent = repo.git(['rev-list', '--parents', '-1', tip]).split(' ')[1];
  const newMessage = options.message
    ? options.message(`${message}\n`)
    : `${message}\n`;
  const commit = execFileSync(
    'git',
    ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-F', '-'],
    { cwd: repo.dir, env: testGitEnv, input: newMessage },
  )
    .toString()
    .trim();
  repo.git(['update-ref', ref, commit]);
  return commit;
}

export const FIRST_CHUNK = 'records/000/000.jsonl';

export function chunkLines(
  files: Map<string, Buffer>,
  path = FIRST_CHUNK,
): string[] {
  return files.get(path)!.toString().split('\n').slice(0, -1);
}

export function setChunkLines(
  files: Map<string, Buffer>,
  lines: string[],
  path = FIRST_CHUNK,
): void {
  files.set(path, Buffer.from(lines.map((line) => `${line}\n`).join('')));
}
