import { GitwardenError } from '../errors.ts';
import { ByteReader } from './byte-reader.ts';
import { gitStream, type GitOptions } from './run.ts';

/** A line a change adds, numbered as in the new version of its file. */
export interface AddedLine {
  line: number;
  /** The raw bytes, without the line ending (a trailing CR is dropped). */
  text: Buffer;
}

/** What one commit (or the index) changes in one file. */
export interface DiffFile {
  /** The commit, or undefined for staged changes. */
  commit: string | undefined;
  path: string;
  /** The path before a rename or copy. */
  oldPath: string | undefined;
  /** git's status letter: A, M, D, R, C, T; "merge" for a merge commit. */
  status: string;
  /** The new file's mode: 100644, 100755, 120000 (link), 160000 (submodule). */
  mode: string;
  /** The new blob, for a second look at files git showed as binary. */
  blob: string | undefined;
  /** git showed no lines: a binary file, or one over the size limit. */
  binary: boolean;
  added: AddedLine[];
}

export interface DiffOptions {
  /**
   * Files larger than this many bytes are shown as binary (git's
   * core.bigFileThreshold), so no patch of unbounded size is ever read.
   */
  maxFileSize: number;
  /** An index other than the repository's own (GIT_INDEX_FILE in a hook). */
  indexFile?: string;
}

const COMMIT_MARK = 'gwcommit ';

// Flags every patch read shares: plain content, whatever a user's config
// or .gitattributes say (no external diff drivers, no textconv filters),
// no context lines, and exact file names from -z raw output.
function patchFlags(): string[] {
  return [
    '-p',
    '--raw',
    '-z',
    '-U0',
    '-M',
    '--no-abbrev',
    '--full-index',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--no-relative',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    '--ignore-submodules=none',
  ];
}

function configFlags(options: DiffOptions): string[] {
  return [
    '-c',
    `core.bigFileThreshold=${Math.max(1, Math.floor(options.maxFileSize))}`,
    '-c',
    'core.quotePath=true',
    '-c',
    'diff.noprefix=false',
  ];
}

/**
 * The lines every commit the revisions select adds, file by file, from one
 * `git log` patch stream. Merge commits show only what no parent had (a
 * conflict resolution or an "evil merge"), in git's dense combined form.
 */
export function readRangeDiff(
  repo: string,
  revisions: readonly string[],
  options: DiffOptions,
): AsyncGenerator<DiffFile> {
  const args = [
    ...configFlags(options),
    'log',
    ...patchFlags(),
    '--diff-merges=dense-combined',
    '--no-show-signature',
    `--format=${COMMIT_MARK}%H`,
    ...revisions,
    '--',
  ];
  return readPatchStream(args, {
    cwd: repo,
    env: { GIT_NO_REPLACE_OBJECTS: '1' },
  });
}

/** The lines the index adds over HEAD (or over nothing, before a first commit). */
export function readStagedDiff(
  repo: string,
  options: DiffOptions,
): AsyncGenerator<DiffFile> {
  const args = [
    ...configFlags(options),
    'diff',
    '--cached',
    ...patchFlags(),
    '--',
  ];
  const env = options.indexFile
    ? { GIT_INDEX_FILE: options.indexFile }
    : undefined;
  return readPatchStream(args, { cwd: repo, env });
}

async function* readPatchStream(
  args: string[],
  options: GitOptions,
): AsyncGenerator<DiffFile> {
  const git = gitStream(args, options);
  try {
    yield* parsePatchStream(git.stdout);
  } catch (error) {
    git.stop();
    throw error;
  } finally {
    // A consumer that stops early (an error elsewhere) must not leave git
    // running; stop() after a normal end is harmless.
    git.stop();
  }
  await git.done;
}

interface RawEntry {
  status: string;
  mode: string;
  blob: string;
  path: string;
  oldPath: string | undefined;
}

const DIFF_GIT = Buffer.from('diff --git ');
const DIFF_CC = Buffer.from('diff --cc ');
const MARK = Buffer.from(COMMIT_MARK);
const NUL = 0;
const LF = 10;

