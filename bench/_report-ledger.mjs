// Writes a synthetic ledger export for the report benchmark: `count` DSSE
// envelopes, one per line (as `gitwarden ledger export --raw` writes them),
// with predicates shaped as schemas/ledger-record.schema.json describes.
// Mostly agent commands (the SLA's input), with checks, secret findings,
// key and protection records mixed in. Deterministic: the same count and
// end time give the same file.
//
//   node bench/_report-ledger.mjs FILE [COUNT] [END-ISO]
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const PREDICATE_TYPE = 'https://gitwarden.dev/ledger/record/v1';
const AGENTS = ['coder', 'reviewer', 'release-bot', 'docs-writer'];
const ACTORS = ['alice', 'bob', 'ci-bot', 'carol'];

function envelope(predicate) {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'ledger', digest: { gitCommit: '0'.repeat(40) } }],
    predicateType: PREDICATE_TYPE,
    predicate,
  };
  return JSON.stringify({
    payloadType: 'application/vnd.in-toto+json',
    payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
    signatures: [{ keyid: 'bench', sig: 'c2lnbmF0dXJl' }],
  });
}

/** mulberry32: a small seeded generator, so runs are repeatable. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function* ledgerRecords(
  count,
  end = Date.parse('2026-03-01T00:00:00Z'),
) {
  const next = random(7);
  const span = 30 * 86_400_000;
  const iso = (ms) => new Date(ms).toISOString();
  for (let i = 0; i < count; i += 1) {
    const time = end - span + Math.floor((i * span) / count);
    const base = {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      origin: 'example.com/bench/gitwarden-ledger/v1',
      time: iso(time),
      actor: { id: ACTORS[(i >> 2) % ACTORS.length] },
      agent: AGENTS[i % AGENTS.length],
      task: `GW-${(i % 97) + 1}`,
    };
    const roll = next();
    if (i === 0) {
      yield {
        ...base,
        action: 'key.add',
        key: { fingerprint: 'a'.repeat(64) },
      };
    } else if (roll < 0.85) {
      const durationMs = Math.round(50 * Math.exp(next() * 6));
      const status = next() < 0.9995 ? 'ok' : 'error';
      yield {
        ...base,
        action: 'command.run',
        subject: { command: ['npm', 'test'] },
        decision: 'allow',
        outcome: { status, durationMs, exitCode: status === 'ok' ? 0 : 1 },
      };
    } else if (roll < 0.99) {
      const check = ['trailers', 'roles', 'secrets'][i % 3];
      const denied = next() < 0.01;
      yield {
        ...base,
        action: `${check === 'roles' ? 'push' : 'commit'}.check.${check}`,
        subject: { ref: 'refs/heads/main' },
        decision: denied ? 'deny' : 'allow',
        reason: denied ? 'not allowed by policy' : 'allowed',
      };
    } else if (roll < 0.995) {
      yield {
        ...base,
        action: 'protect.check',
        subject: { ref: 'refs/heads/main' },
        decision: 'allow',
      };
    } else {
      yield {
        ...base,
        action: 'secret.found',
        decision: 'deny',
        reason: 'generic-token',
      };
    }
  }
}

export async function writeLedgerExport(file, count, end) {
  const out = createWriteStream(file);
  for (const predicate of ledgerRecords(count, end)) {
    if (!out.write(`${envelope(predicate)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, count = '1000', end] = process.argv.slice(2);
  if (!file) {
    console.error(
      'usage: node bench/_report-ledger.mjs FILE [COUNT] [END-ISO]',
    );
    process.exit(2);
  }
  await writeLedgerExport(
    file,
    Number(count),
    end ? Date.parse(end) : undefined,
  );
}
