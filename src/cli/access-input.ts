import { GitwardenError } from '../errors.ts';
import type { RefUpdate } from '../access/push.ts';

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ZERO = /^0+$/;

/**
 * Parses pre-receive input: `OLD NEW REF` per line. Any malformed line
 * refuses the whole push: a hook that skipped a line it could not read
 * would let that ref through unjudged.
 */
export function parsePreReceive(text: string): RefUpdate[] {
  return lines(text).map((line, index) => {
    const parts = line.split(' ');
    const [oldSha = '', newSha = '', ref = ''] = parts;
    if (parts.length !== 3 || !SHA.test(oldSha) || !SHA.test(newSha)) {
      throw malformed(index, line, 'OLD-SHA NEW-SHA REF');
    }
    return { oldSha, newSha, ref };
  });
}

/**
 * Parses pre-push input: `LOCAL-REF LOCAL-SHA REMOTE-REF REMOTE-SHA` per
 * line (githooks(5)). The remote side is what the server will judge: the
 * remote ref, moving from the remote sha to the local one.
 */
export function parsePrePush(text: string): RefUpdate[] {
  return lines(text).map((line, index) => {
    const parts = line.split(' ');
    const [, localSha = '', remoteRef = '', remoteSha = ''] = parts;
    if (parts.length !== 4 || !SHA.test(localSha) || !SHA.test(remoteSha)) {
      throw malformed(index, line, 'LOCAL-REF LOCAL-SHA REMOTE-REF REMOTE-SHA');
    }
    return { oldSha: remoteSha, newSha: localSha, ref: remoteRef };
  });
}

export function isZero(sha: string): boolean {
  return ZERO.test(sha);
}

function lines(text: string): string[] {
  // A final newline is normal; an empty line in the middle is not.
  const all = text.replace(/\n$/, '').split('\n');
  return all.length === 1 && all[0] === '' ? [] : all;
}

function malformed(index: number, line: string, expected: string) {
  return new GitwardenError(
    'INPUT_INVALID',
    `hook input line ${index + 1} is malformed: ${JSON.stringify(line.slice(0, 200))} (expected ${expected})`,
  );
}