/**
 * Parses git's `-p --raw -z` output. Raw entries (NUL-separated, exact
 * names) come first for each commit, then one patch section per entry in
 * the same order; a type change is the one entry git shows as two
 * sections (a deletion, then a creation).
 */
export async function* parsePatchStream(
  stdout: AsyncIterable<Buffer>,
): AsyncGenerator<DiffFile> {
  const reader = new ByteReader(stdout);
  let commit: string | undefined;
  let raw: RawEntry[] = [];
  let next = 0;

  const finishCommit = () => {
    if (next < raw.length) {
      throw parseError(
        `${raw.length - next} file(s) listed without a patch`,
        commit,
      );
    }
    raw = [];
    next = 0;
  };

  for (;;) {
    const byte = await reader.peek();
    if (byte === -1) break;
    if (byte === NUL || byte === LF) {
      await reader.skip();
      continue;
    }
    if (await reader.startsWith(MARK)) {
      finishCommit();
      const header = (await reader.readUntil(NUL))!.toString('latin1');
      commit = header.slice(COMMIT_MARK.length).trim();
      continue;
    }
    if (byte === 0x3a /* ':' */) {
      const entry = await readRawEntry(reader);
      if (entry) raw.push(entry);
      continue;
    }
    if (await reader.startsWith(DIFF_CC)) {
      yield await readCombinedSection(reader, commit);
      continue;
    }
    if (await reader.startsWith(DIFF_GIT)) {
      const section = await readSection(reader);
      const entry = raw[next];
      if (!entry) throw parseError('a patch without a file entry', commit);
      // The deletion half of a type change does not use up its entry.
      if (section.deleted && entry.status !== 'D') continue;
      next++;
      yield {
        commit,
        path: entry.path,
        oldPath: entry.oldPath,
        status: entry.status,
        mode: entry.mode,
        blob: /^0+$/.test(entry.blob) ? undefined : entry.blob,
        binary: section.binary,
        added: section.added,
      };
      continue;
    }
    const line = await reader.readUntil(LF);
    throw parseError(
      `unexpected output ${JSON.stringify(line?.subarray(0, 40).toString('latin1'))}`,
      commit,
    );
  }
  finishCommit();
}

async function readRawEntry(reader: ByteReader): Promise<RawEntry | undefined> {
  const info = (await reader.readUntil(NUL))!.toString('latin1');
  if (info.startsWith('::')) {
    // A merge's combined entry; its section names its own path.
    await reader.readUntil(NUL);
    return undefined;
  }
  // :srcmode dstmode srcsha dstsha status
  const [, mode = '', , blob = '', status = ''] = info.slice(1).split(' ');
  const first = decodePath(await reader.readUntil(NUL));
  const letter = status.charAt(0);
  if (letter === 'R' || letter === 'C') {
    const second = decodePath(await reader.readUntil(NUL));
    return { status: letter, mode, blob, path: second, oldPath: first };
  }
  return { status: letter, mode, blob, path: first, oldPath: undefined };
}

