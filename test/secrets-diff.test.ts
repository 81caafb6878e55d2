import { afterAll, describe, expect, it } from 'vitest';
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

import { readBlobs } from '../src/git/blobs.ts';
import {
  readRangeDiff,
  readStagedDiff,
  unquoteC,
  type DiffFile,
} from '../src/git/diff.ts';
import { cleanupTempDirs, makeRepo } from './helpers/repo.ts';

afterAll(cleanupTempDirs);

const options = { maxFileSize: 1024 * 1024 };

async function collect(files: AsyncIterable<DiffFile>) {
  const out: DiffFile[] = [];
  for await (const file of files) out.push(file);
  return out;
}

function lines(file: DiffFile | undefined) {
  return file?.added.map((a) => [a.line, a.text.toString('utf8')]);
}

describe('added lines of a range', () => {
  it('numbers added lines as in the new file, hunk by hunk', async () => {
    const repo = makeRepo();
    repo.write('a.txt', 'one\ntwo\nthree\nfour\nfive\n');
    const base = repo.commit('base');
    repo.write('a.txt', 'zero\none\ntwo\nTHREE\nfour\nfive\nsix\n');
    const head = repo.commit('edit');

    const files = await collect(
      readRangeDiff(repo.dir, [head, '--not', base], options),
    );
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ commit: head, path: 'a.txt' });
    expect(lines(files[0])).toEqual([
      [1, 'zero'],
      [4, 'THREE'],
      [7, 'six'],
    ]);
  });

  it('reads every commit, newest first, so a later removal hides nothing', async () => {
    const repo = makeRepo();
    const base = repo.commit('base');
    repo.write('x.txt', 'first\nadded\n');
    const add = repo.commit('add');
    repo.write('x.txt', 'first\n');
    const remove = repo.commit('remove');

    const files = await collect(
      readRangeDiff(repo.dir, [remove, '--not', base], options),
    );
    expect(files.map((f) => [f.commit, lines(f)])).toEqual([
      [remove, []],
      [
        add,
        [
          [1, 'first'],
          [2, 'added'],
        ],
      ],
    ]);
  });

  it('drops CR of CRLF lines and keeps odd file names exact', async () => {
    const repo = makeRepo();
    const base = repo.commit('base');
    repo.write('dos file.txt', 'a\r\nb\r\n');
    repo.write('tab\there ü.txt', 'x\n');
    repo.write('"quoted".txt', 'q\n');
    const head = repo.commit('names');

    const files = await collect(
      readRangeDiff(repo.dir, [head, '--not', base], options),
    );
    const byPath = new Map(files.map((f) => [f.path, f]));
    expect(lines(byPath.get('dos file.txt'))).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    expect(lines(byPath.get('tab\there ü.txt'))).toEqual([[1, 'x']]);
    expect(lines(byPath.get('"quoted".txt'))).toEqual([[1, 'q']]);
  });

  it('shows renames, deletions, type changes, binaries and submodules', async () => {
    const repo = makeRepo();
    repo.write('old.txt', 'same content\nkept\n');
    repo.write('gone.txt', 'bye\n');
    repo.write('link', 'plain\n');
    const base = repo.commit('base');
    repo.git(['mv', 'old.txt', 'new.txt']);
    repo.git(['rm', '-q', 'gone.txt', 'link']);
    repo.write('link-target', 'x\n');
    repo.git(['add', 'link-target']);
    repo.git(['commit', '-qm', 'moves']);
    repo.git(['rm', '-q', 'link-target']);
    // A type change: a file becomes a symbolic link.
    repo.write('new.txt', 'same content\nkept\n');
    repo.write('image.bin', Buffer.from([0x89, 0x50, 0x00, 0x01, 0x02]));
    const sub = repo.git(['rev-parse', 'HEAD']);
    repo.git([
      'update-index',
      '--add',
      '--cacheinfo',
      `160000,${sub},vendor/sub`,
    ]);
    repo.git(['add', 'new.txt', 'image.bin']);
    repo.git(['commit', '-qm', 'more']);
    const head = repo.git(['rev-parse', 'HEAD']);

    const files = await collect(
      readRangeDiff(repo.dir, [head, '--not', base], options),
    );
    const summary = files.map((f) => [f.status, f.path, f.oldPath, f.mode]);
    expect(summary).toContainEqual(['R', 'new.txt', 'old.txt', '100644']);
    expect(summary).toContainEqual(['D', 'gone.txt', undefined, '000000']);
    expect(summary).toContainEqual(['A', 'vendor/sub', undefined, '160000']);
    const binary = files.find((f) => f.path === 'image.bin');
    expect(binary?.binary).toBe(true);
    expect(binary?.added).toEqual([]);
    expect(binary?.blob).toMatch(/^[0-9a-f]{40}$/);
  });

  it('reads a type change as one file with its new content', async () => {
    const repo = makeRepo();
    repo.write('thing', 'was a file\n');
    const base = repo.commit('base');
    rmSync(join(repo.dir, 'thing'));
    symlinkSync('elsewhere', join(repo.dir, 'thing'));
    const head = repo.commit('link');
    const files = await collect(
      readRangeDiff(repo.dir, [head, '--not', base], options),
    );
    expect(files.map((f) => [f.status, f.path, f.mode, lines(f)])).toEqual([
      ['T', 'thing', '120000', [[1, 'elsewhere']]],
    ]);
  });

  it('shows only what a merge adds beyond its parents', async () => {
    const repo = makeRepo();
    repo.write('f.txt', 'a\nb\nc\n');
    const base = repo.commit('base');
    repo.git(['checkout', '-q', '-b', 'side']);
    repo.write('f.txt', 'a\nb\nc\nside\n');
    repo.commit('side');
    repo.git(['checkout', '-q', 'main']);
    repo.write('f.txt', 'main\na\nb\nc\n');
    repo.commit('main');
    repo.git(['merge', '-q', '--no-commit', 'side']);
    repo.write('f.txt', 'main\na\nb\nevil\nc\nside\n');
    repo.git(['add', 'f.txt']);
    repo.git(['commit', '-qm', 'merge']);
    const merge = repo.git(['rev-parse', 'HEAD']);

    const files = await collect(
      readRangeDiff(repo.dir, [merge, '--not', base], options),
    );
    const fromMerge = files.filter((f) => f.commit === merge);
    expect(fromMerge.map((f) => [f.status, f.path, lines(f)])).toEqual([
      ['merge', 'f.txt', [[4, 'evil']]],
    ]);
  });

  it('shows files over the size limit as binary, so git never sends them', async () => {
    const repo = makeRepo();
    const base = repo.commit('base');
    repo.write('big.txt', 'line of text\n'.repeat(1000));
    const head = repo.commit('big');
    const files = await collect(
      readRangeDiff(repo.dir, [head, '--not', base], { maxFileSize: 1000 }),
    );
    expect(files[0]).toMatchObject({ path: 'big.txt', binary: true });
    expect(files[0]?.added).toEqual([]);
    const blobs = await readBlobs(repo.dir, [files[0]!.blob!], 1000);
    expect(blobs.get(files[0]!.blob!)).toEqual({
      size: 13000,
      content: undefined,
    });
  });
});

describe('staged lines', () => {
  it('reads the index before the first commit and after it', async () => {
    const repo = makeRepo();
    repo.write('a.txt', 'one\ntwo\n');
    repo.git(['add', 'a.txt']);
    expect(
      lines((await collect(readStagedDiff(repo.dir, options)))[0]),
    ).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
    repo.commit('first');
    repo.write('a.txt', 'one\nTWO\nthree\n');
    repo.write('unstaged.txt', 'not added\n');
    repo.git(['add', 'a.txt']);
    const files = await collect(readStagedDiff(repo.dir, options));
    expect(files.map((f) => [f.path, lines(f)])).toEqual([
      [
        'a.txt',
        [
          [2, 'TWO'],
          [3, 'three'],
        ],
      ],
    ]);
  });
});

describe('C-quoted names', () => {
  it('undoes escapes and octal bytes', () => {
    const quoted = Buffer.from('"a\\tb\\303\\274\\"\\\\"');
    expect(unquoteC(quoted).toString('utf8')).toBe('a\tbü"\\');
  });
});
