import type { ErrorObject } from 'ajv';

/** One problem in a policy file, with where it is and what was expected. */
export interface PolicyProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the field, e.g. `trailers.required[0].pattern`. */
  field: string;
  message: string;
}

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

/** Rewords one ajv error as "what was expected", in the user's terms. */
export function describeSchemaError(error: ErrorObject): {
  segments: (string | number)[];
  message: string;
} {
  const segments = pointerSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      return {
        segments: [...segments, extra],
        message: `unknown field '${extra}'${allowedFields(error)}`,
      };
    }
    case 'required':
      return {
        segments,
        message: `missing required field '${String(params.missingProperty)}'`,
      };
    case 'type':
      return { segments, message: `expected ${String(params.type)}` };
    case 'enum':
      return {
        segments,
        message: `expected one of ${(params.allowedValues as unknown[])
          .map((v) => JSON.stringify(v))
          .join(', ')}`,
      };
    case 'const':
      return {
        segments,
        message: `expected ${JSON.stringify(params.allowedValue)}`,
      };
    case 'pattern':
      return {
        segments,
        message: `expected text matching ${String(params.pattern)}`,
      };
    case 'propertyNames':
      return {
        segments: [...segments, String(params.propertyName)],
        message: 'is not an allowed name here',
      };
    case 'minLength':
      return { segments, message: 'must not be empty' };
    default:
      return { segments, message: error.message ?? 'is not valid' };
  }
}

function allowedFields(error: ErrorObject): string {
  const schema = error.parentSchema as
    { properties?: Record<string, unknown> } | undefined;
  const names = Object.keys(schema?.properties ?? {});
  return names.length ? `; expected one of: ${names.join(', ')}` : '';
}
