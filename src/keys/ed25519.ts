import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as cryptoSign,
  type KeyObject,
} from 'node:crypto';

import { GitwardenError } from '../errors.ts';
import type { Secret, SecretProvider } from './secret.ts';
import type { PublicKeyInfo, Signer } from './signer.ts';

// An Ed25519 SubjectPublicKeyInfo is this fixed 12-byte prefix followed by
// the 32-byte key (RFC 8410), so the raw key is always its last 32 bytes.
const SPKI_PREFIX_LENGTH = 12;
const SPKI_LENGTH = 44;

export function fingerprintOf(spki: Buffer): string {
  return createHash('sha256').update(spki).digest('hex');
}

export function publicKeyInfo(keyObject: KeyObject): PublicKeyInfo {
  const spki = keyObject.export({ format: 'der', type: 'spki' });
  return {
    fingerprint: fingerprintOf(spki),
    spki,
    raw: spki.subarray(SPKI_PREFIX_LENGTH),
    keyObject,
  };
}

/**
 * Reads a public key written as base64 SubjectPublicKeyInfo DER, the form
 * policies and key records use. Returns undefined for anything that is not
 * an Ed25519 key, so callers can say which field is wrong.
 */
export function parsePublicKey(base64: string): PublicKeyInfo | undefined {
  const der = Buffer.from(base64, 'base64');
  if (der.length !== SPKI_LENGTH || der.toString('base64') !== base64) {
    return undefined;
  }
  try {
    const keyObject = createPublicKey({
      key: der,
      format: 'der',
      type: 'spki',
    });
    if (keyObject.asymmetricKeyType !== 'ed25519') return undefined;
    return publicKeyInfo(keyObject);
  } catch {
    return undefined;
  }
}

/**
 * Turns key material from a provider into a private key. Accepted: a PEM
 * PKCS#8 block (what `gitwarden ledger keygen` and `openssl genpkey -algorithm
 * ed25519` write) or the same DER as one line of base64, which fits in an
 * environment variable. Messages never quote the material.
 */
export function parsePrivateKey(secret: Secret): KeyObject {
  const text = secret.reveal().trim();
  let key: KeyObject;
  try {
    key = text.startsWith('-----BEGIN')
      ? createPrivateKey({ key: text, format: 'pem' })
      : createPrivateKey({
          key: Buffer.from(text, 'base64'),
          format: 'der',
          type: 'pkcs8',
        });
  } catch (cause) {
    throw new GitwardenError(
      'KEY_UNAVAILABLE',
      `the key from ${secret.source} is not a private key`,
      {
        hint: 'Expected an Ed25519 key as PEM (PKCS#8) or one line of base64 DER; `gitwarden ledger keygen` makes one.',
        cause,
      },
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new GitwardenError(
      'KEY_UNAVAILABLE',
      `the key from ${secret.source} is a ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`,
    );
  }
  return key;
}

/** A signer over an Ed25519 private key held in this process. */
export function localSigner(
  privateKey: KeyObject,
  description: string,
): Signer {
  const publicKey = publicKeyInfo(createPublicKey(privateKey));
  return {
    algorithm: 'ed25519',
    publicKey,
    description,
    sign: async (message) => cryptoSign(null, message, privateKey),
  };
}

/** Reads the key from a provider once and signs with it from then on. */
export async function signerFromProvider(
  provider: SecretProvider,
): Promise<Signer> {
  const secret = await provider.get();
  return localSigner(parsePrivateKey(secret), provider.description);
}

/** A fresh key pair: PKCS#8 PEM for the private half, base64 SPKI public. */
export function generateEd25519(): {
  privateKeyPem: string;
  publicKey: PublicKeyInfo;
} {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    }) as string,
    publicKey: publicKeyInfo(publicKey),
  };
}
