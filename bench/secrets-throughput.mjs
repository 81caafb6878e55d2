// Whole-process throughput on the generated corpus (>= 50 MB): gitwarden
// scan beside the secretlint 13 CLI with its recommended preset, on the same
// files, in the same run, alternating, median of several runs.
//
//   node_modules/.bin/node bench/secrets-throughput.mjs [--runs 5] [--mb 52]
import { availableParallelism, loadavg } from 'node:os';

import { corpus, median, runGitwarden, runSecretlint } from './secrets-lib.mjs';

const flag = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const runs = flag('runs', 5);
const { dir, manifest } = corpus({ megabytes: flag('mb', 52) });
const mb = manifest.bytes / 1e6;
console.log(
  `corpus: ${manifest.files} files, ${mb.toFixed(1)} MB; ${availableParallelism()} cores; load ${loadavg()[0].toFixed(1)}`,
);

const times = { gitwarden: [], secretlint: [] };
const cpu = { gitwarden: [], secretlint: [] };
for (let i = 0; i < runs; i++) {
  for (const [name, run] of [
    ['gitwarden', runGitwarden],
    ['secretlint', runSecretlint],
  ]) {
    const result = run(dir);
    times[name].push(result.seconds);
    if (result.cpu !== undefined) cpu[name].push(result.cpu);
  }
}

for (const [name, list] of Object.entries(times)) {
  const m = median(list);
  const cpuText = cpu[name].length
    ? `  cpu ${median(cpu[name]).toFixed(2)} s`
    : '';
  console.log(
    `${name.padEnd(11)} median ${m.toFixed(2)} s  ${(mb / m).toFixed(1)} MB/s${cpuText}  (runs: ${list.map((t) => t.toFixed(2)).join(' ')})`,
  );
}
const ratio = median(times.secretlint) / median(times.gitwarden);
console.log(
  `gitwarden / secretlint throughput: ${ratio.toFixed(2)}x (goal >= 3x: ${ratio >= 3 ? 'met' : 'NOT met'}); load after ${loadavg()[0].toFixed(1)}`,
);
if (cpu.gitwarden.length && cpu.secretlint.length) {
  const cpuRatio = median(cpu.secretlint) / median(cpu.gitwarden);
  console.log(
    `CPU seconds secretlint / gitwarden: ${cpuRatio.toFixed(2)}x (gitwarden spreads its share over ${availableParallelism()} cores; wall time on a busy machine depends on its load)`,
  );
}
