// gitwarden's reading of a commit message's trailers: a port of git's own
// (trailer.c `trailer_info_get`, commit.c `ignored_log_message_bytes`,
// wt-status.c `wt_status_locate_end`) so that a verdict never depends on
// which git version or configuration a machine has. It reads exactly what
//
//   git -c trailer.<key>.key=<key> ... -c trailer.separators=<separators> \
//       interpret-trailers --parse --no-divider
//
// prints with no system or global configuration and comment character
// `#`, and what `git log --format=%(trailers:only,unfold)` prints under the
// same settings. test/trailers-parse.test.ts (a table of tricky messages)
// and test/trailers-property.test.ts (generated ones) prove it against the
// git on the machine.
//
// Every decision git makes here is about ASCII bytes (git's own ctype:
// space is only ' ', \t, \n, \r; alphanumerics are ASCII), so a message
// decoded from UTF-8, even lossily, parses as git parses its bytes.

/** How git is configured to read trailers. */
export interface TrailerSyntax {
  /**
   * Keys git is told about (`trailer.<key>.key`). A line with one of them
   * makes a mixed paragraph count as a trailer block (the 25% rule), and a
   * key that is an abbreviation of one (`Ag:` for `Agent`) is read as it,
   * as git does.
   */
  keys: readonly string[];
  /** `trailer.separators`: ASCII punctuation; `:` by default. */
  separators: string;
  /** `core.commentChar`; gitwarden always reads with `#`. */
  commentChar?: string;
}

export interface Trailer {
  /** The key as git prints it: as written, or the configured spelling. */
  key: string;
  /** Trimmed, with continuation lines unfolded into single spaces. */
  value: string;
}

// Lines git writes itself; either one makes a mixed paragraph a block.
const SIGNED_OFF_BY = 'Signed-off-by: ';
const CHERRY_PICKED = '(cherry picked from commit ';
const CUT_LINE = '------------------------ >8 ------------------------\n';

export function parseTrailers(
  message: string,
  syntax: TrailerSyntax,
): Trailer[] {
  // git reads the message as a C string: nothing after a NUL byte exists.
  const nul = message.indexOf('\0');
  const text = nul === -1 ? message : message.slice(0, nul);
  const comment = syntax.commentChar ?? '#';

  const end = text.length - ignoredTailLength(text, text.length, comment);
  const start = trailerBlockStart(text, end, syntax, comment);
  return readBlock(text.slice(start, end), syntax, comment);
}

/**
 * A stored commit's trailers, as `git log --format=%(trailers)` reads
 * them: that placeholder starts at the subject, after any blank lines
 * (pretty.c `skip_blank_lines`), where `interpret-trailers` would count a
 * leading blank line as the end of an empty title.
 */
export function parseCommitTrailers(
  message: string,
  syntax: TrailerSyntax,
): Trailer[] {
  let start = 0;
  while (start < message.length) {
    if (!isBlankLine(message, start)) break;
    start = nextLine(message, start);
  }
  return parseTrailers(start ? message.slice(start) : message, syntax);
}

/**
 * The trailing part of a message that is never a trailer: comment and
 * blank lines, an old-style `Conflicts:` block, and everything from the
 * scissors line of `git commit -v` on.
 */
export function ignoredTailLength(
  text: string,
  len: number,
  comment: string,
): number {
  const cutoff = scissorsOffset(text, len, comment);
  // `runStart` 0 means "no run"; a run that starts at offset 0 is therefore
  // only noticed from its second line on. git has the same quirk.
  let runStart = 0;
  let inConflicts = false;
  let bol = 0;
  while (bol < cutoff) {
    const newline = text.indexOf('\n', bol);
    const next = newline === -1 || newline >= len ? len : newline + 1;
    if (text.startsWith(comment, bol) || text[bol] === '\n') {
      if (!runStart) runStart = bol;
    } else if (text.startsWith('Conflicts:\n', bol)) {
      inConflicts = true;
      if (!runStart) runStart = bol;
    } else if (inConflicts && text[bol] === '\t') {
      // A path in the conflicts block.
    } else if (runStart) {
      runStart = 0;
      inConflicts = false;
    }
    bol = next;
  }
  return runStart ? len - runStart : len - cutoff;
}

/** Where the `<comment> ---- >8 ----` line starts, or `len`. */
export function scissorsOffset(
  text: string,
  len: number,
  comment: string,
): number {
  const pattern = `\n${comment} ${CUT_LINE}`;
  if (text.startsWith(pattern.slice(1))) return 0;
  const at = text.indexOf(pattern);
  return at === -1 ? len : at + 1;
}

/**
 * Where the trailer block starts, or `len` when the message has none. Only
 * the last paragraph after the title can be one: all of its lines trailers
 * (or their continuations), or, if it holds a recognized line, at least a
 * quarter of them.
 */
