// Benchmark: a report over 1,000,000 already-verified ledger records,
// beside a bare streaming parse of the same file (read lines, JSON.parse
// each envelope and its payload, nothing else). Each run is a fresh child
// process, so its peak memory (max RSS) is its own; the report also runs
// on a quarter of the records to show memory does not grow with the log.
//
//   npm run bench report-summary       (1,000,000 records, 3 runs)
//   node_modules/.bin/node bench/report-summary.mjs [COUNT] [RUNS]
//
// Run it on the project's pinned Node.js 24 (npm scripts do): on the
// machine's Node.js 20 the report runs about twice as slow.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { writeLedgerExport } from './_report-ledger.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const UNTIL = Date.parse('2026-03-01T00:00:00Z');

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
} else {
  await main(
    Number(process.argv[2] ?? 1_000_000),
    Number(process.argv[3] ?? 3),
  );
}

async function main(count, runs) {
  // Files are named by the generator's format, so an old one is never reused.
  const dir = join(tmpdir(), 'gitwarden-report-bench');
  mkdirSync(dir, { recursive: true });
  const files = {
    full: join(dir, `ledger-v2-${count}.jsonl`),
    quarter: join(dir, `ledger-v2-${count / 4}.jsonl`),
  };
  for (const [name, n] of [
    ['full', count],
    ['quarter', count / 4],
  ]) {
    if (!existsSync(files[name])) {
      console.log(`writing ${n} records to ${files[name]} ...`);
      await writeLedgerExport(files[name], n, UNTIL);
    }
  }
  const mb = (bytes) => (bytes / 1024 / 1024).toFixed(0);
  console.log(
    `ledger export: ${count} records, ${mb(statSync(files.full).size)} MB; ${runs} runs each, median shown\n`,
  );

  const rows = [
    ['bare streaming parse', 'parse', files.full],
    ['gitwarden report', 'report', files.full],
    [`gitwarden report, ${count / 4} records`, 'report', files.quarter],
  ].map(([label, mode, file]) => {
    const results = Array.from({ length: runs }, () =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [fileURLToPath(import.meta.url), '--child', mode, file],
          { encoding: 'utf8' },
        ),
      ),
    );
    const ms = median(results.map((r) => r.ms));
    const rss = median(results.map((r) => r.maxRssMb));
    const cpu = median(results.map((r) => r.cpuMs));
    return { label, ms, cpu, rss, records: results[0].records };
  });

  const base = rows[0];
  // Wall time suffers when other work shares the machine; CPU time (user
  // + system of the child) much less. Both are shown, each with its ratio.
  console.log(
    '| run | records | wall time | vs bare | CPU time | vs bare | records/s (wall) | peak RSS |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const perSecond = Math.round((r.records / r.ms) * 1000).toLocaleString(
      'en',
    );
    console.log(
      `| ${r.label} | ${r.records} | ${(r.ms / 1000).toFixed(2)} s | ${(r.ms / base.ms).toFixed(2)}× | ${(r.cpu / 1000).toFixed(2)} s | ${(r.cpu / base.cpu).toFixed(2)}× | ${perSecond} | ${r.rss} MB |`,
    );
  }
  const memory = JSON.parse(
    execFileSync(
      process.execPath,
      [
        '--expose-gc',
        fileURLToPath(import.meta.url),
        '--child',
        'memory',
        files.full,
      ],
      { encoding: 'utf8' },
    ),
  );
  console.log(
    `\nlive heap of the report after a full GC at 25/50/75/100% of the file: ${memory.retainedMb.join(' / ')} MB`,
  );
  const verdict = rows[1].ms < 10_000 ? 'under' : 'OVER';
  console.log(
    `\nreport over ${count} records: ${verdict} the 10 s goal (wall); peak RSS ${rows[2].rss} MB at ${count / 4} records vs ${rows[1].rss} MB at ${count}. Node.js ${process.version}. Load average now: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cpus().length} cores.`,
  );
}

/** One measured run, in its own process; prints its figures as JSON. */
async function child(mode, file) {
  if (mode === 'memory') return memoryChild(file);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let records = 0;
  if (mode === 'parse') {
    // The same 1 MiB chunks cut at newlines as the report's reader.
    let rest = Buffer.alloc(0);
    for await (const chunk of createReadStream(file, {
      highWaterMark: 1 << 20,
    })) {
      const buffer = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      for (
        let end = buffer.indexOf(10);
        end !== -1;
        end = buffer.indexOf(10, start)
      ) {
        const envelope = JSON.parse(buffer.toString('utf8', start, end));
        JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
        records += 1;
        start = end + 1;
      }
      rest = buffer.subarray(start);
    }
  } else {
    const lib = await import(
      pathToFileURL(join(root, 'dist', 'index.js')).href
    );
    const report = await lib.generateReport({
      ledger: file,
      cwd: tmpdir(),
      since: '2026-01-30',
      until: '2026-03-01',
      now: UNTIL,
    });
    records = report.source.records;
  }
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(JSON.stringify({ ms, cpuMs, records, maxRssMb }));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Not timed: the report's live heap after a full collection at each
 * quarter of the file. Peak RSS depends on how far V8 lets its heap grow
 * between collections; this shows what the report actually keeps.
 */
async function memoryChild(file) {
  const lib = await import(pathToFileURL(join(root, 'dist', 'index.js')).href);
  const quarter = statSync(file).size / 4;
  const retainedMb = [];
  let read = 0;
  let mark = quarter;
  async function* sampled() {
    for await (const chunk of createReadStream(file, {
      highWaterMark: 1 << 20,
    })) {
      yield chunk;
      read += chunk.length;
      if (read >= mark) {
        mark += quarter;
        globalThis.gc();
        retainedMb.push(
          Math.round(process.memoryUsage().heapUsed / 1024 / 1024),
        );
      }
    }
  }
  const controls = await lib.loadControls();
  await lib.buildReportFromStream(sampled(), {
    policy: {},
    period: { since: Date.parse('2026-01-30'), until: UNTIL },
    integrity: {
      status: 'not-verified',
      problems: [],
      checkpoint: undefined,
      anchored: undefined,
    },
    controls,
    ledger: file,
    now: UNTIL,
  });
  process.stdout.write(JSON.stringify({ retainedMb }));
}
