import type { KeyObject } from 'node:crypto';

/** A public key the ledger knows, in the forms its formats need. */
export interface PublicKeyInfo {
  /** SHA-256 of the SubjectPublicKeyInfo DER, lower-case hex. */
  fingerprint: string;
  /** SubjectPublicKeyInfo DER, as policies and key records carry it. */
  spki: Buffer;
  /** The 32-byte RFC 8032 key, as C2SP note key IDs hash it. */
  raw: Buffer;
  keyObject: KeyObject;
}

/**
 * Signs with a key whose private half the caller never sees. A local
 * signer holds an Ed25519 key read from a secret provider; a remote one
 * (Vault transit, later) sends the message to a service. Either way the
 * ledger only asks for the public key and for signatures.
 */
export interface Signer {
  readonly algorithm: 'ed25519';
  readonly publicKey: PublicKeyInfo;
  /** Where the key lives, for messages. */
  readonly description: string;
  sign(message: Uint8Array): Promise<Buffer>;
}
