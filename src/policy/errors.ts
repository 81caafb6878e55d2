import type { ErrorObject } from 'ajv';

import { GitwardenError } from '../errors.ts';

/** One problem in a policy file, with where it is and what was expected. */
export interface PolicyProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the field, e.g. `trailers.required[0].pattern`. */
  field: string;
  message: string;
}

/**
 * A policy that cannot be used. The message lists every problem, one per
 * line; `problems` keeps them structured for `--json`.
 */
export class PolicyError extends GitwardenError {
  override name = 'PolicyError';
  readonly problems: readonly PolicyProblem[];

  constructor(problems: readonly PolicyProblem[], hint?: string) {
    super('POLICY_INVALID', problems.map(formatProblem).join('\n'), { hint });
    this.problems = problems;
  }
}

/** Where a problem is, and whether it is the key itself or its value. */
export type ProblemTarget = 'key' | 'value';

export function formatProblem(problem: PolicyProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  const field = problem.field ? `${problem.field}: ` : '';
  return `${where}: ${field}${problem.message}`;
}

/** Turns a JSON pointer (`/trailers/required/0`) into path segments. */
export function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

export function fieldName(segments: readonly (string | number)[]): string {
  let name = '';
  for (const segment of segments) {
    if (typeof segment === 'number') name += `[${segment}]`;
    else name += name ? `.${segment}` : segment;
  }
  return name;
}

export interface SchemaProblem {
  segments: (string | number)[];
  target: ProblemTarget;
  message: string;
}

/** Rewords one ajv error as "what was expected", in the user's terms. */
export function describeSchemaError(error: ErrorObject): SchemaProblem {
  const segments = pointerSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  // ajv reports a bad key under `propertyNames` twice: once for the rule
  // the name broke (with `propertyName` on the error) and once as a
  // summary. Both become the same problem, which dedupe() then merges.
  const badName = (error as { propertyName?: string }).propertyName;
  if (badName !== undefined || error.keyword === 'propertyNames') {
    const name = badName ?? String(params.propertyName);
    return {
      segments: [...segments, name],
      target: 'key',
      message: `'${name}' is not a valid name here; ${nameRule(error)}`,
    };
  }
  const value = { segments, target: 'value' as const };
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      return {
        segments: [...segments, extra],
        target: 'key',
        message: `unknown field '${extra}'${allowedFields(error)}`,
      };
    }
    case 'required':
      return {
        ...value,
        message: `missing required field '${String(params.missingProperty)}'`,
      };
    case 'type':
      return {
        ...value,
        message: `expected ${typeName(String(params.type))}, found ${describeValue(error.data)}`,
      };
    case 'enum':
      return {
        ...value,
        message: `expected one of ${(params.allowedValues as unknown[])
          .map((v) => JSON.stringify(v))
          .join(', ')}, found ${describeValue(error.data)}`,
      };
    case 'const':
      return {
        ...value,
        message: `expected ${JSON.stringify(params.allowedValue)}, found ${describeValue(error.data)}`,
      };
    case 'pattern':
      return {
        ...value,
        message: `expected text matching ${String(params.pattern)}, found ${describeValue(error.data)}`,
      };
    case 'minLength':
      return {
        ...value,
        message:
          params.limit === 1
            ? 'must not be empty'
            : `expected at least ${String(params.limit)} characters`,
      };
    default:
      return { ...value, message: error.message ?? 'is not valid' };
  }
}

/** JSON Schema type names, as a YAML author would call them. */
function typeName(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping (key: value lines)',
    array: 'a list',
    string: 'text',
    boolean: 'true or false',
    integer: 'a whole number',
    number: 'a number',
    null: 'nothing',
  };
  return type
    .split(',')
    .map((one) => names[one] ?? one)
    .join(' or ');
}

/** What the user actually wrote, in the same words as typeName(). */
export function describeValue(data: unknown): string {
  if (data === null || data === undefined) return 'nothing';
  if (Array.isArray(data)) return 'a list';
  if (typeof data === 'object') return 'a mapping';
  if (typeof data === 'string') return `text ${JSON.stringify(data)}`;
  if (typeof data === 'boolean') return String(data);
  if (typeof data === 'number') return `the number ${data}`;
  return typeof data;
}

function nameRule(error: ErrorObject): string {
  const schema = error.parentSchema as { pattern?: string } | undefined;
  const pattern =
    schema?.pattern ??
    (error.schema as { pattern?: string } | undefined)?.pattern;
  return pattern
    ? `expected a name matching ${pattern}`
    : 'expected a different name';
}

function allowedFields(error: ErrorObject): string {
  const schema = error.parentSchema as
    { properties?: Record<string, unknown> } | undefined;
  const names = Object.keys(schema?.properties ?? {});
  return names.length ? `; expected one of: ${names.join(', ')}` : '';
}
