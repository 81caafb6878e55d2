// The pre-filter: secret rules only see the lines that could hold what
// they look for. One case-insensitive search for every rule's keywords
// finds those lines; everything else never reaches secretlint. Lines too
// long to hand over whole (minified files) are cut into overlapping
// windows, so no single regular expression run sees more than WINDOW
// characters, whatever the input.

/** A line (or part of one) of the unit as it appears in a chunk. */
export interface Origin {
  /** Which unit, when chunks of several units are linted together. */
  unit?: number;
  /** 0-based line index in the unit's text. */
  line: number;
  /** 0-based column in that line where the chunk's line starts. */
  column: number;
}

export interface Chunk {
  text: string;
  /** origins[i] is where line i of the chunk comes from (none: a spacer). */
  origins: (Origin | undefined)[];
}

/** Longest text one secretlint run sees. */
export const WINDOW = 16_384;
/** Windows overlap by this much: any secret shorter is whole in one. */
export const OVERLAP = 4_096;
/** A line longer than this is cut into windows around its keywords. */
const LONG_LINE = 4_096;
/** Around a keyword in a long line: what is before it and after it. */
const BEFORE = 1_024;
const AFTER = 4_096;
/** A private key's armour: lines after BEGIN looked at for its END. */
const KEY_LINES = 400;

/**
 * One search for every keyword, as a trie (a(?:kia|sia|...)|s(?:ecret|...))
 * over lower-cased text: irregexp runs that about twice as fast as a flat
 * case-insensitive alternation of the same words.
 */
export interface KeywordSearch {
  /** For lower-cased text. */
  lower: RegExp;
  /** For text whose lower-cased form has another length. */
  anyCase: RegExp;
  /** The rule groups (bits) each matched keyword's lines go to. */
  groupsOf: Map<string, number>;
}

export function keywordPattern(
  keywords: ReadonlyMap<string, number> | readonly string[],
): KeywordSearch {
  const masks: ReadonlyMap<string, number> = Array.isArray(keywords)
    ? new Map(keywords.map((word) => [word, 1]))
    : (keywords as ReadonlyMap<string, number>);
  type Node = Map<string, Node> & { end?: boolean; mask?: number };
  const root: Node = new Map();
  for (const [word, mask] of masks) {
    let node = root;
    for (const char of word.toLowerCase()) {
      if (!node.has(char)) node.set(char, new Map());
      node = node.get(char)!;
    }
    node.end = true;
    node.mask = (node.mask ?? 0) | mask;
  }
  const escape = (char: string) =>
    char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  const groupsOf = new Map<string, number>();
  // The search stops at the shortest keyword ("key" of "key-"): its lines
  // go to the groups of every longer keyword it starts, too.
  const subtreeMask = (node: Node): number =>
    [...node.values()].reduce(
      (mask, child) => mask | subtreeMask(child),
      node.mask ?? 0,
    );
  const emit = (node: Node, prefix: string): string => {
    if (node.end) {
      groupsOf.set(prefix, subtreeMask(node));
      return '';
    }
    const branches = [...node].map(
      ([char, child]) => escape(char) + emit(child, prefix + char),
    );
    return branches.length === 1 ? branches[0]! : `(?:${branches.join('|')})`;
  };
  const source = emit(root, '');
  return {
    lower: new RegExp(source, 'g'),
    anyCase: new RegExp(source, 'gi'),
    groupsOf,
  };
}

/**
 * Cuts a unit's text into chunks for the rules. With `keywords`, only the
 * lines around keyword hits; without, everything (exhaustive mode).
 */
export function buildChunks(
  text: string,
  keywords: KeywordSearch | undefined,
  lineNumbers?: readonly number[],
): Chunk[] {
  return chunksFor(
    text,
    keywords ? findHits(text, keywords) : undefined,
    lineNumbers,
  );
}

/** Chunks around the given hits, or of everything when there are none given. */
export function chunksFor(
  text: string,
  hits: readonly Hit[] | undefined,
  lineNumbers?: readonly number[],
): Chunk[] {
  if (hits && hits.length === 0) return [];
  const starts = lineStarts(text);
  const selection = hits
    ? selectAroundHits(text, starts, hits)
    : selectEverything(text, starts);
  return packChunks(text, starts, selection, lineNumbers);
}

export interface Hit {
  index: number;
  /** A private key's armour: its body follows on the next lines. */
  armour: boolean;
  /** The rule groups (bits) that need this line. */
  groups: number;
}

export function findHits(text: string, keywords: KeywordSearch): Hit[] {
  // Lower-casing can change the length of a few characters (İ); the
  // positions must match the text, so such text is searched as it is.
  const lower = text.toLowerCase();
  const same = lower.length === text.length;
  const subject = same ? lower : text;
  const pattern = same ? keywords.lower : keywords.anyCase;
  pattern.lastIndex = 0;
  const hits: Hit[] = [];
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(subject))) {
    const word = match[0];
    const armour =
      (word.length === 11 || word.length === 19) &&
      /^(?:private key|putty-user-key-file)$/i.test(word);
    const groups =
      keywords.groupsOf.get(same ? word : word.toLowerCase()) ?? ~0;
    hits.push({ index: match.index, armour, groups });
  }
  return hits;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  let at = text.indexOf('\n');
  while (at !== -1) {
    starts.push(at + 1);
    at = text.indexOf('\n', at + 1);
  }
  return starts;
}

function lineEnd(text: string, starts: readonly number[], line: number) {
  const next = starts[line + 1];
  return next === undefined ? text.length : next - 1;
}

