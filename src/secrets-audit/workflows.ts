import picomatch from 'picomatch';
import type { Node } from 'yaml';

import type { AuditFinding } from './types.ts';
import {
  entries,
  get,
  isBlockScalar,
  items,
  strings,
  text,
  type ParsedYaml,
} from './yaml-walk.ts';

/** A `secrets.NAME` reference in a workflow, for the unknown-name check. */
export interface SecretReference {
  name: string;
  file: string;
  line: number;
}

const SECRET_EXPR = /\$\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const ANY_SECRET = /\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g;
const PRINTS = /(^|[\s;&|(`])(echo|printf|print|cat)\b/;
const REDIRECT = /(?:\d?>>?|\btee(?:\s+-a)?)\s*("?)([^\s"';|&<>]+)\1/g;

/**
 * What only a look at whole workflows finds: steps whose `run:` prints a
 * secret into the log or writes it to a file, artifacts uploaded from
 * such files, and every secret name the workflows use.
 */
export function auditWorkflow(
  file: string,
  yaml: ParsedYaml,
): { findings: AuditFinding[]; references: SecretReference[] } {
  const findings: AuditFinding[] = [];
  const references: SecretReference[] = [];
  for (const root of yaml.documents) {
    for (const [value, node] of strings(root)) {
      for (const match of value.matchAll(ANY_SECRET)) {
        references.push({ name: match[1]!, file, line: yaml.lineOf(node) });
      }
    }
    const workflowEnv = secretEnv(get(root, 'env'));
    for (const [, job] of entries(get(root, 'jobs'))) {
      const jobEnv = new Map([...workflowEnv, ...secretEnv(get(job, 'env'))]);
      const written: { path: string; name: string }[] = [];
      for (const step of items(get(job, 'steps'))) {
        const env = new Map([...jobEnv, ...secretEnv(get(step, 'env'))]);
        const run = get(step, 'run');
        const script = text(run);
        if (script !== undefined) {
          const first = yaml.lineOf(run) + (isBlockScalar(run) ? 1 : 0);
          findings.push(...auditScript(file, first, script, env, written));
        }
        const upload = artifactUpload(file, yaml, step, written);
        if (upload) findings.push(upload);
      }
    }
  }
  return { findings, references };
}

/** Environment variables whose value comes from a secret: VAR -> NAME. */
function secretEnv(map: Node | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [variable, value] of entries(map)) {
    const match = [...(text(value) ?? '').matchAll(SECRET_EXPR)][0];
    if (match) out.set(variable, match[1]!);
  }
  return out;
}

function auditScript(
  file: string,
  firstLine: number,
  script: string,
  env: Map<string, string>,
  written: { path: string; name: string }[],
): AuditFinding[] {
  const findings: AuditFinding[] = [];
  script.split('\n').forEach((line, index) => {
    const names = secretsOnLine(line, env);
    // Masking a value is how a workflow keeps it out of the log.
    if (!names.length || line.includes('::add-mask::')) return;
    const at = { file, line: firstLine + index, name: names[0] };

    const targets = [...line.matchAll(REDIRECT)]
      .map((m) => m[2]!)
      .filter((target) => !/^(&\d|\/dev\/null)$/.test(target));
    if (targets.length) {
      for (const target of targets) {
        written.push({ path: target.replace(/^\.\//, ''), name: names[0]! });
      }
      findings.push({
        rule: 'workflow-secret-to-file',
        ...at,
        message: `a run step writes secret ${names.join(', ')} to ${targets.join(', ')}`,
        hint: 'A secret written to a file outlives the step (caches, artifacts, later steps). Pass it to the command that needs it through env or stdin instead.',
      });
      return;
    }
    // `echo "$TOKEN" | docker login --password-stdin` feeds a command,
    // which is the right way; printing to the log is not.
    const pipedAway = /(echo|printf)\b[^|]*\|\s*(?!tee\b)\S/.test(line);
    if (PRINTS.test(line) && !pipedAway) {
      findings.push({
        rule: 'workflow-secret-echo',
        ...at,
        message: `a run step prints secret ${names.join(', ')}`,
        hint: 'GitHub masks exact secret values in logs, not encoded, split or transformed ones. Do not print secrets; pass them to the command through env or stdin.',
      });
    }
  });
  return findings;
}

function secretsOnLine(line: string, env: Map<string, string>): string[] {
  const names = [...line.matchAll(SECRET_EXPR)].map((m) => m[1]!);
  for (const [variable, name] of env) {
    const used = new RegExp(`\\$\\{?${variable}\\b`).test(line);
    if (used) names.push(name);
  }
  return [...new Set(names)];
}

function artifactUpload(
  file: string,
  yaml: ParsedYaml,
  step: Node,
  written: { path: string; name: string }[],
): AuditFinding | undefined {
  const uses = get(step, 'uses');
  if (!/^actions\/upload-artifact@/.test(text(uses) ?? '')) return undefined;
  const paths = (text(get(get(step, 'with'), 'path')) ?? '')
    .split('\n')
    .map((p) => p.trim().replace(/^\.\//, ''))
    .filter((p) => p && !p.startsWith('!'));
  const leaked = written.filter(({ path }) =>
    paths.some(
      (pattern) =>
        pattern === path ||
        path.startsWith(`${pattern.replace(/\/+$/, '')}/`) ||
        picomatch.isMatch(path, pattern, { dot: true }),
    ),
  );
  if (!leaked.length) return undefined;
  return {
    rule: 'artifact-holds-secret',
    file,
    line: yaml.lineOf(uses),
    name: leaked[0]!.name,
    message: `upload-artifact publishes ${leaked.map((l) => l.path).join(', ')}, written from secret ${[...new Set(leaked.map((l) => l.name))].join(', ')}`,
    hint: 'Anyone who can read the workflow run can download its artifacts. Keep secret-bearing files out of the uploaded paths.',
  };
}
