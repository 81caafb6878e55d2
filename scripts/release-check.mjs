// `npm run release-check`: what `npm publish` would upload holds what a
// user needs and nothing else. Reads `npm pack --dry-run --json` (after
// the build its prepare script runs) and fails, listing every problem, when
//   - a file a user needs is missing (the command, the library entry, every
//     chunk those import, the schema, the hooks, README, LICENSE, CHANGELOG),
//   - a file matches nothing a user needs (sources, tests, source maps, the
//     actions, which users take from the GitHub repository, not npm), or
//   - a dist/ chunk is there that nothing imports (left from an old build).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

// GITWARDEN_PACKAGE_ROOT points the check at another folder (its tests).
const root =
  process.env.GITWARDEN_PACKAGE_ROOT ??
  join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const [pack] = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }),
);
const packed = new Set(pack.files.map((file) => file.path));
const problems = [];

// 1. What a user needs.
const required = [
  'package.json',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'dist/release.json',
  'schemas/policy.schema.json',
  ...Object.values(manifest.bin ?? {}).map((path) => normalize(path)),
  ...Object.values(manifest.exports ?? {}).map((path) => normalize(path)),
  ...readdirSync(join(root, 'hooks')).map((name) => `hooks/${name}`),
];
for (const path of required) {
  if (!packed.has(path)) problems.push(`missing: ${path}`);
}

// 2. Nothing else.
const allowed = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^CHANGELOG\.md$/,
  /^bin\/[\w-]+\.js$/,
  /^dist\/[\w-]+\.js$/,
  /^dist\/release\.json$/,
  /^schemas\/[\w.-]+\.json$/,
  /^hooks\/[\w-]+$/,
  /^rules\/[\w./-]+$/,
];
for (const path of packed) {
  if (!allowed.some((pattern) => pattern.test(path))) {
    problems.push(`not for users: ${path}`);
  }
}

// 3. Every chunk reachable from the entry points, and every import packed.
const entries = required.filter((path) => /^(bin|dist)\/.*\.js$/.test(path));
const reached = new Set();
const queue = [...entries];
while (queue.length > 0) {
  const path = queue.pop();
  if (reached.has(path)) continue;
  reached.add(path);
  if (!packed.has(path)) continue;
  const text = readFileSync(join(root, path), 'utf8');
  // What the bundler emits, not what bundled comments mention: static
  // imports at the start of a line, dynamic imports and worker URLs,
  // outside comment lines.
  const code = text
    .split('\n')
    .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
    .join('\n');
  const imports = [
    // `import "./a.js"`, `import { x } from "./a.js"`, and the last line
    // of an import that spans lines: `} from "./a.js";`.
    ...code.matchAll(
      /^(?:import\s*|(?:import|export)\b[^\n]*?\bfrom\s*|\}\s*from\s*)["'](\.{1,2}\/[^"']+)["'];?$/gm,
    ),
    ...code.matchAll(/\bimport\(["'](\.{1,2}\/[\w./-]+\.js)["']\)/g),
    ...code.matchAll(
      /\bnew URL\(["'](\.\/[\w.-]+\.js)["'], import\.meta\.url\)/g,
    ),
  ];
  for (const [, specifier] of imports) {
    const target = normalize(join(dirname(path), specifier));
    if (!packed.has(target))
      problems.push(`${path} imports unpacked ${target}`);
    queue.push(target);
  }
}
for (const path of packed) {
  if (/^dist\/.*\.js$/.test(path) && !reached.has(path)) {
    problems.push(`unused (a stale build?): ${path}`);
  }
}

if (problems.length > 0) {
  console.error(`release-check: ${problems.length} problems in the package`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(
  `release-check: ${packed.size} files, ${(pack.size / 1024).toFixed(0)} KiB packed: what a user needs, nothing else`,
);
