import { extname } from 'node:path';

import { readBlobs } from '../git/blobs.ts';
import type { DiffFile } from '../git/diff.ts';
import { decodeBytes, decodeUtf8, NOTICE_TEXT } from './decode.ts';
import type { SourceItem } from './driver.ts';
import type { ScanNotice } from './types.ts';

// Turns the files of a patch stream into units of added lines, and says
// what it skipped: submodule pointers, binary files, files over the limit.

export interface DiffSourceOptions {
  repo: string;
  maxFileSize: number;
  isAllowlisted(path: string): boolean;
  /** Called with each new commit as the stream reaches it. */
  onCommit?(commit: string): void;
}

/** Extensions that are never text: not worth fetching to look for UTF-16. */
const BINARY_EXTENSIONS = new Set(
  (
    'png jpg jpeg gif bmp ico webp tif tiff psd pdf zip gz tgz bz2 xz 7z rar ' +
    'jar war class exe dll so dylib o a lib bin dat woff woff2 ttf otf eot ' +
    'mp3 mp4 m4a wav ogg flac avi mov mkv webm wasm pyc node sqlite db'
  ).split(' '),
);

/** Binary files fetched per round when looking for UTF-16 text. */
const BLOB_ROUND_BYTES = 32 * 1024 * 1024;

export async function* diffSource(
  files: AsyncIterable<DiffFile>,
  options: DiffSourceOptions,
): AsyncGenerator<SourceItem> {
  const binaries: DiffFile[] = [];
  let commit: string | undefined;
  for await (const file of files) {
    if (file.commit !== commit) {
      commit = file.commit;
      if (commit) options.onCommit?.(commit);
    }
    const item = toItem(file, options, binaries);
    if (item) yield item;
  }
  yield* binaryItems(binaries, options);
}

function toItem(
  file: DiffFile,
  options: DiffSourceOptions,
  binaries: DiffFile[],
): SourceItem | undefined {
  const place = { path: file.path, commit: file.commit };
  if (file.status === 'D') return undefined;
  if (options.isAllowlisted(file.path)) {
    return notice(place, 'allowlisted');
  }
  if (file.mode === '160000') return notice(place, 'submodule');
  if (file.binary) {
    binaries.push(file);
    return undefined;
  }
  if (file.added.length === 0) return undefined;

  const lines = file.added;
  if (lines.some((line) => line.text.includes(0))) {
    return notice(place, 'binary', 'skipped: binary content (a NUL byte)');
  }
  const joined = Buffer.concat(
    lines.flatMap((line, i) => (i ? [NEWLINE, line.text] : [line.text])),
  );
  const first = lines[0]!;
  // A UTF-8 byte-order mark on the file's first line is not content.
  const body =
    first.line === 1 &&
    joined[0] === 0xef &&
    joined[1] === 0xbb &&
    joined[2] === 0xbf
      ? joined.subarray(3)
      : joined;
  const decoded = decodeUtf8(body);
  if (!decoded.ok) return undefined;
  const isLfs = first.line === 1 && decoded.text.startsWith(LFS_POINTER);
  return {
    kind: 'unit',
    unit: {
      path: file.path,
      commit: file.commit,
      text: decoded.text,
      lineNumbers: lines.map((line) => line.line),
    },
    notice: isLfs ? 'lfs-pointer' : decoded.notice,
  };
}

const NEWLINE = Buffer.from('\n');
const LFS_POINTER = 'version https://git-lfs.github.com/spec/';

function notice(
  place: { path: string; commit: string | undefined },
  kind: ScanNotice['kind'],
  message = NOTICE_TEXT[kind],
): SourceItem {
  return { kind: 'notice', notice: { ...place, kind, message } };
}

/**
 * Files git showed as binary: over the size limit, truly binary, or text
 * git cannot read (UTF-16). The last are decoded and scanned whole, since
 * git gave no line-by-line patch for them.
 */
async function* binaryItems(
  files: DiffFile[],
  options: DiffSourceOptions,
): AsyncGenerator<SourceItem> {
  const candidates: DiffFile[] = [];
  for (const file of files) {
    const place = { path: file.path, commit: file.commit };
    const extension = extname(file.path).slice(1).toLowerCase();
    if (!file.blob || BINARY_EXTENSIONS.has(extension)) {
      yield notice(place, 'binary');
    } else {
      candidates.push(file);
    }
  }
  let round: DiffFile[] = [];
  for (const [index, file] of candidates.entries()) {
    round.push(file);
    const last = index === candidates.length - 1;
    if (round.length * options.maxFileSize < BLOB_ROUND_BYTES && !last)
      continue;
    const blobs = await readBlobs(
      options.repo,
      round.map((f) => f.blob!),
      options.maxFileSize,
    );
    for (const each of round) {
      yield blobItem(each, blobs.get(each.blob!), options.maxFileSize);
    }
    round = [];
  }
}

function blobItem(
  file: DiffFile,
  blob: { size: number; content: Buffer | undefined } | undefined,
  maxFileSize: number,
): SourceItem {
  const place = { path: file.path, commit: file.commit };
  if (!blob) return notice(place, 'binary');
  if (!blob.content) {
    return notice(
      place,
      'too-large',
      `skipped: ${blob.size} bytes is over the ${maxFileSize}-byte limit`,
    );
  }
  const decoded = decodeBytes(blob.content, maxFileSize);
  if (!decoded.ok) return notice(place, decoded.kind, decoded.message);
  return {
    kind: 'unit',
    unit: { path: file.path, commit: file.commit, text: decoded.text },
    notice: decoded.notice,
  };
}
