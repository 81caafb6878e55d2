import type { AuditFinding } from './types.ts';
import { entries, get, items, text, type ParsedYaml } from './yaml-walk.ts';

/** Names that say "this holds a credential" in environment settings. */
export const SECRET_NAME =
  /(pass(word|wd|phrase)?|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credential|auth)/i;

/** `${VAR}`, `$VAR`, Helm `{{ }}`: a reference filled in later, not a literal. */
const REFERENCE = /^\s*(\$\{?[A-Za-z_]|\{\{)/;

/**
 * Kubernetes `Secret` manifests whose `data` or `stringData` hold values
 * in the repository. Sealed secrets (SealedSecret) and external secrets
 * (ExternalSecret) are different kinds and are not flagged.
 */
export function auditKubernetes(
  file: string,
  yaml: ParsedYaml,
): AuditFinding[] {
  const findings: AuditFinding[] = [];
  for (const doc of yaml.documents) {
    if (text(get(doc, 'kind')) !== 'Secret') continue;
    if (!/^v1$/.test(text(get(doc, 'apiVersion')) ?? '')) continue;
    const secretName = text(get(get(doc, 'metadata'), 'name')) ?? '(unnamed)';
    for (const field of ['data', 'stringData']) {
      for (const [key, value, keyNode] of entries(get(doc, field))) {
        const literal = text(value);
        if (!literal || REFERENCE.test(literal)) continue;
        findings.push({
          rule: 'kubernetes-secret-literal',
          file,
          line: yaml.lineOf(keyNode),
          name: key,
          message: `Secret ${secretName} holds a literal value for ${field}.${key}${field === 'data' ? ' (base64 is an encoding, not encryption)' : ''}`,
          hint: 'Keep the value in a secret manager and reference it: an ExternalSecret (external-secrets.io) or a SealedSecret (sealed-secrets), not a Secret in the repository.',
        });
      }
    }
  }
  return findings;
}

/**
 * docker compose services whose `environment` sets a credential-named
 * variable to a literal. `${VAR}` references and bare names (passed
 * through from the host) are fine.
 */
export function auditCompose(file: string, yaml: ParsedYaml): AuditFinding[] {
  const findings: AuditFinding[] = [];
  for (const doc of yaml.documents) {
    for (const [service, definition] of entries(get(doc, 'services'))) {
      const environment = get(definition, 'environment');
      const pairs: [string, string | undefined, number][] = [
        ...entries(environment).map(
          ([key, value, keyNode]): [string, string | undefined, number] => [
            key,
            text(value),
            yaml.lineOf(keyNode),
          ],
        ),
        ...items(environment).map(
          (node): [string, string | undefined, number] => {
            const [key = '', ...rest] = (text(node) ?? '').split('=');
            return [
              key,
              rest.length ? rest.join('=') : undefined,
              yaml.lineOf(node),
            ];
          },
        ),
      ];
      for (const [key, value, line] of pairs) {
        if (!SECRET_NAME.test(key) || !value || REFERENCE.test(value)) continue;
        findings.push({
          rule: 'compose-environment-literal',
          file,
          line,
          name: key,
          message: `service ${service} sets ${key} to a literal value`,
          hint:
            'Use ${' +
            key +
            '} filled from the environment or an env_file kept out of git, or compose secrets.',
        });
      }
    }
  }
  return findings;
}
