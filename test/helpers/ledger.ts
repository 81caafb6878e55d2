import { createPrivateKey } from 'node:crypto';

import { generateEd25519, localSigner } from '../../src/keys/ed25519.ts';
import type { Signer } from '../../src/keys/signer.ts';
import {
  resolveLedgerConfig,
  type LedgerConfig,
  type LedgerSection,
  type PolicyKey,
} from '../../src/ledger/config.ts';
import type { RecordFields } from '../../src/ledger/record.ts';

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
