import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';

import {
  parseCommitTrailers,
  parseTrailers,
  type TrailerSyntax,
} from '../src/trailers/parse.ts';
import {
  gitInterpretTrailers,
  gitLogTrailers,
  renderTrailer,
} from './helpers/git-trailers.ts';
import { cleanupTempDirs } from './helpers/repo.ts';

afterAll(cleanupTempDirs);

// Messages are built from the pieces real commit messages are made of,
// weighted towards the lines that decide whether a paragraph is a block.
const key = fc.constantFrom(
  'Agent',
  'Task',
  'agent',
  'TASK',
  'Ag',
  'A',
  'Task-',
  '-',
  'Reviewed-by',
  'Co-authored-by',
  'Bug',
  'https',
  'Agentx',
  'X-Agent',
  'Signed-off-by',
);
const blanks = fc.constantFrom('', ' ', '\t', '  ', ' \t');
const value = fc.constantFrom(
  'claude',
  'GW-2',
  '',
  'a b',
  ' spaced ',
  'x\r',
  'Jane <jane@example.com>',
  '#1',
  'v: w',
  'cl\u00e4ude',
);
const separatorChar = fc.constantFrom(':', ':', ':', '#', '=');

const trailerLine = fc
  .tuple(key, blanks, separatorChar, blanks, value)
  .map(([k, b1, sep, b2, v]) => `${k}${b1}${sep}${b2}${v}`);

const otherLine = fc.oneof(
  fc.constantFrom(
    'Some prose about the change.',
    'BREAKING CHANGE: it moved',
    'Agent ID: x',
    ' Agent: indented',
    '\u00c4gent: umlaut',
    '# a comment',
    '#',
    'Signed-off-by: Jane <jane@example.com>',
    'Signed-off-by:Jane',
    'signed-off-by: Jane',
    '(cherry picked from commit 0123456789abcdef)',
    '---',
    '--- a/file',
    '---notes',
    'https://example.com/issue/1',
    'Conflicts:',
    '\tsrc/a.ts',
    '# ------------------------ >8 ------------------------',
    'diff --git a/x b/x',
  ),
  blanks.chain((b) =>
    fc.constantFrom('continued', 'more: text').map((t) => ` ${b}${t}`),
  ),
);

// Short strings over the characters git's rules turn on.
const noiseLine = fc.string({
  unit: fc.constantFrom(
    'A',
    'g',
    '-',
    '1',
    ' ',
    '\t',
    ':',
    '#',
    '=',
    '\r',
    '(',
  ),
  maxLength: 10,
});

const line = fc.oneof(
  { weight: 3, arbitrary: trailerLine },
  { weight: 2, arbitrary: otherLine },
  { weight: 1, arbitrary: noiseLine },
);
const paragraph = fc.array(line, { minLength: 1, maxLength: 8 });
const blankLine = fc.constantFrom('', '', ' ', '\t', '\r');

const message = fc
  .record({
    title: fc.constantFrom('Fix the thing', 'Agent: claude', '# c', ''),
    paragraphs: fc.array(fc.tuple(blankLine, paragraph), { maxLength: 3 }),
    tail: fc.constantFrom('', '\n', '\n# Please enter the message\n#\n'),
    crlf: fc.boolean(),
    finalNewline: fc.boolean(),
  })
  .map(({ title, paragraphs, tail, crlf, finalNewline }) => {
    const lines: string[] = [title];
    for (const [blank, body] of paragraphs) lines.push(blank, ...body);
    let text = lines.join('\n') + (finalNewline ? '\n' : '') + tail;
    if (crlf) text = text.replace(/\n/g, '\r\n');
    return text;
  });

const syntaxArb: fc.Arbitrary<TrailerSyntax> = fc.record({
  keys: fc.constantFrom(['Agent', 'Task'], ['Task'], ['Agent', 'Reviewed-by']),
  separators: fc.constantFrom(':', ':#', '=:', ':=', '='),
});

function render(trailers: ReturnType<typeof parseTrailers>, seps: string) {
  return trailers.map((trailer) => renderTrailer(trailer, seps));
}

describe('generated messages read as git reads them', () => {
  it('matches git interpret-trailers --parse --no-divider', () => {
    // Each run checks a batch with one git process; 6 runs of 40 messages.
    fc.assert(
      fc.property(
        syntaxArb,
        fc.array(message, { minLength: 40, maxLength: 40 }),
        (syntax, messages) => {
          const fromGit = gitInterpretTrailers(messages, syntax);
          messages.forEach((text, index) => {
            expect({
              message: text,
              trailers: render(parseTrailers(text, syntax), syntax.separators),
            }).toEqual({ message: text, trailers: fromGit[index] });
          });
        },
      ),
      { numRuns: 6 },
    );
  });

  it('matches git log %(trailers:only,unfold) on stored commits', () => {
    fc.assert(
      fc.property(
        syntaxArb,
        fc.array(message, { minLength: 30, maxLength: 30 }),
        (syntax, messages) => {
          const fromLog = gitLogTrailers(messages, syntax);
          messages.forEach((text, index) => {
            expect({
              message: text,
              trailers: render(parseCommitTrailers(text, syntax), ':'),
            }).toEqual({ message: text, trailers: fromLog[index] });
          });
        },
      ),
      { numRuns: 2 },
    );
  });
});
