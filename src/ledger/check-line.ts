import { isUtf8 } from 'node:buffer';
import type { KeyObject } from 'node:crypto';

import { parsePublicKey } from '../keys/ed25519.ts';
import { parseCanonical } from './canonical.ts';
import { IN_TOTO_PAYLOAD_TYPE, verifySignature } from './dsse.ts';
import { leafHash, sha256 } from './merkle.ts';
import {
  MAX_LINE_BYTES,
  recordDigest,
  schemaProblem,
  STATEMENT_TYPE,
  type KeyEvent,
  type LedgerRecord,
  type Observed,
} from './record.ts';

// Everything that can be judged about one record from its own bytes: the
// size cap, canonical JSON at both layers, the envelope, the schema, the
// digests and the signatures' cryptography. It runs in verify's worker
// threads, so it must not depend on the position-dependent state (which
// keys are valid where, duplicate ids) that the main thread keeps.

export interface LineContext {
  origin: string;
  /** Every public key known so far, by fingerprint. */
  keys: ReadonlyMap<string, KeyObject>;
  nowMs: number;
  maxSkewMs: number;
}

export type SignatureStatus = 'valid' | 'invalid' | 'unknown';

export interface LineCheck {
  leafHash: Buffer;
  /** The first problem found, if any. */
  fault?: string;
  id?: string;
  action?: string;
  observed?: Observed;
  previous?: string;
  key?: KeyEvent;
  signatures: { keyid: string; status: SignatureStatus }[];
  /**
   * The signed message and signatures, kept only when a signer was not
   * known to this thread, so the caller can check them against keys it
   * learned from earlier records.
   */
  unverified?: {
    message: Buffer;
    signatures: { keyid: string; sig: Buffer }[];
  };
}

const MAX_SIGNATURES = 16;

export function checkLine(
  line: Buffer,
  context: LineContext,
  leaf: Buffer = leafHash(line),
): LineCheck {
  const check: LineCheck = { leafHash: leaf, signatures: [] };
  check.fault = findFault(line, context, check);
  return check;
}

function findFault(
  line: Buffer,
  context: LineContext,
  check: LineCheck,
): string | undefined {
  if (line.length > MAX_LINE_BYTES) {
    return `record is larger than ${MAX_LINE_BYTES} bytes`;
  }
  const text = decodeUtf8(line);
  if (text === undefined) return 'record is not valid UTF-8';
  const fast = canonicalEnvelope(text);
  const shape = fast ?? envelopeOf(text);
  if (typeof shape === 'string') return shape;

  // The envelope pattern already allowed only base64 characters.
  if (!isCanonicalBase64(shape.payload, fast !== undefined)) {
    return 'payload is not canonical base64';
  }
  // The signed message, with the payload decoded straight into its place.
  const message = signedMessage(shape.payload);
  const payload = message.subarray(
    message.length - payloadLength(shape.payload),
  );
  const statementText = decodeUtf8(payload);
  if (statementText === undefined) return 'payload is not valid UTF-8';
  const statement = parseCanonical(statementText);
  // The signatures come first: a record that was altered should say so,
  // not that its bytes are oddly formatted.
  const parsed = statement.ok
    ? (statement.value as { predicate?: unknown })
    : {};
  const record = (parsed.predicate ?? {}) as Partial<LedgerRecord>;
  check.id = typeof record.id === 'string' ? record.id : undefined;
  checkSignatures(message, shape.signatures, record, context, check);
  const bad = check.signatures.find((s) => s.status === 'invalid');
  if (bad) {
    return `signature by key ${bad.keyid} does not verify: the record was altered or the signature was taken from another record`;
  }
  if (!statement.ok) return `signed payload is ${statement.reason}`;

  const problem = schemaProblem(statement.value);
  if (problem) return `record does not match the schema: ${problem}`;
  const full = record as LedgerRecord;
  const subject = (
    statement.value as { subject: { digest: { sha256?: string } }[] }
  ).subject[0];
  if (subject?.digest.sha256 !== predicateDigest(payload, full)) {
    return 'statement subject does not carry the digest of its record';
  }
  check.action = full.action;
  check.observed = full.observed;
  check.previous = full.previous;
  check.key = full.key;
  if (full.origin !== context.origin) {
    return `record belongs to another log (origin ${full.origin})`;
  }
  if (full.key?.publicKey) {
    const key = parsePublicKey(full.key.publicKey);
    if (!key) return 'key.publicKey is not an Ed25519 public key';
    if (key.fingerprint !== full.key.fingerprint) {
      return 'key.fingerprint is not the fingerprint of key.publicKey';
    }
  }
  const ahead = Date.parse(full.time) - context.nowMs;
  if (!(ahead <= context.maxSkewMs)) {
    return `record time ${full.time} is ${Math.round(ahead / 1000)} s ahead of this verifier's clock (the writer's clock or this one is wrong)`;
  }
  return undefined;
}

