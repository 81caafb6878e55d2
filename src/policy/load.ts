import { readFile } from 'node:fs/promises';

import picomatch from 'picomatch';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

import { GitwardenError } from '../errors.ts';
import { git } from '../git/run.ts';
import { defaultPolicyDocument, resolvePolicy } from './defaults.ts';
import {
  describeSchemaError,
  fieldName,
  formatProblem,
  type PolicyProblem,
} from './errors.ts';
import { secretsPolicyProblems } from '../secrets/policy.ts';
import type { Policy, PolicyDocument, PolicySource } from './types.ts';
import validate from './validate-policy.generated.js';

export const DEFAULT_POLICY_PATH = '.gitwarden/policy.yml';

/** The built-in policy that applies when a repository has no policy file. */
export function defaultPolicy(): Policy {
  return resolvePolicy(defaultPolicyDocument(), { kind: 'default' });
}

/** Reads and validates a policy file from disk. */
export async function loadPolicyFile(path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new GitwardenError(
      'POLICY_UNREADABLE',
      `cannot read policy ${path}: ${reason}`,
      { cause },
    );
  }
  return parsePolicy(text, { kind: 'file', path });
}

/**
 * Reads the policy as it is at a revision: the base of a change, never the
 * change itself. With no revision (nothing older exists) or no policy file
 * there, the built-in default applies.
 */
export async function loadPolicyAt(
  repo: string,
  revision: string | undefined,
  path: string = DEFAULT_POLICY_PATH,
): Promise<Policy> {
  if (revision === undefined) return defaultPolicy();
  // cat-file --batch answers "missing" for an absent path instead of
  // failing, so one process tells "no policy" from "unreadable".
  const { stdout } = await git(['cat-file', '--batch'], {
    cwd: repo,
    input: `${revision}:${path}\n`,
  });
  const header = stdout.subarray(0, stdout.indexOf(10)).toString('utf8');
  if (header.endsWith(' missing')) return defaultPolicy();
  const [, type, size] = header.split(' ');
  if (type !== 'blob') {
    throw new GitwardenError(
      'POLICY_UNREADABLE',
      `${revision}:${path} is a ${type}, not a file`,
    );
  }
  const body = stdout.subarray(
    header.length + 1,
    header.length + 1 + Number(size),
  );
  return parsePolicy(decodePolicy(body, `${revision}:${path}`), {
    kind: 'revision',
    revision,
    path,
  });
}

function decodePolicy(bytes: Buffer, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new GitwardenError(
      'POLICY_UNREADABLE',
      `${name} is not valid UTF-8 text`,
    );
  }
}

/**
 * Parses policy text. Every problem is collected before failing, so a user
 * fixes a broken file in one pass; the error lists them one per line.
 */
export function parsePolicy(text: string, source: PolicySource): Policy {
  const file = sourceName(source);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
  });

  const problems: PolicyProblem[] = doc.errors.map((error) => {
    const [line, column] = linePos(lineCounter, error.pos[0]);
    return {
      file,
      line,
      column,
      field: '',
      message: yamlMessage(error.code, error.message),
    };
  });
  if (problems.length) throw policyInvalid(problems);

  const data: unknown = doc.toJS() ?? {};
  const at = (segments: readonly (string | number)[]) =>
    locate(doc.contents, segments, lineCounter);

  if (!validate(data)) {
    for (const error of validate.errors ?? []) {
      const { segments, message } = describeSchemaError(error);
      const [line, column] = at(segments);
      problems.push({
        file,
        line,
        column,
        field: fieldName(segments),
        message,
      });
    }
    throw policyInvalid(dedupe(problems));
  }

  const document = data as PolicyDocument;
  for (const { segments, message } of semanticProblems(document)) {
    const [line, column] = at(segments);
    problems.push({ file, line, column, field: fieldName(segments), message });
  }
  if (problems.length) throw policyInvalid(problems);

  return resolvePolicy(document, source);
}

function sourceName(source: PolicySource): string {
  switch (source.kind) {
    case 'default':
      return '(built-in policy)';
    case 'file':
      return source.path;
    case 'revision':
      return `${source.revision}:${source.path}`;
  }
}

/** Checks the schema cannot express: patterns compile, globs parse. */
function semanticProblems(document: PolicyDocument) {
  const problems: { segments: (string | number)[]; message: string }[] = [];
  document.trailers?.required?.forEach((trailer, index) => {
    if (trailer.pattern === undefined) return;
    const error = regexError(trailer.pattern);
    if (error) {
      problems.push({
        segments: ['trailers', 'required', index, 'pattern'],
        message: `expected a valid regular expression (${error})`,
      });
    }
  });
  document.trailers?.exempt?.authors?.forEach((glob, index) => {
    const error = globError(glob);
    if (error) {
      problems.push({
        segments: ['trailers', 'exempt', 'authors', index],
        message: `expected a valid glob pattern (${error})`,
      });
    }
  });
  problems.push(...secretsPolicyProblems(document, globError));
  return problems;
}

export function regexError(source: string): string | undefined {
  try {
    new RegExp(source, 'u');
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
    picomatch.makeRe(glob, { strictBrackets: true });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function policyInvalid(problems: PolicyProblem[]) {
  const lines = problems.map(formatProblem);
  return new GitwardenError('POLICY_INVALID', lines.join('\n'), {
    hint: 'Check the policy against schemas/policy.schema.json.',
  });
}

function dedupe(problems: PolicyProblem[]): PolicyProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = formatProblem(problem);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function yamlMessage(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'duplicate key (keys must be unique)';
  // yaml's messages end with a source excerpt after the first line.
  return `YAML syntax error: ${message.split('\n')[0]}`;
}

function linePos(counter: LineCounter, offset: number): [number, number] {
  const pos = counter.linePos(offset);
  return [pos.line, pos.col];
}

/**
 * Finds the line and column of a field. For a key that should not be there
 * the key itself is named; otherwise its value. Falls back to the nearest
 * existing parent.
 */
function locate(
  root: Node | null,
  segments: readonly (string | number)[],
  counter: LineCounter,
): [number, number] {
  let node: unknown = root;
  let best: [number, number] = [1, 1];
  const mark = (n: unknown) => {
    const range = (n as Node | null)?.range;
    if (range) best = linePos(counter, range[0]);
  };
  mark(node);
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) =>
          String(
            (item.key as Node & { value?: unknown })?.toJSON?.() ?? item.key,
          ) === String(segment),
      );
      if (!pair) break;
      mark(pair.key);
      node = pair.value;
      if (pair.value) mark(pair.value);
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (!node) break;
      mark(node);
    } else {
      break;
    }
  }
  return best;
}
