import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Trailer, TrailerSyntax } from '../../src/trailers/parse.ts';
import { tempDir, testGitEnv } from './repo.ts';

/**
 * git's own reading of trailers, to compare gitwarden's with. Git runs
 * with no system or global configuration, told only what gitwarden's
 * parser is told: the configured keys, the separators, the comment char.
 */
function configArgs(syntax: TrailerSyntax): string[] {
  return [
    '-c',
    `trailer.separators=${syntax.separators}`,
    '-c',
    `core.commentChar=${syntax.commentChar ?? '#'}`,
    ...syntax.keys.flatMap((key) => ['-c', `trailer.${key}.key=${key}`]),
  ];
}

/**
 * A trailer the way `interpret-trailers --parse` prints it. `git log`'s
 * `%(trailers)` (2.39) always puts `: ` between key and value instead.
 */
export function renderTrailer(trailer: Trailer, separators: string): string {
  const last = trailer.key.trimEnd().at(-1) ?? '';
  const between = separators.includes(last) ? '' : `${separators[0]} `;
  return `${trailer.key}${between}${trailer.value}`;
}

/**
 * Runs one `git interpret-trailers --parse --no-divider` over all messages
 * (it takes several files), with a sentinel file between them so the
 * output can be split per message. Returns each message's output lines.
 */
export function gitInterpretTrailers(
  messages: readonly (string | Buffer)[],
  syntax: TrailerSyntax,
): string[][] {
  const dir = tempDir('gitwarden-trailers-');
  const sentinelLine = `Zz-end-of-message${syntax.separators[0]} 1`;
  const sentinel = join(dir, 'sentinel');
  writeFileSync(sentinel, `sentinel\n\n${sentinelLine}\n`);
  const files = messages.flatMap((message, index) => {
    const file = join(dir, `m${index}`);
    writeFileSync(file, message);
    return [file, sentinel];
  });
  const output = execFileSync(
    'git',
    [
      ...configArgs(syntax),
      'interpret-trailers',
      '--parse',
      '--no-divider',
      ...files,
    ],
    { cwd: dir, env: testGitEnv, maxBuffer: 64 << 20 },
  );
  return splitBySentinel(output.toString('utf8'), sentinelLine);
}

function splitBySentinel(output: string, sentinelLine: string): string[][] {
  const groups: string[][] = [[]];
  for (const line of output.split('\n').slice(0, -1)) {
    if (line === sentinelLine) groups.push([]);
    else groups.at(-1)!.push(line);
  }
  groups.pop();
  return groups;
}

/**
 * Stores each message as a commit (one `git fast-import`, which keeps the
 * bytes exactly) and reads them back with one `git log` and
 * `%(trailers:only,unfold)`. Returns each message's output lines.
 */
export function gitLogTrailers(
  messages: readonly string[],
  syntax: TrailerSyntax,
): string[][] {
  const dir = tempDir('gitwarden-trailers-log-');
  const run = (args: string[], input?: Buffer) =>
    execFileSync('git', args, { cwd: dir, env: testGitEnv, input });
  run(['init', '--quiet']);
  const stream = messages.map((message) => {
    const bytes = Buffer.from(message);
    return Buffer.concat([
      Buffer.from(
        'commit refs/heads/main\n' +
          'committer T <t@example.com> 0 +0000\n' +
          `data ${bytes.length}\n`,
      ),
      bytes,
      Buffer.from('\n'),
    ]);
  });
  run(['fast-import', '--quiet'], Buffer.concat(stream));
  const output = run([
    ...configArgs(syntax),
    'log',
    '--reverse',
    '--format=%(trailers:only,unfold)%x1e',
    'main',
  ]).toString('utf8');
  return output
    .split('\x1e')
    .slice(0, -1)
    .map((block) => block.replace(/^\n/, '').split('\n').slice(0, -1));
}