function checkSignatures(
  message: Buffer,
  signatures: { keyid: string; sig: Buffer }[],
  record: Partial<LedgerRecord>,
  context: LineContext,
  check: LineCheck,
): void {
  const unknown: { keyid: string; sig: Buffer }[] = [];
  for (const { keyid, sig } of signatures) {
    const key = context.keys.get(keyid) ?? ownKey(record, keyid);
    if (!key) {
      unknown.push({ keyid, sig });
      check.signatures.push({ keyid, status: 'unknown' });
      continue;
    }
    const status = verifySignature(message, sig, key) ? 'valid' : 'invalid';
    check.signatures.push({ keyid, status });
  }
  if (unknown.length) check.unverified = { message, signatures: unknown };
}

/**
 * A key record carries the new key itself; a rotation must be signed by
 * that key too (proof of possession), so its signature is checked with
 * the key the record names. Whether that counts is the caller's call.
 */
function ownKey(record: Partial<LedgerRecord>, keyid: string) {
  const key = record.key;
  if (!key?.publicKey || key.fingerprint !== keyid) return undefined;
  return parsePublicKey(key.publicKey)?.keyObject;
}

/**
 * The envelope of a well-formed line, read straight from the text. Every
 * value in it is base64 or hex, which JSON never escapes, and the keys
 * are written in their sorted order, so a line that matches this pattern
 * is canonical JSON by construction. Anything else goes the long way
 * (envelopeOf), which says exactly what is wrong.
 */
const ENVELOPE = new RegExp(
  '^\\{"payload":"([A-Za-z0-9+/]*={0,2})","payloadType":"application/vnd\\.in-toto\\+json",' +
    '"signatures":\\[((?:\\{"keyid":"[0-9a-f]{64}","sig":"[A-Za-z0-9+/]*={0,2}"\\},)*' +
    '\\{"keyid":"[0-9a-f]{64}","sig":"[A-Za-z0-9+/]*={0,2}"\\})\\]\\}$',
);
const SIGNATURE = /\{"keyid":"([0-9a-f]{64})","sig":"([^"]*)"\}/g;

function canonicalEnvelope(text: string): EnvelopeShape | string | undefined {
  const match = ENVELOPE.exec(text);
  if (!match) return undefined;
  const signatures: { keyid: string; sig: string }[] = [];
  for (const [, keyid, sig] of match[2]!.matchAll(SIGNATURE)) {
    signatures.push({ keyid: keyid!, sig: sig! });
  }
  const shape = signaturesOf(signatures);
  if (typeof shape === 'string') return `not a DSSE envelope: ${shape}`;
  return { payload: match[1]!, signatures: shape };
}

function envelopeOf(text: string): EnvelopeShape | string {
  const envelope = parseCanonical(text);
  if (!envelope.ok) {
    return envelope.reason === 'not valid JSON'
      ? 'record is not valid JSON (a corrupt or truncated line)'
      : `envelope is ${envelope.reason}`;
  }
  const shape = envelopeShape(envelope.value);
  return typeof shape === 'string' ? `not a DSSE envelope: ${shape}` : shape;
}

interface EnvelopeShape {
  payload: string;
  signatures: { keyid: string; sig: Buffer }[];
}

