import { lstat, readdir, readFile } from 'node:fs/promises';
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

/** Reads ahead this many files while earlier ones are scanned. */
const READ_AHEAD = 16;

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
  if (stat.isFile()) {
    const name = relative(cwd, path) || path;
    listed.push({ file: path, name: name.split(sep).join('/') });
    return;
  }
  if (!stat.isDirectory()) return;
  const entries = await readdir(path, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    if (entry.name === '.git') continue;
    if (entry.isDirectory() || entry.isFile()) {
      await walk(join(path, entry.name), listed, cwd);
    }
  }
}

export async function* fileSource(
  files: readonly Listed[],
  options: FileSourceOptions,
): AsyncGenerator<SourceItem> {
  const reads: Promise<SourceItem>[] = [];
  let next = 0;
  const fill = () => {
    while (reads.length < READ_AHEAD && next < files.length) {
      reads.push(readOne(files[next++]!, options));
    }
  };
  fill();
  while (reads.length) {
    const item = await reads.shift()!;
    fill();
    yield item;
  }
}

async function readOne(
  listed: Listed,
  options: FileSourceOptions,
): Promise<SourceItem> {
  const place = { path: listed.name, commit: undefined };
  if (options.isAllowlisted(listed.name)) {
    return notice(place, 'allowlisted', NOTICE_TEXT.allowlisted);
  }
  try {
    const stat = await lstat(listed.file);
    if (!stat.isFile()) {
      // Listed by git but a link or gone from the work tree: nothing to read.
      return notice(place, 'not-a-file', NOTICE_TEXT['not-a-file']);
    }
    if (stat.size > options.maxFileSize) {
      return notice(
        place,
        'too-large',
        `skipped: ${stat.size} bytes is over the ${options.maxFileSize}-byte limit`,
      );
    }
    const bytes = await readFile(listed.file);
    return { kind: 'bytes', path: listed.name, bytes };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return notice(place, 'not-a-file', 'skipped: deleted from the work tree');
    }
    return {
      kind: 'error',
      error: { ...place, message: `cannot read: ${code ?? String(error)}` },
    };
  }
}

function notice(
  place: { path: string; commit: undefined },
  kind: 'allowlisted' | 'not-a-file' | 'too-large',
  message: string,
): SourceItem {
  return { kind: 'notice', notice: { ...place, kind, message } };
}
