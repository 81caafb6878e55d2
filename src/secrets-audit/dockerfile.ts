import { SECRET_NAME } from './manifests.ts';
import type { AuditFinding } from './types.ts';

/**
 * Dockerfile ENV and ARG instructions that bake a credential-named
 * variable with a literal value into the image (every layer keeps it).
 */
export function auditDockerfile(file: string, content: string): AuditFinding[] {
  const findings: AuditFinding[] = [];
  for (const { line, instruction, rest } of instructions(content)) {
    if (instruction !== 'ENV' && instruction !== 'ARG') continue;
    for (const [key, value] of assignments(rest)) {
      if (!SECRET_NAME.test(key) || !value || value.startsWith('$')) continue;
      findings.push({
        rule: 'dockerfile-environment-literal',
        file,
        line,
        name: key,
        message: `${instruction} ${key} sets a literal value that every image layer keeps`,
        hint: 'Pass build-time secrets with RUN --mount=type=secret and runtime ones from the environment the container starts in.',
      });
    }
  }
  return findings;
}

/** Instructions with their first line, continuation lines joined. */
function* instructions(content: string) {
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let joined = lines[i]!;
    while (/\\\s*$/.test(joined) && i + 1 < lines.length) {
      joined = joined.replace(/\\\s*$/, ' ') + lines[++i];
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(joined);
    if (match && !joined.trimStart().startsWith('#')) {
      yield {
        line: start + 1,
        instruction: match[1]!.toUpperCase(),
        rest: match[2]!,
      };
    }
  }
}

/** `K=V K2="V 2"` or the old `K V` form. */
function assignments(rest: string): [string, string][] {
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(rest.trim())) {
    const [key = '', ...value] = rest.trim().split(/\s+/);
    return [[key, value.join(' ')]];
  }
  return [
    ...rest.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|(\S*))/g),
  ].map((m) => [m[1]!, m[3] ?? m[4] ?? m[5] ?? '']);
}
