import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

import { parsePrivateKey, signerFromProvider } from '../src/keys/ed25519.ts';
import { createSecretProvider } from '../src/keys/providers.ts';
import { Secret } from '../src/keys/secret.ts';
import { resolveLedgerConfig } from '../src/ledger/config.ts';
import { cleanupTempDirs, tempDir } from './helpers/repo.ts';
import { makeKey } from './helpers/ledger.ts';

afterAll(cleanupTempDirs);

const key = makeKey('provider');

function provider(
  config: Parameters<typeof createSecretProvider>[0],
  extra = {},
) {
  return createSecretProvider(config, { env: {}, cwd: tempDir(), ...extra });
}

describe('secret providers', () => {
  it('reads a key from an environment variable, and says when it is unset', async () => {
    const env = { LEDGER_KEY: key.pem };
    const signer = await signerFromProvider(
      provider({ provider: 'env', variable: 'LEDGER_KEY' }, { env }),
    );
    expect(signer.publicKey.fingerprint).toBe(key.fingerprint);
    await expect(
      provider({ provider: 'env', variable: 'MISSING_KEY' }).get(),
    ).rejects.toThrow(/environment variable MISSING_KEY is not set/);
  });

  it('accepts one line of base64 DER as well as PEM', async () => {
    const der = key.pem.replace(/-----[^-]+-----|\s/g, '');
    const signer = await signerFromProvider(
      provider({ provider: 'env', variable: 'K' }, { env: { K: der } }),
    );
    expect(signer.publicKey.fingerprint).toBe(key.fingerprint);
  });

  it('reads a 0600 file and refuses one others can read', async () => {
    const dir = tempDir();
    const file = join(dir, 'ledger.key');
    writeFileSync(file, key.pem, { mode: 0o600 });
    const ok = await signerFromProvider(
      provider({ provider: 'file', path: file }),
    );
    expect(ok.publicKey.fingerprint).toBe(key.fingerprint);
    chmodSync(file, 0o644);
    await expect(
      provider({ provider: 'file', path: file }).get(),
    ).rejects.toThrow(/can be read or written by others \(mode 0644\)/);
    await expect(
      provider({ provider: 'file', path: join(dir, 'nope') }).get(),
    ).rejects.toThrow(/ENOENT/);
  });

  it('refuses a key file inside the repository', async () => {
    const repo = tempDir();
    const file = join(repo, 'keys', 'ledger.key');
    await expect(
      provider(
        { provider: 'file', path: file },
        { forbiddenRoots: [repo] },
      ).get(),
    ).rejects.toThrow(/is inside the repository/);
  });

  it('runs a command without a shell and takes its output', async () => {
    const dir = tempDir();
    const script = join(dir, 'print-key.mjs');
    writeFileSync(
      script,
      `process.stdout.write(process.env.PIECE_A + process.env.PIECE_B)`,
    );
    const half = Math.floor(key.pem.length / 2);
    const env = {
      PIECE_A: key.pem.slice(0, half),
      PIECE_B: key.pem.slice(half),
    };
    const signer = await signerFromProvider(
      provider(
        { provider: 'command', command: [process.execPath, script] },
        { env },
      ),
    );
    expect(signer.publicKey.fingerprint).toBe(key.fingerprint);
  });

  it('reports a failing, missing or silent command without its output', async () => {
    const fails = provider({
      provider: 'command',
      command: [
        process.execPath,
        '-e',
        'console.error("oops"); process.exit(3)',
      ],
    });
    await expect(fails.get()).rejects.toThrow(/exited 3$/);
    const missing = provider({
      provider: 'command',
      command: ['gitwarden-no-such-helper'],
    });
    await expect(missing.get()).rejects.toThrow(/cannot run .*ENOENT/);
    const silent = provider({
      provider: 'command',
      command: [process.execPath, '-e', ''],
    });
    await expect(silent.get()).rejects.toThrow(/printed nothing/);
  });

  it('never shows a secret by accident, and never quotes bad key material', () => {
    const secret = new Secret('not-a-key-but-private', 'test');
    expect(String(secret)).not.toMatch(/private/);
    expect(JSON.stringify({ secret })).not.toMatch(/private/);
    expect(inspect(secret)).not.toMatch(/private/);
    expect(() => parsePrivateKey(secret)).toThrow(/is not a private key/);
    try {
      parsePrivateKey(secret);
    } catch (error) {
      expect(String(error)).not.toMatch(/not-a-key/);
    }
  });
});

describe('ledger policy keys', () => {
  it('accepts a matching fingerprint and rejects a mismatch', () => {
    const config = resolveLedgerConfig({ rootKeys: [key.entry] });
    expect(config.rootKeys[0]?.fingerprint).toBe(key.fingerprint);
    expect(config.branch).toBe('gitwarden/ledger');
    expect(config.signer).toEqual({
      provider: 'env',
      variable: 'GITWARDEN_LEDGER_KEY',
    });
    const other = makeKey('other');
    expect(() =>
      resolveLedgerConfig({
        writerKeys: [{ ...key.entry, fingerprint: other.fingerprint }],
      }),
    ).toThrow(/ledger\.writerKeys\[0\]\.fingerprint: does not match publicKey/);
  });
});
