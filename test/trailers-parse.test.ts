import { afterAll, describe, expect, it } from 'vitest';

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

const syntax: TrailerSyntax = { keys: ['Agent', 'Task'], separators: ':' };

/** Tricky messages, each with the trailers git reads from it. */
const table: { name: string; message: string; expected: string[] }[] = [
  {
    name: 'plain block',
    message: 'Fix it\n\nBody.\n\nAgent: claude\nTask: GW-2\n',
    expected: ['Agent: claude', 'Task: GW-2'],
  },
  {
    name: 'title only, even when it looks like a trailer',
    message: 'Agent: claude\n',
    expected: [],
  },
  {
    name: 'multi-line title is never trailers',
    message: 'Agent: claude\nTask: GW-2\n',
    expected: [],
  },
  {
    name: 'no final newline',
    message: 'Fix\n\nAgent: claude\nTask: GW-2',
    expected: ['Agent: claude', 'Task: GW-2'],
  },
  {
    name: 'only the last paragraph counts',
    message: 'Fix\n\nAgent: claude\nTask: GW-2\n\nJust prose.\n',
    expected: [],
  },
  {
    name: 'CRLF line ends',
    message: 'Fix\r\n\r\nAgent: claude\r\nTask: GW-2\r\n',
    expected: ['Agent: claude', 'Task: GW-2'],
  },
  {
    name: 'CRLF continuation keeps an inner carriage return',
    message: 'Fix\r\n\r\nAgent: a\r\n b\r\nTask: GW-2\r\n',
    expected: ['Agent: a\r b', 'Task: GW-2'],
  },
  {
    name: 'continuation lines unfold',
    message: 'Fix\n\nAgent: claude\n  and friends\nTask: GW-2\n',
    expected: ['Agent: claude and friends', 'Task: GW-2'],
  },
  {
    name: 'one prose line with a configured key: 25% rule holds',
    message: 'Fix\n\nSome prose here\nAgent: claude\nTask: GW-2\n',
    expected: ['Agent: claude', 'Task: GW-2'],
  },
  {
    name: '25% rule at its edge: one trailer in four lines',
    message: 'Fix\n\na\nb\nc\nAgent: claude\n',
    expected: ['Agent: claude'],
  },
  {
    name: 'too much prose for the 25% rule: one trailer in five lines',
    message: 'Fix\n\na\nb\nc\nd\nAgent: claude\n',
    expected: [],
  },
  {
    name: 'continuations of prose count as prose',
    message: 'Fix\n\na\n b\n c\n d\nAgent: claude\n',
    expected: [],
  },
  {
    name: 'continuations of a trailer do not count against it',
    message: 'Fix\n\na\nb\nAgent: claude\n x\n y\n z\n',
    expected: ['Agent: claude x y z'],
  },
  {
    name: 'prose with unconfigured keys only: no block',
    message: 'Fix\n\nprose line\nReviewed-by: x\n',
    expected: [],
  },
  {
    name: 'Signed-off-by makes a mixed block (exact case and space)',
    message: 'Fix\n\nprose\nSigned-off-by: A <a@b>\nReviewed-by: x\n',
    expected: ['Signed-off-by: A <a@b>', 'Reviewed-by: x'],
  },
  {
    name: 'signed-off-by in lower case is not recognized',
    message: 'Fix\n\nprose\nsigned-off-by: A <a@b>\nReviewed-by: x\n',
    expected: [],
  },
  {
    name: 'cherry-pick line is recognized but not printed',
    message: 'Fix\n\nprose\n(cherry picked from commit abc)\nBug: 1\n',
    expected: ['Bug: 1'],
  },
  {
    name: 'keys are ASCII letters, digits and dashes',
    message: 'Fix\n\nBREAKING CHANGE: x\nAgent ID: y\n\u00c4gent: z\n',
    expected: [],
  },
  {
    name: 'leading whitespace is a continuation, not a trailer',
    message: 'Fix\n\n Agent: claude\nReviewed-by: x\n',
    expected: [],
  },
  {
    name: 'an indented first line counts against the 25% rule',
    message: 'Fix\n\n Agent: claude\nTask: GW-2\n',
    expected: ['Task: GW-2'],
  },
  {
    name: 'whitespace before the separator',
    message: 'Fix\n\nAgent \t: claude\nTask:GW-2\n',
    expected: ['Agent: claude', 'Task: GW-2'],
  },
  {
    name: 'keys compare case-insensitively and print configured',
    message: 'Fix\n\nagent: claude\nTASK: GW-2\n',
    expected: ['Agent: claude', 'Task: GW-2'],
  },
  {
    name: 'an abbreviation of a configured key is read as it',
    message: 'Fix\n\nAg: claude\n-: x\nTa-: y\n',
    expected: ['Agent: claude', 'Agent: x', 'Task: y'],
  },
  {
    name: 'URL line is a trailer with key https',
    message: 'Fix\n\nhttps://example.com/x\nAgent: claude\n',
    expected: ['https: //example.com/x', 'Agent: claude'],
  },
  {
    name: 'empty values are kept',
    message: 'Fix\n\nAgent:\nTask:   \n',
    expected: ['Agent: ', 'Task: '],
  },
  {
    name: 'trailing comments and blank lines are ignored',
    message: 'Fix\n\nAgent: claude\n\n# Please enter\n#\n\n',
    expected: ['Agent: claude'],
  },
  {
    name: 'comment lines inside the block are skipped',
    message: 'Fix\n\nAgent: claude\n# note\nTask: GW-2\n',
    expected: ['Agent: claude', 'Task: GW-2'],
  },
  {
    name: 'old-style Conflicts block is ignored',
    message: 'Fix\n\nAgent: claude\nConflicts:\n\tsrc/a.ts\n',
    expected: ['Agent: claude'],
  },
  {
    name: 'everything below the scissors line is ignored',
    message:
      'Fix\n\nAgent: claude\n# ------------------------ >8 ------------------------\ndiff --git a b\n\nTask: no\n',
    expected: ['Agent: claude'],
  },
  {
    name: 'a --- line is prose, not a divider',
    message: 'Fix\n\n---\nReviewed-by: x\n',
    expected: [],
  },
  {
    name: 'a --- line does not hide the trailers above it',
    message: 'Fix\n\nAgent: claude\n---\nstat\n',
    expected: ['Agent: claude'],
  },
  {
    name: 'trailers after a --- paragraph still count',
    message: 'Fix\n\n--- notes\n\nAgent: claude\n',
    expected: ['Agent: claude'],
  },
  {
    name: 'title comment lines do not end the title',
    message: '# c\nFix\n# d\n\nAgent: claude\n',
    expected: ['Agent: claude'],
  },
  {
    name: 'a whitespace-only line separates paragraphs',
    message: 'Fix\n\nAgent: claude\n \t\nTask: GW-2\n',
    expected: ['Task: GW-2'],
  },
  {
    name: 'nothing after a NUL byte exists for git',
    message: 'Fix\n\nAgent: claude\0\nTask: GW-2\n',
    expected: ['Agent: claude'],
  },
  {
    name: 'vertical tab and form feed are not whitespace to git',
    message: 'Fix\n\nAgent: a\u000b\u000c\n',
    expected: ['Agent: a\u000b\u000c'],
  },
  {
    name: 'non-ASCII values pass through',
    message: 'Fix\n\nAgent: cl\u00e4ude \u{1f916}\n',
    expected: ['Agent: cl\u00e4ude \u{1f916}'],
  },
];

