import { git } from './run.ts';

export interface BlobContent {
  size: number;
  /** The bytes, when the blob exists and is no larger than the limit. */
  content: Buffer | undefined;
}

/**
 * Reads blobs by id, skipping any larger than `maxSize` (only its size is
 * returned), with one `cat-file --batch-check` and one `--batch`.
 */
export async function readBlobs(
  repo: string,
  ids: readonly string[],
  maxSize: number,
): Promise<Map<string, BlobContent>> {
  const result = new Map<string, BlobContent>();
  const unique = [...new Set(ids)];
  if (unique.length === 0) return result;

  const check = await git(['cat-file', '--batch-check'], {
    cwd: repo,
    input: unique.join('\n') + '\n',
  });
  const small: string[] = [];
  for (const line of check.stdout.toString('latin1').split('\n')) {
    const [id, type, size] = line.split(' ');
    if (!id || type !== 'blob') continue;
    const bytes = Number(size);
    result.set(id, { size: bytes, content: undefined });
    if (bytes <= maxSize) small.push(id);
  }
  if (small.length === 0) return result;

  const { stdout } = await git(['cat-file', '--batch'], {
    cwd: repo,
    input: small.join('\n') + '\n',
  });
  let at = 0;
  while (at < stdout.length) {
    const headerEnd = stdout.indexOf(10, at);
    const [id = '', , size = '0'] = stdout
      .subarray(at, headerEnd)
      .toString('latin1')
      .split(' ');
    const start = headerEnd + 1;
    const end = start + Number(size);
    result.set(id, {
      size: Number(size),
      content: stdout.subarray(start, end),
    });
    at = end + 1;
  }
  return result;
}

/**
 * A file as it is at a revision, or undefined when it does not exist
 * there. cat-file answers "missing" instead of failing, so one process
 * tells "absent" from "unreadable".
 */
export async function readFileAt(
  repo: string,
  revision: string,
  path: string,
): Promise<Buffer | undefined> {
  const { stdout } = await git(['cat-file', '--batch'], {
    cwd: repo,
    input: `${revision}:${path}\n`,
  });
  const headerEnd = stdout.indexOf(10);
  const header = stdout.subarray(0, headerEnd).toString('utf8');
  if (header.endsWith(' missing')) return undefined;
  const [, type, size] = header.split(' ');
  if (type !== 'blob') return undefined;
  return stdout.subarray(headerEnd + 1, headerEnd + 1 + Number(size));
}
