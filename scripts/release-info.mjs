// Runs before `npm pack` / `npm publish` (the prepack script): records in
// dist/release.json which commit of gitwarden this package was built from.
// `gitwarden init` pins the workflow it writes to that commit's actions;
// the commit cannot record its own sha, the packed build can.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const git = (...args) => {
  try {
    return execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return '';
  }
};

const { version } = JSON.parse(
  readFileSync(join(root, 'package.json'), 'utf8'),
);
const commit = git('rev-parse', '--verify', 'HEAD');
const tag = git('describe', '--exact-match', '--tags', 'HEAD') || null;
const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';

mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(
  join(root, 'dist', 'release.json'),
  `${JSON.stringify({ version, commit: commit || null, tag, dirty }, null, 2)}\n`,
);
if (tag !== `v${version}` || dirty) {
  console.warn(
    `release-info: packing ${version} from ${commit.slice(0, 12) || 'no commit'}${dirty ? ' with uncommitted changes' : ''}, not from tag v${version}: init will call its actions unreleased`,
  );
}