function envelopeShape(value: unknown): EnvelopeShape | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'not an object';
  }
  const { payload, payloadType, signatures, ...rest } = value as Record<
    string,
    unknown
  >;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) return `unexpected field '${extra}'`;
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return `payloadType is not ${IN_TOTO_PAYLOAD_TYPE}`;
  }
  if (typeof payload !== 'string') return 'payload is not a string';
  if (!Array.isArray(signatures) || signatures.length === 0) {
    return 'no signatures';
  }
  for (const entry of signatures as unknown[]) {
    if (
      typeof entry !== 'object' ||
      entry === null ||
      Object.keys(entry).length !== 2
    ) {
      return 'a signature is not {keyid, sig}';
    }
  }
  const parsed = signaturesOf(signatures as { keyid: unknown; sig: unknown }[]);
  return typeof parsed === 'string' ? parsed : { payload, signatures: parsed };
}

function signaturesOf(
  signatures: readonly { keyid: unknown; sig: unknown }[],
): { keyid: string; sig: Buffer }[] | string {
  if (signatures.length > MAX_SIGNATURES) return 'too many signatures';
  const parsed: { keyid: string; sig: Buffer }[] = [];
  const seen = new Set<string>();
  for (const { keyid, sig } of signatures) {
    if (
      typeof keyid !== 'string' ||
      !/^[0-9a-f]{64}$/.test(keyid) ||
      typeof sig !== 'string'
    ) {
      return 'a signature is not {keyid, sig}';
    }
    if (seen.has(keyid)) return `key ${keyid} signs twice`;
    seen.add(keyid);
    const bytes = Buffer.from(sig, 'base64');
    // Base64 decoding skips stray characters: only the canonical encoding
    // is accepted, so one signature has one spelling.
    if (bytes.toString('base64') !== sig) {
      return 'a signature is not canonical base64';
    }
    parsed.push({ keyid, sig: bytes });
  }
  return parsed;
}

const PREDICATE_START = Buffer.from(
  `{"_type":"${STATEMENT_TYPE}","predicate":`,
);
const PREDICATE_END = Buffer.from(',"predicateType":');

/**
 * The digest of the record's canonical form. The payload was just checked
 * canonical and schema-valid, so the predicate's canonical bytes are the
 * span between two fixed markers (no string can hold an unescaped quote,
 * and no object inside the record has a predicateType key): hashing the
 * span spares a second canonicalisation per record.
 */
function predicateDigest(payload: Buffer, record: LedgerRecord) {
  const end = payload.lastIndexOf(PREDICATE_END);
  const start = PREDICATE_START.length;
  if (end < start || !payload.subarray(0, start).equals(PREDICATE_START)) {
    return recordDigest(record);
  }
  return sha256(payload.subarray(start, end)).toString('hex');
}

const PAE_PREFIX = `DSSEv1 ${IN_TOTO_PAYLOAD_TYPE.length} ${IN_TOTO_PAYLOAD_TYPE} `;

/** The number of bytes a canonical base64 string decodes to. */
function payloadLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}

/** PAE(payloadType, payload), decoding the payload into the buffer once. */
function signedMessage(base64: string): Buffer {
  const length = payloadLength(base64);
  const header = `${PAE_PREFIX}${length} `;
  const message = Buffer.allocUnsafe(header.length + length);
  message.write(header, 0, 'latin1');
  message.write(base64, header.length, 'base64');
  return message;
}

const BASE64_VALUES =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Whether a string is the one canonical base64 spelling of its bytes:
 * whole quads, valid characters, padding only at the end, and no stray
 * bits in the last character before the padding (RFC 4648 §3.5). Decoders
 * forgive all of these, which would let one payload have many spellings.
 */
function isCanonicalBase64(text: string, charactersChecked = false): boolean {
  if (text.length % 4 !== 0) return false;
  if (!charactersChecked && !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return false;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  if (padding === 0) return true;
  const last = BASE64_VALUES.indexOf(text[text.length - padding - 1]!);
  return (last & (padding === 2 ? 0x0f : 0x03)) === 0;
}

function decodeUtf8(bytes: Buffer): string | undefined {
  return isUtf8(bytes) ? bytes.toString('utf8') : undefined;
}
