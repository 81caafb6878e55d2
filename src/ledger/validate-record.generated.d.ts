// Declarations for the validator that scripts/build.mjs generates ahead of
// time from schemas/ledger-record.schema.json (ajv standalone code), so a hook
// does not pay for compiling the schema on every run.
import type { ErrorObject } from 'ajv';

interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

declare const validate: GeneratedValidator;
export default validate;
