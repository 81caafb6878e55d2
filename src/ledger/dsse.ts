import { verify as cryptoVerify, type KeyObject } from 'node:crypto';

import type { Signer } from '../keys/signer.ts';

// DSSE (github.com/secure-systems-lab/dsse), the envelope in-toto and
// Sigstore use: the signature covers the pre-authentication encoding of
// the payload type and the payload bytes, never a re-serialisation.

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface EnvelopeSignature {
  /** Fingerprint of the signing key (SHA-256 of its SPKI DER, hex). */
  keyid: string;
  /** Base64 Ed25519 signature over PAE(payloadType, payload). */
  sig: string;
}

export interface Envelope {
  payloadType: string;
  /** Base64 of the payload bytes. */
  payload: string;
  signatures: EnvelopeSignature[];
}

/** PAE(type, body) = "DSSEv1" SP len(type) SP type SP len(body) SP body */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  const header = `DSSEv1 ${type.length} ${payloadType} ${payload.length} `;
  return Buffer.concat([Buffer.from(header, 'utf8'), payload]);
}

/** Signs payload bytes with every signer given (rotation needs two). */
export async function signEnvelope(
  payload: Buffer,
  signers: readonly Signer[],
  payloadType = IN_TOTO_PAYLOAD_TYPE,
): Promise<Envelope> {
  const message = preAuthEncoding(payloadType, payload);
  const signatures: EnvelopeSignature[] = [];
  for (const signer of signers) {
    const sig = await signer.sign(message);
    signatures.push({
      keyid: signer.publicKey.fingerprint,
      sig: sig.toString('base64'),
    });
  }
  return { payloadType, payload: payload.toString('base64'), signatures };
}

export function verifySignature(
  message: Buffer,
  signature: Buffer,
  key: KeyObject,
): boolean {
  try {
    return cryptoVerify(null, message, key, signature);
  } catch {
    return false;
  }
}
