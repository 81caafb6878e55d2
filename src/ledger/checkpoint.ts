import type { Signer, PublicKeyInfo } from '../keys/signer.ts';
import { verifySignature } from './dsse.ts';
import { HASH_SIZE, sha256 } from './merkle.ts';

// Checkpoints in the C2SP formats other transparency logs speak
// (c2sp.org/tlog-checkpoint on c2sp.org/signed-note): the note text is the
// origin, the tree size and the base64 root hash, one per line; each
// signature line is "— <key name> base64(key ID || signature)".

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}

export interface NoteSignature {
  name: string;
  keyId: Buffer;
  signature: Buffer;
}

export interface SignedNote {
  /** The signed text, including its final newline. */
  text: string;
  signatures: NoteSignature[];
}

/** C2SP signature type byte for Ed25519. */
const ED25519_TYPE = 0x01;
const SIGNATURE_PREFIX = '\u2014 ';
/** Verifiers must accept 16; more than this is refused as malformed. */
const MAX_SIGNATURES = 64;

export function checkpointText(checkpoint: Checkpoint): string {
  return `${checkpoint.origin}\n${checkpoint.size}\n${checkpoint.root.toString('base64')}\n`;
}

/** key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4] */
export function noteKeyId(name: string, publicKey: PublicKeyInfo): Buffer {
  const input = Buffer.concat([
    Buffer.from(`${name}\n`, 'utf8'),
    Buffer.from([ED25519_TYPE]),
    publicKey.raw,
  ]);
  return sha256(input).subarray(0, 4);
}

/**
 * Signs a checkpoint. The key name is the log's origin, as the spec
 * recommends; the key ID tells apart the several writer keys of one log.
 */
export async function signCheckpoint(
  checkpoint: Checkpoint,
  signers: readonly Signer[],
): Promise<string> {
  const text = checkpointText(checkpoint);
  const lines: string[] = [];
  for (const signer of signers) {
    const keyId = noteKeyId(checkpoint.origin, signer.publicKey);
    const signature = await signer.sign(Buffer.from(text, 'utf8'));
    const blob = Buffer.concat([keyId, signature]).toString('base64');
    lines.push(`${SIGNATURE_PREFIX}${checkpoint.origin} ${blob}\n`);
  }
  return `${text}\n${lines.join('')}`;
}

export class NoteFormatError extends Error {
  override name = 'NoteFormatError';
}

/** Splits a signed note into its text and signature lines (no crypto). */
export function parseNote(note: string): SignedNote {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) {
    throw new NoteFormatError('note contains control characters');
  }
  if (!note.endsWith('\n'))
    throw new NoteFormatError('note does not end in a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteFormatError('note has no signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) {
    throw new NoteFormatError(
      `note has more than ${MAX_SIGNATURES} signatures`,
    );
  }
  const signatures = lines.map((line) => {
    const match = /^\u2014 ([^\s+]+) ([A-Za-z0-9+/]+={0,2})$/u.exec(line);
    if (!match)
      throw new NoteFormatError(
        `malformed signature line: ${line.slice(0, 80)}`,
      );
    const blob = Buffer.from(match[2]!, 'base64');
    if (blob.length < 5) throw new NoteFormatError('signature too short');
    return {
      name: match[1]!,
      keyId: blob.subarray(0, 4),
      signature: blob.subarray(4),
    };
  });
  return { text, signatures };
}

/** Reads the checkpoint body of a note's text. */
export function parseCheckpointText(text: string): Checkpoint {
  const lines = text.split('\n');
  // The text ends in a newline, so the last element is empty.
  if (lines.length < 4 || lines.pop() !== '') {
    throw new NoteFormatError('checkpoint needs origin, size and root lines');
  }
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (origin === '') throw new NoteFormatError('checkpoint origin is empty');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText)) {
    throw new NoteFormatError(
      `checkpoint size is not a decimal number: ${sizeText}`,
    );
  }
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== HASH_SIZE || root.toString('base64') !== rootText) {
    throw new NoteFormatError('checkpoint root is not a base64 SHA-256 hash');
  }
  return { origin, size: Number(sizeText), root };
}

export interface NoteVerdict {
  /** Fingerprints of known keys whose signatures verify. */
  verifiedBy: string[];
  /** Fingerprints of known keys whose signatures do not verify. */
  failedBy: string[];
}

/**
 * Checks a note's signatures against the keys given, by the note rules:
 * signatures from unknown keys are ignored (witness cosignatures, keys of
 * a later rotation); one from a known key must verify. The caller decides
 * what "enough" is, given which keys are valid where.
 */
export function verifyNote(
  note: SignedNote,
  name: string,
  keys: Iterable<PublicKeyInfo>,
): NoteVerdict {
  const verdict: NoteVerdict = { verifiedBy: [], failedBy: [] };
  const message = Buffer.from(note.text, 'utf8');
  const byId = new Map<string, PublicKeyInfo[]>();
  for (const key of keys) {
    const id = noteKeyId(name, key).toString('hex');
    byId.set(id, [...(byId.get(id) ?? []), key]);
  }
  for (const signature of note.signatures) {
    if (signature.name !== name) continue;
    for (const key of byId.get(signature.keyId.toString('hex')) ?? []) {
      const ok = verifySignature(message, signature.signature, key.keyObject);
      (ok ? verdict.verifiedBy : verdict.failedBy).push(key.fingerprint);
    }
  }
  return verdict;
}
