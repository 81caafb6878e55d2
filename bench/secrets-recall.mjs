// Recall per kind of planted secret, and false-positive lines, for
// gitwarden beside the secretlint 13 CLI (recommended preset), on the same
// generated corpus in the same run.
//
//   node_modules/.bin/node bench/secrets-recall.mjs [--mb 52]
import { corpus, runGitwarden, runSecretlint } from './secrets-lib.mjs';

const mbFlag = process.argv.indexOf('--mb');
const megabytes = mbFlag === -1 ? 52 : Number(process.argv[mbFlag + 1]);
const { dir, manifest } = corpus({ megabytes });
console.log(
  `corpus: ${manifest.files} files, ${(manifest.bytes / 1e6).toFixed(1)} MB, ` +
    `${manifest.planted.length} planted secrets, ${manifest.decoys.length} look-alikes`,
);

const tools = { gitwarden: runGitwarden(dir), secretlint: runSecretlint(dir) };

/** Findings by file and line, to match them against placements. */
function index(findings) {
  const byFile = new Map();
  for (const f of findings) {
    if (!byFile.has(f.file)) byFile.set(f.file, new Set());
    byFile.get(f.file).add(f.line);
  }
  return byFile;
}
const hit = (byFile, p) => {
  const lines = byFile.get(p.file);
  if (!lines) return false;
  for (let line = p.line; line <= p.endLine; line++)
    if (lines.has(line)) return true;
  return false;
};

const results = {};
for (const [name, run] of Object.entries(tools)) {
  const byFile = index(run.findings);
  const planted = new Map();
  for (const p of manifest.planted) {
    const row = planted.get(p.kind) ?? {
      category: p.category,
      total: 0,
      found: 0,
    };
    row.total++;
    if (hit(byFile, p)) row.found++;
    planted.set(p.kind, row);
  }
  // A false positive is a line with a finding and no planted secret.
  const plantedLines = new Set();
  for (const p of manifest.planted) {
    for (let line = p.line; line <= p.endLine; line++)
      plantedLines.add(`${p.file}:${line}`);
  }
  const fpLines = new Set(
    run.findings
      .map((f) => `${f.file}:${f.line}`)
      .filter((key) => !plantedLines.has(key)),
  );
  const decoyHits = new Map();
  for (const d of manifest.decoys) {
    if (hit(byFile, d)) decoyHits.set(d.kind, (decoyHits.get(d.kind) ?? 0) + 1);
  }
  results[name] = { planted, fpLines, decoyHits };
}

const pad = (text, width) => String(text).padEnd(width);
const pct = (row) =>
  `${row.found}/${row.total} ${((100 * row.found) / row.total).toFixed(0)}%`;
console.log(
  `\n${pad('kind', 24)}${pad('category', 18)}${pad('gitwarden', 14)}secretlint`,
);
let worst = { kind: 'every kind', recall: 1 };
for (const [kind, row] of results.gitwarden.planted) {
  const other = results.secretlint.planted.get(kind);
  console.log(
    `${pad(kind, 24)}${pad(row.category, 18)}${pad(pct(row), 14)}${pct(other)}`,
  );
  if (row.found / row.total < worst.recall)
    worst = { kind, recall: row.found / row.total };
}
const totals = (planted) => {
  let found = 0;
  let total = 0;
  for (const row of planted.values()) {
    found += row.found;
    total += row.total;
  }
  return { found, total };
};
console.log(
  `${pad('all', 42)}${pad(pct(totals(results.gitwarden.planted)), 14)}${pct(totals(results.secretlint.planted))}`,
);

console.log('\nfalse-positive lines (findings on no planted secret):');
for (const [name, r] of Object.entries(results)) {
  const decoys =
    [...r.decoyHits].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  console.log(
    `  ${pad(name, 12)} ${r.fpLines.size} lines; on planted look-alikes: ${decoys}`,
  );
}

const gwFp = results.gitwarden.fpLines.size;
const slFp = results.secretlint.fpLines.size;
console.log(
  `\nlowest recall per kind: ${worst.kind} ${(100 * worst.recall).toFixed(0)}% (goal >= 95%: ${worst.recall >= 0.95 ? 'met' : 'NOT met'})`,
);
console.log(
  `false-positive lines: gitwarden ${gwFp}, secretlint ${slFp} (goal: no more than secretlint: ${gwFp <= slFp ? 'met' : 'NOT met'})`,
);
