import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { canonicalJson, parseCanonical } from '../src/ledger/canonical.ts';
import { checkLine, type LineContext } from '../src/ledger/check-line.ts';
import {
  checkpointText,
  noteKeyId,
  parseCheckpointText,
  parseNote,
  signCheckpoint,
  verifyNote,
} from '../src/ledger/checkpoint.ts';
import { preAuthEncoding, signEnvelope } from '../src/ledger/dsse.ts';
import { EMPTY_ROOT, leafHash } from '../src/ledger/merkle.ts';
import {
  newRecord,
  sealRecord,
  statementOf,
  type LedgerRecord,
} from '../src/ledger/record.ts';
import { makeKey, sampleRecord } from './helpers/ledger.ts';

const origin = 'example.com/acme/ledger';
const writer = makeKey('writer');

function context(keys = [writer]): LineContext {
  return {
    origin,
    keys: new Map(
      keys.map((k) => [k.fingerprint, k.signer.publicKey.keyObject]),
    ),
    nowMs: Date.now(),
    maxSkewMs: 300_000,
  };
}

function record(extra = {}): LedgerRecord {
  return newRecord(sampleRecord(1, extra), {
    origin,
    now: new Date(),
    observed: { size: 0, root: EMPTY_ROOT.toString('base64') },
  });
}

/** Signs arbitrary payload bytes into an envelope line, as a writer could. */
async function lineFor(payload: string): Promise<Buffer> {
  const envelope = await signEnvelope(Buffer.from(payload), [writer.signer]);
  return Buffer.from(canonicalJson(envelope));
}

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys and formats numbers the canonical way', () => {
    expect(
      canonicalJson({ b: 1, a: [1e21, 0.5, 'é'], c: { z: null, y: true } }),
    ).toBe('{"a":[1e+21,0.5,"é"],"b":1,"c":{"y":true,"z":null}}');
  });

  it('tells canonical text from equal but different bytes', () => {
    expect(parseCanonical('{"a":1,"b":2}').ok).toBe(true);
    for (const text of [
      '{"b":2,"a":1}',
      '{"a": 1,"b":2}',
      '{"a":1.0,"b":2}',
      '{"a":1,"a":1,"b":2}',
      '{"a":"\\u0041","b":2}',
    ]) {
      expect(parseCanonical(text)).toMatchObject({ ok: false });
    }
    expect(parseCanonical('{"a":')).toEqual({
      ok: false,
      reason: 'not valid JSON',
    });
  });

  it('judges any JSON text exactly as the canonicalize package does', () => {
    const verdict = (text: string) => {
      try {
        return canonicalize(JSON.parse(text)) === text;
      } catch {
        return false;
      }
    };
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const texts = [
          JSON.stringify(value),
          JSON.stringify(value, null, pretty ? 1 : 0),
        ];
        const canonical = canonicalize(value);
        if (canonical !== undefined) texts.push(canonical);
        for (const text of texts) {
          expect(parseCanonical(text).ok).toBe(verdict(text));
        }
      }),
      { numRuns: 2000 },
    );
    for (const text of [
      '{"a":"\\ud800"}',
      '{"10":1,"9":2}',
      '{"9":2,"10":1}',
      '[-0]',
      '[1e400]',
    ]) {
      expect(parseCanonical(text).ok).toBe(verdict(text));
    }
  });
});