function lineOf(starts: readonly number[], index: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= index) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Selected parts of lines: whole lines, or column ranges of long ones. */
type Selection = Map<number, [number, number][]>;

function selectWholeLine(
  text: string,
  starts: readonly number[],
  selection: Selection,
  line: number,
) {
  if (line >= starts.length || selection.has(line)) return;
  const length = lineEnd(text, starts, line) - starts[line]!;
  if (length > LONG_LINE) return; // long lines only get windows
  selection.set(line, [[0, length]]);
}

function selectAroundHits(
  text: string,
  starts: readonly number[],
  hits: readonly Hit[],
): Selection {
  const selection: Selection = new Map();
  const windows = new Map<number, [number, number][]>();
  let line = -1;
  let start = 0;
  let end = -1;
  for (const hit of hits) {
    const isKey = hit.armour;
    // Hits come in order: most share the line of the one before.
    if (hit.index > end) {
      line = lineOf(starts, hit.index);
      start = starts[line]!;
      end = lineEnd(text, starts, line);
    } else if (!isKey && end - start <= LONG_LINE) {
      continue;
    }
    const length = end - start;
    if (length > LONG_LINE) {
      const column = hit.index - start;
      const after = isKey ? WINDOW : AFTER;
      const list = windows.get(line) ?? [];
      list.push([
        Math.max(0, column - BEFORE),
        Math.min(length, column + after),
      ]);
      windows.set(line, list);
    } else {
      selectWholeLine(text, starts, selection, line);
    }
    // The next line: a value under its name (YAML name/value pairs).
    selectWholeLine(text, starts, selection, line + 1);
    if (isKey) selectKeyBody(text, starts, selection, line);
  }
  for (const [line, ranges] of windows) {
    selection.set(line, mergeRanges(ranges));
  }
  return selection;
}

/** From a BEGIN line through its END line (or KEY_LINES lines). */
function selectKeyBody(
  text: string,
  starts: readonly number[],
  selection: Selection,
  line: number,
) {
  for (let next = line + 1; next <= line + KEY_LINES; next++) {
    if (next >= starts.length) return;
    selectWholeLine(text, starts, selection, next);
    const content = text.slice(starts[next], lineEnd(text, starts, next));
    if (content.includes('END ')) return;
  }
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

function selectEverything(text: string, starts: readonly number[]) {
  const selection: Selection = new Map();
  for (let line = 0; line < starts.length; line++) {
    const length = lineEnd(text, starts, line) - starts[line]!;
    selection.set(line, [[0, length]]);
  }
  return selection;
}

/**
 * Lays the selection out as chunks. Whole lines that follow each other in
 * the real file stay together (multi-line secrets); a blank spacer line
 * keeps unrelated ones apart. Parts longer than WINDOW become overlapping
 * windows, each a chunk of its own.
 */
function packChunks(
  text: string,
  starts: readonly number[],
  selection: Selection,
  lineNumbers?: readonly number[],
): Chunk[] {
  const chunks: Chunk[] = [];
  let lines: string[] = [];
  let origins: (Origin | undefined)[] = [];
  let size = 0;
  let previous = -2;
  const flush = () => {
    if (lines.length) chunks.push({ text: lines.join('\n'), origins });
    lines = [];
    origins = [];
    size = 0;
    previous = -2;
  };
  const numberOf = (line: number) => lineNumbers?.[line] ?? line + 1;

  const ordered = [...selection.keys()].sort((a, b) => a - b);
  for (const line of ordered) {
    const lineStart = starts[line]!;
    for (const [from, to] of selection.get(line)!) {
      const part = text.slice(lineStart + from, lineStart + to);
      if (part.length > WINDOW) {
        flush();
        for (const window of windowsOf(part.length)) {
          chunks.push({
            text: part.slice(window, window + WINDOW),
            origins: [{ line, column: from + window }],
          });
        }
        continue;
      }
      const adjacent =
        from === 0 &&
        previous >= 0 &&
        numberOf(line) === numberOf(previous) + 1;
      if (size + part.length > WINDOW) {
        // A run of lines cut here goes on in the next chunk, which repeats
        // its last OVERLAP characters: a multi-line secret shorter than
        // that (a private key) is whole in one chunk or the other.
        const carried = adjacent ? carryOver(lines, origins) : undefined;
        flush();
        if (carried) {
          lines = carried.lines;
          origins = carried.origins;
          size = carried.size;
        }
      }
      if (lines.length && !adjacent) {
        lines.push('');
        origins.push(undefined);
      }
      lines.push(part);
      origins.push({ line, column: from });
      size += part.length + 1;
      previous = to === lineEnd(text, starts, line) - lineStart ? line : -2;
    }
  }
  flush();
  return chunks;
}

/** The trailing lines of a chunk, up to OVERLAP characters, back to a spacer. */
function carryOver(lines: string[], origins: (Origin | undefined)[]) {
  let size = 0;
  let at = lines.length;
  while (
    at > 0 &&
    origins[at - 1] &&
    size + lines[at - 1]!.length + 1 <= OVERLAP
  ) {
    size += lines[at - 1]!.length + 1;
    at--;
  }
  if (at === lines.length) return undefined;
  return { lines: lines.slice(at), origins: origins.slice(at), size };
}

/** Start columns of overlapping windows covering `length` characters. */
export function windowsOf(length: number): number[] {
  const step = WINDOW - OVERLAP;
  const starts: number[] = [];
  for (let at = 0; ; at += step) {
    starts.push(at);
    if (at + WINDOW >= length) return starts;
  }
}