function trailerBlockStart(
  text: string,
  len: number,
  syntax: TrailerSyntax,
  comment: string,
): number {
  // The first paragraph is the title and never holds trailers.
  let s = 0;
  while (s < len) {
    if (!text.startsWith(comment, s) && isBlankLine(text, s)) break;
    s = nextLine(text, s);
  }
  const endOfTitle = s;

  let onlySpaces = true;
  let recognized = false;
  let trailerLines = 0;
  let nonTrailerLines = 0;
  // Indented lines count with the trailer above them, or as non-trailers
  // when a non-trailer line is above them.
  let possibleContinuations = 0;

  for (let l = lastLine(text, len); l >= endOfTitle; l = lastLine(text, l)) {
    if (text.startsWith(comment, l)) {
      nonTrailerLines += possibleContinuations;
      possibleContinuations = 0;
      continue;
    }
    if (isBlankLine(text, l)) {
      if (onlySpaces) continue;
      nonTrailerLines += possibleContinuations;
      const isBlock =
        (recognized && trailerLines * 3 >= nonTrailerLines) ||
        (trailerLines > 0 && nonTrailerLines === 0);
      return isBlock ? nextLine(text, l) : len;
    }
    onlySpaces = false;

    if (
      text.startsWith(SIGNED_OFF_BY, l) ||
      text.startsWith(CHERRY_PICKED, l)
    ) {
      trailerLines++;
      possibleContinuations = 0;
      recognized = true;
      continue;
    }

    const separator = findSeparator(text, l, syntax.separators);
    if (separator >= 1 && !isSpace(text.charCodeAt(l))) {
      trailerLines++;
      possibleContinuations = 0;
      if (!recognized) {
        recognized = syntax.keys.some((key) =>
          abbreviates(text, l, separator, key),
        );
      }
    } else if (isSpace(text.charCodeAt(l))) {
      possibleContinuations++;
    } else {
      nonTrailerLines++;
      nonTrailerLines += possibleContinuations;
      possibleContinuations = 0;
    }
  }
  return len;
}

/** Splits the block into trailers, folding continuation lines. */
function readBlock(
  block: string,
  syntax: TrailerSyntax,
  comment: string,
): Trailer[] {
  const entries: string[] = [];
  let foldInto = -1;
  let at = 0;
  while (at < block.length) {
    const next = nextLine(block, at);
    const line = block.slice(at, next);
    at = next;
    if (foldInto >= 0 && isSpace(line.charCodeAt(0))) {
      entries[foldInto] += line;
      continue;
    }
    entries.push(line);
    foldInto =
      findSeparator(line, 0, syntax.separators) >= 1 ? entries.length - 1 : -1;
  }

  const trailers: Trailer[] = [];
  for (const entry of entries) {
    if (entry.startsWith(comment)) continue;
    const separator = findSeparator(entry, 0, syntax.separators);
    if (separator < 1) continue;
    const token = trim(entry.slice(0, separator));
    trailers.push({
      key: configuredKey(token, syntax.keys) ?? token,
      value: unfold(trim(entry.slice(separator + 1))),
    });
  }
  return trailers;
}

/**
 * The offset of the separator in `<key><blanks><separator>`, or -1. The
 * key is ASCII letters, digits and `-`; blanks may only follow it.
 */
export function findSeparator(
  text: string,
  from: number,
  separators: string,
): number {
  let afterBlank = false;
  for (let c = from; c < text.length; c++) {
    const char = text[c]!;
    if (separators.includes(char)) return c - from;
    const code = text.charCodeAt(c);
    if (!afterBlank && (isAlnum(code) || char === '-')) continue;
    if (c !== from && (char === ' ' || char === '\t')) {
      afterBlank = true;
      continue;
    }
    break;
  }
  return -1;
}

/**
 * Whether the `length` characters written at `from` begin `key`, ignoring
 * ASCII case. git compares only as many characters as were written
 * (`strncasecmp`), so `Ag` and `agent` both match `Agent`.
 */
function abbreviates(
  text: string,
  from: number,
  length: number,
  key: string,
): boolean {
  if (length > key.length) return false;
  for (let i = 0; i < length; i++) {
    if (lowerCode(text.charCodeAt(from + i)) !== lowerCode(key.charCodeAt(i))) {
      return false;
    }
  }
  return true;
}

function configuredKey(
  token: string,
  keys: readonly string[],
): string | undefined {
  // Trailing punctuation is not compared (`Agent-` is `Agent`).
  let length = token.length;
  while (length > 0 && !isAlnum(token.charCodeAt(length - 1))) length--;
  return keys.find((key) => abbreviates(token, 0, length, key));
}

/** Folds continuation lines: each newline and the indent after it → ' '. */
function unfold(value: string): string {
  if (!value.includes('\n')) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const char = value[i++]!;
    if (char !== '\n') {
      out += char;
      continue;
    }
    while (i < value.length && isSpace(value.charCodeAt(i))) i++;
    out += ' ';
  }
  return trim(out);
}

function nextLine(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline === -1 ? text.length : newline + 1;
}

/** Start of the line before offset `len` (the last line), or -1. */
function lastLine(text: string, len: number): number {
  if (len === 0) return -1;
  if (len === 1) return 0;
  // The character just before `len` may be the last line's own newline.
  return text.lastIndexOf('\n', len - 2) + 1;
}

function isBlankLine(text: string, from: number): boolean {
  let c = from;
  while (c < text.length && text[c] !== '\n' && isSpace(text.charCodeAt(c))) {
    c++;
  }
  return c === text.length || text[c] === '\n';
}

/** git's isspace: only space, tab, newline and carriage return. */
function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function isAlnum(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122)
  );
}

function trim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

function lowerCode(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}