describe('DSSE envelopes and records', () => {
  it('uses the DSSE pre-authentication encoding', () => {
    expect(
      preAuthEncoding(
        'http://example.com/HelloWorld',
        Buffer.from('hello world'),
      ).toString(),
    ).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('seals a record that checks clean, named by the key fingerprint', async () => {
    const sealed = record();
    const line = Buffer.from(await sealRecord(sealed, [writer.signer]));
    const check = checkLine(line, context());
    expect(check.fault).toBeUndefined();
    expect(check.id).toBe(sealed.id);
    expect(check.signatures).toEqual([
      { keyid: writer.fingerprint, status: 'valid' },
    ]);
    expect(check.leafHash).toEqual(leafHash(line));
    // An in-toto Statement whose first subject is the record's own digest.
    const envelope = JSON.parse(line.toString()) as {
      payload: string;
      payloadType: string;
    };
    expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
    const statement = JSON.parse(
      Buffer.from(envelope.payload, 'base64').toString(),
    );
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.predicateType).toBe(
      'https://gitwarden.dev/ledger/record/v1',
    );
    expect(writer.fingerprint).toBe(
      createHash('sha256').update(writer.signer.publicKey.spki).digest('hex'),
    );
  });

  it('refuses to write a record the schema rejects, naming the field', async () => {
    await expect(
      sealRecord(record({ action: 'Not An Action' }), [writer.signer]),
    ).rejects.toThrow(/action: expected text matching/);
    await expect(
      sealRecord(record({ decision: 'maybe' }), [writer.signer]),
    ).rejects.toThrow(/decision: expected one of/);
    await expect(
      sealRecord(record({ action: 'key.add' }), [writer.signer]),
    ).rejects.toThrow(/key/);
  });

  it('rejects signed payloads that are valid JSON but not canonical', async () => {
    const statement = statementOf(record());
    const pretty = JSON.stringify(statement, null, 1);
    const check = checkLine(await lineFor(pretty), context());
    expect(check.fault).toMatch(/signed payload is not canonical JSON/);
  });

  it('rejects an envelope line that is not canonical, and garbage', async () => {
    const line = await sealRecord(record(), [writer.signer]);
    const reordered = JSON.stringify(JSON.parse(line), [
      'signatures',
      'keyid',
      'sig',
      'payloadType',
      'payload',
    ]);
    expect(checkLine(Buffer.from(reordered), context()).fault).toMatch(
      /envelope is not canonical/,
    );
    expect(checkLine(Buffer.from(line.slice(0, 40)), context()).fault).toMatch(
      /not valid JSON/,
    );
    expect(checkLine(Buffer.from([0xff, 0xfe]), context()).fault).toMatch(
      /UTF-8/,
    );
  });

  it('reports an unknown signer and a signature that does not verify', async () => {
    const other = makeKey('other');
    const line = Buffer.from(await sealRecord(record(), [other.signer]));
    const check = checkLine(line, context());
    expect(check.signatures).toEqual([
      { keyid: other.fingerprint, status: 'unknown' },
    ]);
    expect(check.unverified?.signatures[0]?.keyid).toBe(other.fingerprint);
    // Claiming another key's fingerprint does not make its signature valid.
    const forged = line
      .toString()
      .replace(other.fingerprint, writer.fingerprint);
    expect(checkLine(Buffer.from(forged), context()).fault).toMatch(
      /does not verify/,
    );
  });

  it('refuses a record written for another log, or far in the future', async () => {
    const foreign = newRecord(sampleRecord(2), {
      origin: 'elsewhere.example/log',
      now: new Date(),
    });
    const line = Buffer.from(await sealRecord(foreign, [writer.signer]));
    expect(checkLine(line, context()).fault).toMatch(/belongs to another log/);
    const later = record({
      time: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const future = Buffer.from(await sealRecord(later, [writer.signer]));
    expect(checkLine(future, context()).fault).toMatch(
      /ahead of this verifier's clock/,
    );
  });
});

describe('C2SP checkpoints', () => {
  const checkpoint = { origin, size: 42, root: leafHash(Buffer.from('x')) };

  it('writes the signed-note format with a C2SP key ID', async () => {
    const note = await signCheckpoint(checkpoint, [writer.signer]);
    const [text, signatures] = note.split('\n\n');
    expect(`${text}\n`).toBe(checkpointText(checkpoint));
    expect(text!.split('\n')).toEqual([
      origin,
      '42',
      checkpoint.root.toString('base64'),
    ]);
    expect(signatures).toMatch(
      /^\u2014 example\.com\/acme\/ledger [A-Za-z0-9+/]+=*\n$/u,
    );
    // key ID = SHA-256(name || 0x0A || 0x01 || 32-byte key)[:4]
    const expected = createHash('sha256')
      .update(
        Buffer.concat([
          Buffer.from(`${origin}\n`),
          Buffer.from([1]),
          writer.signer.publicKey.raw,
        ]),
      )
      .digest()
      .subarray(0, 4);
    expect(noteKeyId(origin, writer.signer.publicKey)).toEqual(expected);
    const parsed = parseNote(note);
    expect(parsed.signatures[0]!.keyId).toEqual(expected);
    expect(parseCheckpointText(parsed.text)).toEqual(checkpoint);
  });

  it('ignores unknown signers but needs a known one to verify', async () => {
    const stranger = makeKey('stranger');
    const note = parseNote(
      await signCheckpoint(checkpoint, [stranger.signer, writer.signer]),
    );
    expect(verifyNote(note, origin, [writer.signer.publicKey])).toEqual({
      verifiedBy: [writer.fingerprint],
      failedBy: [],
    });
    const onlyStranger = parseNote(
      await signCheckpoint(checkpoint, [stranger.signer]),
    );
    expect(
      verifyNote(onlyStranger, origin, [writer.signer.publicKey]).verifiedBy,
    ).toEqual([]);
    // An altered size breaks the known key's signature.
    const altered = { ...note, text: note.text.replace('\n42\n', '\n43\n') };
    expect(
      verifyNote(altered, origin, [writer.signer.publicKey]).failedBy,
    ).toEqual([writer.fingerprint]);
  });

  it('rejects malformed notes', () => {
    expect(() => parseNote('a\n1\nroot\n')).toThrow(/no signatures/);
    expect(() => parseNote('a\n\n- a b\n')).toThrow(/malformed signature line/);
    expect(() => parseCheckpointText('a\n01\nAAAA\n')).toThrow(/decimal/);
    expect(() => parseCheckpointText(`a\n1\nAAAA\n`)).toThrow(/base64 SHA-256/);
  });
});

describe('sealed payload bytes', () => {
  it('are exactly the canonical JSON of the statement', async () => {
    for (const extra of [
      {},
      { subject: { commits: ['a'.repeat(40)], repository: 'acme/app' } },
      { why: 'ünïcödé \u2028 "quotes"' },
    ]) {
      const sealed = record(extra);
      const line = await sealRecord(sealed, [writer.signer]);
      const payload = Buffer.from(
        JSON.parse(line).payload,
        'base64',
      ).toString();
      expect(payload).toBe(canonicalJson(statementOf(sealed)));
    }
  });
});

describe('payload base64', () => {
  it('accepts only the canonical spelling of the signed bytes', async () => {
    const line = await sealRecord(record(), [writer.signer]);
    const envelope = JSON.parse(line) as { payload: string };
    expect(checkLine(Buffer.from(line), context()).fault).toBeUndefined();
    // The same bytes, spelled differently: a line break, a missing pad,
    // and stray bits in the last character before the padding.
    const spellings = [
      `${envelope.payload.slice(0, 8)}\n${envelope.payload.slice(8)}`,
      envelope.payload.replace(/=+$/, ''),
    ];
    const padded = envelope.payload.match(/(.)(=+)$/);
    if (padded) {
      const values =
        'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
      const stray = values[values.indexOf(padded[1]!) + 1]!;
      spellings.push(
        `${envelope.payload.slice(0, -padded[0].length)}${stray}${padded[2]}`,
      );
    }
    for (const payload of spellings) {
      expect(Buffer.from(payload, 'base64')).toEqual(
        Buffer.from(envelope.payload, 'base64'),
      );
      const forged = Buffer.from(
        canonicalJson({ ...JSON.parse(line), payload }),
      );
      expect(checkLine(forged, context()).fault).toMatch(
        /payload is not canonical base64/,
      );
    }
  });
});
