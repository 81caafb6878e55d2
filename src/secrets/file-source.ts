import { lstat, readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

import { GitwardenError } from '../errors.ts';
import { git } from '../git/run.ts';
import { NOTICE_TEXT } from './decode.ts';
import type { SourceItem } from './driver.ts';

// Files and folders on disk. Inside a repository, git lists the files (so
// .gitignore is honoured and paths are the repository's); elsewhere the
// folders are walked. Symbolic links are not followed.

export interface FileSourceOptions {
  /** The repository's top folder, when the paths are in one. */
  repoRoot: string | undefined;
  /** Outside a repository, findings name files relative to this. */
  cwd: string;
  maxFileSize: number;
  isAllowlisted(path: string): boolean;
}

interface Listed {
  /** Where to read it. */
  file: string;
  /** How findings name it: repository-relative inside a repository. */
  name: string;
}

export async function listFiles(
  paths: readonly string[],
  options: FileSourceOptions,
): Promise<Listed[]> {
  for (const path of paths) {
    try {
      await lstat(path);
    } catch {
      throw new GitwardenError('USAGE', `no such file or folder: ${path}`);
    }
  }
  if (options.repoRoot) return listWithGit(paths, options.repoRoot);
  const listed: Listed[] = [];
  for (const path of paths) await walk(path, listed, options.cwd);
  return listed;
}

async function listWithGit(paths: readonly string[], root: string) {
  const specs = paths.map((path) => relative(root, resolve(path)) || '.');
  const { stdout } = await git(
    [
      'ls-files',
      '-z',
      '--cached',
      '--others',
      '--exclude-standard',
      '--deduplicate',
      '--',
      ...specs.map((spec) => `:(literal)${spec.split(sep).join('/')}`),
    ],
    { cwd: root },
  );
  return stdout
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .map((name) => ({ file: join(root, name), name }));
}

async function walk(path: string, listed: Listed[], cwd: string) {
  const stat = await lstat(path);
  if (stat.isFile()) listed.push(named(path, cwd));
  else if (stat.isDirectory()) await walkFolder(path, listed, cwd);
}

async function walkFolder(folder: string, listed: Listed[], cwd: string) {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isFile()) listed.push(named(path, cwd));
    else if (entry.isDirectory() && entry.name !== '.git') {
      await walkFolder(path, listed, cwd);
    }
  }
}

function named(path: string, cwd: string): Listed {
  const name = relative(cwd, path) || path;
  return { file: path, name: name.split(sep).join('/') };
}

/**
 * The listed files as scan inputs. They are read by whichever thread scans
 * them (src/secrets/batch.ts), which checks the size limit before reading.
 */
export async function* fileSource(
  files: readonly Listed[],
  options: FileSourceOptions,
): AsyncGenerator<SourceItem> {
  for (const listed of files) {
    if (options.isAllowlisted(listed.name)) {
      yield {
        kind: 'notice',
        notice: {
          path: listed.name,
          commit: undefined,
          kind: 'allowlisted',
          message: NOTICE_TEXT.allowlisted,
        },
      };
    } else {
      yield { kind: 'file', path: listed.name, file: listed.file };
    }
  }
}
