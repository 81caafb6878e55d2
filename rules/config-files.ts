import { isSecretName } from './lib/names.ts';
import { defineRule } from './lib/rule.ts';
import { isPlaceholder, isReference, isTrivial } from './lib/values.ts';

// Secrets written as literals in configuration that has a proper place for
// them: a committed .env file, .npmrc credentials, and workflow settings
// where `${{ secrets.NAME }}` belongs.

/** .env, .env.production, app.env; not the templates meant to be shared. */
export function isDotenvFile(path: string): boolean {
  const name = path.split('/').pop() ?? '';
  if (!/^\.env(?:\.[\w.-]+)?$|^[\w.-]+\.env$/.test(name)) return false;
  return !/(?:^|\.)(?:example|sample|template|dist|defaults|schema|tpl|in)$/i.test(
    name,
  );
}

export const dotenvFile = defineRule({
  id: 'gitwarden/dotenv-file',
  group: 'names',
  titles: { DotenvFile: '.env file committed (keep it out of git)' },
  keywords: [],
  pathRule: isDotenvFile,
  *find(content, path) {
    if (path && isDotenvFile(path)) {
      yield { messageId: 'DotenvFile', start: 0, end: 0 };
    }
  },
});

// npm's own credential settings (besides _authToken, which secretlint
// covers): _auth is base64 of user:password, _password is base64 too.
const NPMRC_CREDENTIAL =
  /(?:^|\n)[ \t]*(?:\/\/[^\s=]{1,256}:)?_(?:auth|password)[ \t]*=[ \t]*([^\s$][^\s]{7,1023})/g;

export const npmrcCredential = defineRule({
  id: 'gitwarden/npmrc-credential',
  group: 'names',
  titles: { NpmrcAuth: 'npm registry credential (_auth or _password)' },
  keywords: ['_auth', '_password'],
  *find(content) {
    for (const match of content.matchAll(NPMRC_CREDENTIAL)) {
      const value = match[1]!;
      if (isReference(value) || isPlaceholder(value)) continue;
      const start = match.index + match[0].length - value.length;
      yield { messageId: 'NpmrcAuth', start, end: start + value.length };
    }
  },
});

export function isWorkflowFile(path: string): boolean {
  return /(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path);
}

// `  NAME: value` in a workflow: a secret-like name with a literal value.
// Read line by line (a diff has only the added lines), so the rule cannot
// tell env: from with:; a credential is misplaced in either.
const WORKFLOW_SETTING =
  /^[ \t]*-?[ \t]*([A-Za-z_][A-Za-z0-9_-]{0,63})[ \t]*:[ \t]*(.{1,512})$/gm;

export const workflowLiteral = defineRule({
  id: 'gitwarden/workflow-secret-literal',
  group: 'names',
  titles: {
    WorkflowLiteral:
      'literal value for a secret in a workflow (use ${{ secrets.NAME }})',
  },
  keywords: ['pass', 'pwd', 'secret', 'token', 'credential', 'key'],
  *find(content, path) {
    if (!path || !isWorkflowFile(path)) return;
    for (const match of content.matchAll(WORKFLOW_SETTING)) {
      const [, name, raw] = match;
      if (!isSecretName(name!)) continue;
      const value = unquote(raw!.replace(/[ \t]+#.*$/, '').trim());
      if (!isLiteral(value)) continue;
      const start = match.index + match[0].indexOf(raw!, name!.length);
      yield { messageId: 'WorkflowLiteral', start, end: start + raw!.length };
    }
  },
});

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? quoted[2]! : value;
}

function isLiteral(value: string): boolean {
  if (value === '' || value.includes('${{') || /^[|>][-+]?\d*$/.test(value)) {
    return false;
  }
  if (isTrivial(value) || isReference(value)) return false;
  return value.length >= 4 && !isPlaceholder(value);
}
