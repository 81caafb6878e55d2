// Records in dist/release.json which commit of gitwarden a build comes
// from (scripts/build.mjs calls it, so a packed package carries it).
// `gitwarden init` pins the workflow it writes to that commit's actions:
// a commit cannot name its own sha, a build made from it can. A build from
// a tree with changes, or not at the version's tag, is marked so, and init
// then warns that the pin is not a release.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function git(...args) {
  try {
    return execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return ''; // not a git checkout (a package being rebuilt, say)
  }
}

export function writeReleaseInfo() {
  const { version } = JSON.parse(
    readFileSync(join(root, 'package.json'), 'utf8'),
  );
  const commit = git('rev-parse', '--verify', 'HEAD') || null;
  const info = {
    version,
    commit,
    tag: commit
      ? git('describe', '--exact-match', '--tags', 'HEAD') || null
      : null,
    dirty: commit
      ? git('status', '--porcelain', '--untracked-files=no') !== ''
      : null,
  };
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(
    join(root, 'dist', 'release.json'),
    `${JSON.stringify(info, null, 2)}\n`,
  );
  return info;
}