interface Section {
  deleted: boolean;
  binary: boolean;
  added: AddedLine[];
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

async function readSection(reader: ByteReader): Promise<Section> {
  await reader.readUntil(LF); // the "diff --git" line
  const section: Section = { deleted: false, binary: false, added: [] };
  for (;;) {
    if (await sectionEnds(reader)) return section;
    const line = (await reader.readUntil(LF))!;
    if (line[0] === 0x40 /* @ */) {
      const match = HUNK.exec(line.toString('latin1'));
      if (!match) throw parseError('malformed hunk header', undefined);
      await readHunkLines(reader, Number(match[1]), 1, section.added);
    } else if (startsWithText(line, 'deleted file mode')) {
      section.deleted = true;
    } else if (startsWithText(line, 'Binary files ')) {
      section.binary = true;
    }
  }
}

/** `diff --cc PATH`: the path is the rest of the line, C-quoted if unusual. */
async function readCombinedSection(
  reader: ByteReader,
  commit: string | undefined,
): Promise<DiffFile> {
  const header = (await reader.readUntil(LF))!.subarray(DIFF_CC.length);
  const file: DiffFile = {
    commit,
    path: decodePath(unquoteC(header)),
    oldPath: undefined,
    status: 'merge',
    mode: '100644',
    blob: undefined,
    binary: false,
    added: [],
  };
  const combinedHunk = /^(@{3,}) (?:-\d+(?:,\d+)? )+\+(\d+)(?:,\d+)? @{3,}/;
  for (;;) {
    if (await sectionEnds(reader)) return file;
    const line = (await reader.readUntil(LF))!;
    const text = line.toString('latin1');
    const hunk = combinedHunk.exec(text);
    if (hunk) {
      const parents = hunk[1]!.length - 1;
      await readHunkLines(reader, Number(hunk[2]), parents, file.added);
    } else if (text.startsWith('index ')) {
      file.blob = /\.\.([0-9a-f]+)/.exec(text)?.[1];
    } else if (text.startsWith('mode ') || text.startsWith('new file mode ')) {
      file.mode = text.split(' ').at(-1)!.split(',').at(-1)!;
    } else if (text.startsWith('Binary files ')) {
      file.binary = true;
    }
  }
}

/**
 * Reads a hunk's lines. Each starts with one marker column per parent
 * (' ', '+', '-'); a line is in the new file unless some column says '-',
 * and it is new when every column says '+'.
 */
async function readHunkLines(
  reader: ByteReader,
  firstLine: number,
  columns: number,
  added: AddedLine[],
) {
  let lineNumber = firstLine;
  for (;;) {
    const byte = await reader.peek();
    if (byte !== 0x20 && byte !== 0x2b && byte !== 0x2d && byte !== 0x5c) {
      return;
    }
    const line = (await reader.readUntil(LF))!;
    if (byte === 0x5c /* "\ No newline at end of file" */) continue;
    const markers = line.subarray(0, columns);
    if (markers.includes(0x2d /* - */)) continue;
    if (markers.every((marker) => marker === 0x2b /* + */)) {
      let text = line.subarray(columns);
      if (text[text.length - 1] === 0x0d) text = text.subarray(0, -1);
      added.push({ line: lineNumber, text });
    }
    lineNumber++;
  }
}

async function sectionEnds(reader: ByteReader): Promise<boolean> {
  const byte = await reader.peek();
  return (
    byte === -1 ||
    byte === NUL ||
    (await reader.startsWith(DIFF_GIT)) ||
    (await reader.startsWith(DIFF_CC)) ||
    (await reader.startsWith(MARK))
  );
}

function startsWithText(line: Buffer, text: string): boolean {
  return line.subarray(0, text.length).toString('latin1') === text;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** File names are bytes; show invalid UTF-8 as git's quoted form would. */
function decodePath(bytes: Buffer | undefined): string {
  if (!bytes) throw parseError('a file entry without a name', undefined);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return [...bytes]
      .map((b) => (b < 0x80 ? String.fromCharCode(b) : `\\${b.toString(8)}`))
      .join('');
  }
}

const C_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  t: 9,
  n: 10,
  v: 11,
  f: 12,
  r: 13,
  '"': 0x22,
  '\\': 0x5c,
};

/** Undoes git's C-style quoting of a path ("a\tb", "\303\274"). */
export function unquoteC(bytes: Buffer): Buffer {
  if (bytes[0] !== 0x22 || bytes[bytes.length - 1] !== 0x22) return bytes;
  const out: number[] = [];
  for (let i = 1; i < bytes.length - 1; i++) {
    const byte = bytes[i]!;
    if (byte !== 0x5c) {
      out.push(byte);
      continue;
    }
    const next = String.fromCharCode(bytes[++i]!);
    if (/[0-7]/.test(next)) {
      const octal = bytes.subarray(i, i + 3).toString('latin1');
      out.push(parseInt(octal, 8));
      i += 2;
    } else {
      out.push(C_ESCAPES[next] ?? next.charCodeAt(0));
    }
  }
  return Buffer.from(out);
}

function parseError(detail: string, commit: string | undefined) {
  const where = commit ? ` in commit ${commit.slice(0, 12)}` : '';
  return new GitwardenError(
    'GIT_FAILED',
    `could not read git's patch output${where}: ${detail}`,
  );
}