function ours(message: string, with_: TrailerSyntax = syntax): string[] {
  return parseTrailers(message, with_).map((trailer) =>
    renderTrailer(trailer, with_.separators),
  );
}

describe('reading trailers as git does', () => {
  it('agrees with git interpret-trailers on every table message', () => {
    const fromGit = gitInterpretTrailers(
      table.map((row) => row.message),
      syntax,
    );
    table.forEach((row, index) => {
      expect({ name: row.name, trailers: ours(row.message) }).toEqual({
        name: row.name,
        trailers: row.expected,
      });
      expect({ name: row.name, trailers: fromGit[index] }).toEqual({
        name: row.name,
        trailers: row.expected,
      });
    });
  });

  it('agrees with git log %(trailers) on the same messages stored', () => {
    // fast-import cannot store a NUL inside a message body for git log to
    // print it back, and git commit refuses one, so that row stays out.
    const stored = table.filter((row) => !row.message.includes('\0'));
    const fromLog = gitLogTrailers(
      stored.map((row) => row.message),
      syntax,
    );
    stored.forEach((row, index) => {
      const mine = parseCommitTrailers(row.message, syntax).map((t) =>
        renderTrailer(t, syntax.separators),
      );
      expect({ name: row.name, trailers: mine }).toEqual({
        name: row.name,
        trailers: fromLog[index],
      });
    });
  });

  it('git log skips leading blank lines, interpret-trailers does not', () => {
    const message = '\n \nAgent: claude\n';
    expect(gitInterpretTrailers([message], syntax)[0]).toEqual([
      'Agent: claude',
    ]);
    expect(ours(message)).toEqual(['Agent: claude']);
    expect(gitLogTrailers([message], syntax)[0]).toEqual([]);
    expect(parseCommitTrailers(message, syntax)).toEqual([]);
  });

  it('honours configured separators, as trailer.separators does', () => {
    const hashes: TrailerSyntax = { keys: ['Task'], separators: ':#' };
    const messages = [
      'Fix\n\nBug #42\nTask: GW-2\n',
      'Fix\n\nBug # 42\nTask #GW-2\n',
      'Fix\n\nprose\nTask#x\n',
    ];
    const fromGit = gitInterpretTrailers(messages, hashes);
    expect(fromGit[0]).toEqual(['Bug: 42', 'Task: GW-2']);
    messages.forEach((message, index) => {
      expect(ours(message, hashes)).toEqual(fromGit[index]);
    });
  });

  it('honours another comment character when told one', () => {
    const semicolon: TrailerSyntax = { ...syntax, commentChar: ';' };
    const messages = [
      'Fix\n\nAgent: claude\n; note\nTask: GW-2\n\n; trailing\n',
      'Fix\n\nAgent: claude\n# not a comment now\n',
    ];
    const fromGit = gitInterpretTrailers(messages, semicolon);
    expect(fromGit[0]).toEqual(['Agent: claude', 'Task: GW-2']);
    messages.forEach((message, index) => {
      expect(ours(message, semicolon)).toEqual(fromGit[index]);
    });
  });
});
