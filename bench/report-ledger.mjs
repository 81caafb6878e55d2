// Writes a synthetic ledger export for the report benchmark and the demo:
// `count` DSSE envelopes, one per line, shaped as src/report/records.ts
// reads them. Mostly agent operations (the SLA's input), with decisions,
// secret findings, key and protection records mixed in. Deterministic:
// the same count and end time give the same file.
//
//   node bench/report-ledger.mjs FILE [COUNT] [END-ISO]
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
    const agent = AGENTS[i % AGENTS.length];
    const actor = ACTORS[(i >> 2) % ACTORS.length];
    const task = `GW-${(i % 97) + 1}`;
    const base = { id: `rec-${i}`, time: iso(time), actor, agent, task };
    const roll = next();
    if (i === 0) {
      yield {
        ...base,
        kind: 'key',
        what: { keyId: 'writer-1', change: 'add' },
      };
    } else if (roll < 0.85) {
      const duration = Math.round(50 * Math.exp(next() * 6));
      const outcome = next() < 0.9995 ? 'success' : 'failure';
      yield {
        ...base,
        kind: 'operation',
        what: { start: iso(time - duration), end: iso(time), outcome },
      };
    } else if (roll < 0.99) {
      const check = ['trailers', 'roles', 'secrets'][i % 3];
      const denied = next() < 0.01;
      yield {
        ...base,
        kind: 'decision',
        why: denied ? 'not allowed by policy' : 'allowed',
        what: {
          action: check === 'roles' ? 'push' : 'commit',
          check,
          decision: denied ? 'deny' : 'allow',
          ref: 'refs/heads/main',
          protectedPath: i % 11 === 0,
        },
      };
    } else if (roll < 0.995) {
      yield {
        ...base,
        kind: 'protection-check',
        what: { ref: 'refs/heads/main', matches: true },
      };
    } else {
      yield {
        ...base,
        kind: 'secret-finding',
        what: { rule: 'generic-token', resolution: 'blocked' },
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
    console.error('usage: node bench/report-ledger.mjs FILE [COUNT] [END-ISO]');
    process.exit(2);
  }
  await writeLedgerExport(
    file,
    Number(count),
    end ? Date.parse(end) : undefined,
  );
}
