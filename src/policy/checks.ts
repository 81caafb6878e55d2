import picomatch from 'picomatch';
import { isSafePattern } from 'redos-detector';

import type { SchemaProblem } from './errors.ts';

/**
 * Checks the schema cannot express: patterns compile, globs parse. They
 * run on the raw data even when the schema check fails, so one pass
 * reports every problem; a value of the wrong type is the schema's to
 * report and is skipped here.
 */
export function semanticProblems(data: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const trailers = field(data, 'trailers');
  list(field(trailers, 'required')).forEach((trailer, index) => {
    const pattern = field(trailer, 'pattern');
    if (typeof pattern !== 'string' || pattern === '') return;
    const error = regexError(pattern);
    if (error) {
      problems.push({
        segments: ['trailers', 'required', index, 'pattern'],
        target: 'value',
        message: `expected a valid regular expression (${error})`,
      });
    }
  });
  const authors = field(field(trailers, 'exempt'), 'authors');
  list(authors).forEach((glob, index) => {
    if (typeof glob !== 'string' || glob === '') return;
    const error = globError(glob);
    if (error) {
      problems.push({
        segments: ['trailers', 'exempt', 'authors', index],
        target: 'value',
        message: `expected a valid glob pattern (${error})`,
      });
    }
  });
  return problems;
}

function field(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  return (value as Record<string, unknown>)[name];
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function regexError(source: string): string | undefined {
  try {
    new RegExp(source, 'u');
    // Hooks match these patterns against text anyone can write into a
    // commit message: a pattern that can backtrack exponentially, such as
    // (a+)+$, would let one message stall every hook that reads it.
    // redos-detector walks the pattern's backtracking paths; a pattern it
    // cannot prove safe within the time limit is refused as well.
    const verdict = isSafePattern(source, { timeout: 500, unicode: true });
    if (!verdict.safe) {
      return verdict.error === 'timedOut'
        ? 'too complex to prove it matches in linear time; simplify it'
        : 'it can backtrack catastrophically on some input (e.g. a repeated group inside a repetition); rewrite it so each character can match only one way';
    }
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(
      /^Invalid regular expression: /,
      '',
    );
  }
}

/**
 * picomatch accepts almost anything, so unbalanced brackets and braces are
 * checked here: in a policy they are always a typing mistake.
 */
export function globError(glob: string): string | undefined {
  let depth = { '[': 0, '{': 0, '(': 0 };
  const closing: Record<string, keyof typeof depth> = {
    ']': '[',
    '}': '{',
    ')': '(',
  };
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '\\') {
      i++;
      continue;
    }
    if (char in depth) depth = { ...depth, [char]: depth[char as '['] + 1 };
    const opener = closing[char];
    if (opener) {
      if (depth[opener] === 0) return `unmatched '${char}'`;
      depth = { ...depth, [opener]: depth[opener] - 1 };
    }
  }
  for (const [opener, count] of Object.entries(depth)) {
    if (count > 0) return `unclosed '${opener}'`;
  }
  try {
    const regex = picomatch.makeRe(glob, { strictBrackets: true });
    // picomatch answers a pattern it cannot build (a character range out
    // of order, such as [z-a]) with a regex that matches nothing; a rule
    // that silently never applies is worse than an error.
    if (regex.source === '$^') return 'it can never match anything';
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
