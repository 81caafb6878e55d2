// The recall corpus: realistic files with fake secrets of every kind and
// look-alikes planted at known places, and a manifest saying where.
//
//   node bench/corpus/generate.ts DIR [--mb 52] [--per-kind 16] [--seed 7]

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { fakeKinds } from './fakes.ts';
import { decoyKinds, plantLines } from './plant.ts';
import { createRandom } from './random.ts';
import { EXTENSIONS, FILE_KINDS, fillerLine, type FileKind } from './text.ts';

export interface Placement {
  kind: string;
  category: string;
  file: string;
  /** 1-based, inclusive. */
  line: number;
  endLine: number;
}

export interface Manifest {
  seed: number;
  bytes: number;
  files: number;
  planted: Placement[];
  decoys: Placement[];
}

export interface CorpusOptions {
  megabytes: number;
  perKind: number;
  decoysPerKind: number;
  seed: number;
}

interface Plant {
  kind: string;
  category: string;
  lines: string[];
  decoy: boolean;
}

export function generateCorpus(dir: string, options: CorpusOptions): Manifest {
  const r = createRandom(options.seed);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  const plants: Plant[] = [];
  for (const [kind, fake] of Object.entries(fakeKinds)) {
    for (let i = 0; i < options.perKind; i++) {
      const lines = plantLines(kind, fake.make(r), r);
      plants.push({ kind, category: fake.category, lines, decoy: false });
    }
  }
  for (const [kind, make] of Object.entries(decoyKinds)) {
    for (let i = 0; i < options.decoysPerKind; i++) {
      plants.push({ kind, category: 'decoy', lines: make(r), decoy: true });
    }
  }

  const target = options.megabytes * 1_000_000;
  const fileCount = Math.max(1, Math.round(target / 18_000));
  const byFile = new Map<number, Plant[]>();
  for (const plant of plants) {
    const file = r.int(fileCount);
    byFile.set(file, [...(byFile.get(file) ?? []), plant]);
  }

  const manifest: Manifest = {
    seed: options.seed,
    bytes: 0,
    files: 0,
    planted: [],
    decoys: [],
  };
  for (let index = 0; index < fileCount; index++) {
    const kind: FileKind = r.pick(FILE_KINDS);
    const name = `${['src', 'services', 'deploy', 'docs', 'logs'][index % 5]}/m${Math.floor(index / 100)}/f${index}.${EXTENSIONS[kind]}`;
    const size = 6_000 + r.int(24_000);
    const lines: string[] = [];
    let bytes = 0;
    const pending = [...(byFile.get(index) ?? [])];
    // Where in the file each plant goes: spread over its length.
    const slots = pending.map(() => r.next()).sort();
    while (bytes < size || pending.length) {
      if (pending.length && (bytes >= size * slots[0]! || bytes >= size)) {
        const plant = pending.shift()!;
        slots.shift();
        const at = lines.length + 1;
        const placement = {
          kind: plant.kind,
          category: plant.category,
          file: name,
          line: at,
          endLine: at + plant.lines.length - 1,
        };
        (plant.decoy ? manifest.decoys : manifest.planted).push(placement);
        lines.push(...plant.lines);
        continue;
      }
      const line = fillerLine(kind, r);
      lines.push(line);
      bytes += line.length + 1;
    }
    const text = `${lines.join('\n')}\n`;
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
    manifest.bytes += Buffer.byteLength(text);
    manifest.files++;
  }
  writeFileSync(
    join(dir, '..', `${dirName(dir)}.manifest.json`),
    JSON.stringify(manifest),
  );
  return manifest;
}

function dirName(dir: string) {
  return dir.replace(/\/+$/, '').split('/').pop()!;
}

if (import.meta.main) {
  const [dir, ...rest] = process.argv.slice(2);
  if (!dir) {
    console.error(
      'usage: node bench/corpus/generate.ts DIR [--mb N] [--per-kind N] [--seed N]',
    );
    process.exit(2);
  }
  const flag = (name: string, fallback: number) => {
    const at = rest.indexOf(`--${name}`);
    return at === -1 ? fallback : Number(rest[at + 1]);
  };
  const manifest = generateCorpus(dir, {
    megabytes: flag('mb', 52),
    perKind: flag('per-kind', 16),
    decoysPerKind: flag('decoys', 50),
    seed: flag('seed', 7),
  });
  console.log(
    `${dir}: ${manifest.files} files, ${(manifest.bytes / 1e6).toFixed(1)} MB, ${manifest.planted.length} secrets, ${manifest.decoys.length} look-alikes`,
  );
}
