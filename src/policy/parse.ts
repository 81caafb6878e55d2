import {
  isAlias,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
} from 'yaml';

import { resolvePolicy } from './defaults.ts';
import {
  describeSchemaError,
  describeValue,
  fieldName,
  formatProblem,
  PolicyError,
  type PolicyProblem,
  type SchemaProblem,
} from './errors.ts';
import { regexError, globError, semanticProblems } from './checks.ts';
import { keyPathAt, linePos, locate } from './locate.ts';
import { providerProblems } from './providers.ts';
import { secretsPolicyProblems } from '../secrets/policy.ts';
import type { Policy, PolicyDocument, PolicySource } from './types.ts';
import validate from './validate-policy.generated.js';
import { accessProblems } from './roles-check.ts';
import { policyWarnings } from './warnings.ts';

export { globError, regexError };

// The heavy half of policy loading: YAML with positions, the generated
// schema validator and the semantic checks. load.ts imports it only when
// a policy has to be parsed, not when a parsed one is cached.

const SCHEMA_HINT =
  'The fields are described in schemas/policy.schema.json and in the README (Policy).';

/**
 * Parses policy text. Every problem is collected before failing, so a user
 * fixes a broken file in one pass; the error lists them one per line.
 *
 * An empty file (or one with only comments) is a valid policy in which
 * every field takes its default, which is the built-in policy; it loads
 * with a warning, since an empty file is more often an accident.
 */
export function parsePolicy(text: string, source: PolicySource): Policy {
  const { document, warnings } = parsePolicyDocument(text, source);
  return withWarnings(resolvePolicy(document, source), warnings);
}

/** A parsed, valid policy document and the warnings its text earned. */
export interface ParsedPolicy {
  document: PolicyDocument;
  warnings: string[];
}

/** Parses and validates policy text without resolving it. */
export function parsePolicyDocument(
  text: string,
  source: PolicySource,
): ParsedPolicy {
  const file = sourceName(source);
  const lineCounter = new LineCounter();
  const problem = (
    segments: readonly (string | number)[],
    [line, column]: [number, number],
    message: string,
  ): PolicyProblem => ({
    file,
    line,
    column,
    field: fieldName(segments),
    message,
  });

  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    // YAML 1.1 tags such as !!binary or !!set have no place in a policy;
    // unresolved, they are reported below instead of turning into objects.
    resolveKnownTags: false,
  });
  const problems = [...doc.errors, ...doc.warnings].map((error) =>
    problem(
      error.code === 'DUPLICATE_KEY'
        ? (keyPathAt(doc, error.pos[0]) ?? [])
        : [],
      linePos(lineCounter, error.pos[0]),
      yamlMessage(error.code, error.message),
    ),
  );
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    problems.push(
      problem([], linePos(lineCounter, nul), 'contains a NUL byte'),
    );
  }
  if (problems.length) throw new PolicyError(problems);

  const at = (item: SchemaProblem) =>
    problem(
      item.segments,
      locate(doc.contents, item.segments, lineCounter, item.target),
      item.message,
    );

  const data = toData(doc, (position, message) =>
    problem([], linePos(lineCounter, position), message),
  );
  if (data === undefined) {
    const warning = problem(
      [],
      [1, 1],
      'the file is empty; the built-in default policy applies',
    );
    return { document: {}, warnings: [formatProblem(warning)] };
  }

  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new PolicyError([
      problem(
        [],
        locate(doc.contents, [], lineCounter),
        `expected a mapping of sections at the top level (version, trailers, agents, identities, ...), found ${describeValue(data)}`,
      ),
    ]);
  }

  const valid = validate(data);
  const schemaProblems = valid
    ? []
    : (validate.errors ?? []).map(describeSchemaError);
  // The roles and provider checks read typed sections, so they wait for
  // a valid schema.
  const roleProblems = valid
    ? accessProblems(data as PolicyDocument).map((item) => ({
        ...item,
        target: 'value' as const,
      }))
    : [];
  const providers = valid ? providerProblems(data as PolicyDocument) : [];
  const secrets = valid
    ? secretsPolicyProblems(data as PolicyDocument, globError).map((item) => ({
        ...item,
        target: 'value' as const,
      }))
    : [];
  const invalid = [
    ...schemaProblems,
    ...semanticProblems(data),
    ...roleProblems,
    ...providers,
    ...secrets,
  ].map(at);
  if (invalid.length) throw new PolicyError(dedupe(invalid), SCHEMA_HINT);

  const document = data as PolicyDocument;
  return {
    document,
    warnings: dedupe(policyWarnings(document).map(at)).map(formatProblem),
  };
}

/**
 * The document as plain data, or undefined when it holds nothing. Alias
 * expansion is where YAML can blow up ("billion laughs"): the yaml library
 * stops after 100 aliases, and that and any dangling alias become problems
 * that point at the first alias in the file.
 */
function toData(
  doc: Document.Parsed,
  problem: (position: number, message: string) => PolicyProblem,
): unknown {
  if (doc.contents === null) return undefined;
  try {
    // A lone `~` or `null` says "nothing" as clearly as an empty file.
    return (doc.toJS({ maxAliasCount: 100 }) as unknown) ?? undefined;
  } catch (error) {
    const message = (error as Error).message;
    const alias = firstAlias(doc);
    const position = alias?.range?.[0] ?? 0;
    if (/alias count/i.test(message)) {
      throw new PolicyError([
        problem(
          position,
          'too many YAML aliases (more than 100 expansions); a policy needs few, if any',
        ),
      ]);
    }
    throw new PolicyError([
      problem(position, `YAML error: ${message.split('\n')[0]}`),
    ]);
  }
}

function firstAlias(doc: Document.Parsed): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Alias(_key, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found && isAlias(found) ? found : undefined;
}

function withWarnings(policy: Policy, warnings: string[]): Policy {
  // resolvePolicy's own warnings (the roles checks) come after these.
  return { ...policy, warnings: [...warnings, ...policy.warnings] };
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

/** Drops repeated problems and lists the rest in the order of the file. */
function dedupe(problems: PolicyProblem[]): PolicyProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((problem) => {
      const key = formatProblem(problem);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0] ?? message;
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'duplicate key (each key may appear once in a mapping)';
    case 'MULTIPLE_DOCS':
      return "a second YAML document starts here; a policy is one document (remove the '---' line or split the file)";
    case 'TAG_RESOLVE_FAILED': {
      const tag = first
        .replace(/^Unresolved tag: /, '')
        .replace('tag:yaml.org,2002:', '!!');
      return `unsupported YAML tag ${tag}; a policy uses plain values only`;
    }
    case 'TAB_AS_INDENT':
      return 'tab used for indentation; YAML indents with spaces';
    default:
      // yaml's messages end with a source excerpt after the first line.
      return `YAML syntax error: ${first}`;
  }
}
