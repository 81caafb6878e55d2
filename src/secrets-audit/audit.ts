import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

import { git } from '../git/run.ts';
import {
  providerSources,
  type ProvidersSection,
  type RotationSection,
} from '../policy/providers.ts';
import { auditDockerfile } from './dockerfile.ts';
import { auditCompose, auditKubernetes } from './manifests.ts';
import type { AuditFinding, AuditReport } from './types.ts';
import { auditWorkflow, type SecretReference } from './workflows.ts';
import { parseYamlFile } from './yaml-walk.ts';

/** Files larger than this are generated data, not configuration. */
const MAX_FILE_BYTES = 1024 * 1024;

/** Secrets GitHub provides to every workflow itself. */
const BUILT_IN_SECRETS = new Set(['GITHUB_TOKEN']);

export interface AuditInput {
  /** The repository's work tree. */
  dir: string;
  document: { providers?: ProvidersSection; rotation?: RotationSection };
}

/**
 * `secrets audit`: plain-text secrets that only a whole-repository view
 * finds. Reads the files git knows (tracked, and untracked ones not
 * ignored), so build output and vendored folders stay out.
 */
export async function auditRepository(input: AuditInput): Promise<AuditReport> {
  const files = await repositoryFiles(input.dir);
  const findings: AuditFinding[] = [];
  const references: SecretReference[] = [];
  let filesRead = 0;

  for (const file of files) {
    const kind = classify(file);
    if (!kind) continue;
    const content = await readSmall(join(input.dir, file));
    if (content === undefined) continue;
    filesRead++;

    if (kind === 'dockerfile') {
      findings.push(...auditDockerfile(file, content));
      continue;
    }
    // Cheap test first: most YAML files are not Secrets at all.
    if (kind === 'yaml' && !/^\s*kind:\s*["']?Secret\b/m.test(content))
      continue;
    const yaml = parseYamlFile(content);
    if (!yaml) continue;
    if (kind === 'workflow') {
      const result = auditWorkflow(file, yaml);
      findings.push(...result.findings);
      references.push(...result.references);
    } else if (kind === 'compose') {
      findings.push(...auditCompose(file, yaml));
    } else {
      findings.push(...auditKubernetes(file, yaml));
    }
  }

  const notes: string[] = [];
  const known = knownSecretNames(input.document);
  if (known) findings.push(...unknownReferences(references, known));
  else if (references.length) {
    notes.push(
      'secret references were not checked: the policy names no secrets (providers.sources.*.holds or rotation.secrets)',
    );
  }
  // Byte order, as git lists paths, so reports diff cleanly.
  findings.sort((a, b) =>
    a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1,
  );
  return { findings, filesRead, notes };
}

type Kind = 'workflow' | 'compose' | 'dockerfile' | 'yaml';

function classify(file: string): Kind | undefined {
  const name = basename(file);
  if (/^Dockerfile(\..+)?$|\.Dockerfile$/i.test(name)) return 'dockerfile';
  if (!/\.ya?ml$/i.test(name)) return undefined;
  if (/^\.github\/workflows\/[^/]+$/.test(file)) return 'workflow';
  if (/^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i.test(name)) return 'compose';
  return 'yaml';
}

async function repositoryFiles(dir: string): Promise<string[]> {
  const { stdout } = await git(
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: dir },
  );
  const files = stdout.toString('utf8').split('\0').filter(Boolean);
  return [...new Set(files)].sort();
}

async function readSmall(path: string): Promise<string | undefined> {
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_FILE_BYTES) return undefined;
    return bytes.toString('utf8');
  } catch {
    // Listed by git but gone or unreadable (a deleted file, a submodule).
    return undefined;
  }
}

/** Every secret name the policy accounts for, or undefined if it names none. */
function knownSecretNames(
  document: AuditInput['document'],
): Set<string> | undefined {
  const names = new Set<string>();
  for (const definition of Object.values(providerSources(document))) {
    for (const name of definition.holds ?? []) names.add(name);
  }
  for (const name of Object.keys(document.rotation?.secrets ?? {}))
    names.add(name);
  return names.size ? names : undefined;
}

function unknownReferences(
  references: SecretReference[],
  known: Set<string>,
): AuditFinding[] {
  const seen = new Set<string>();
  return references.flatMap((reference) => {
    const key = `${reference.file}\0${reference.name}`;
    if (
      known.has(reference.name) ||
      BUILT_IN_SECRETS.has(reference.name) ||
      seen.has(key)
    ) {
      return [];
    }
    seen.add(key);
    return [
      {
        rule: 'unknown-secret-reference' as const,
        file: reference.file,
        line: reference.line,
        name: reference.name,
        message: `the workflow uses secret ${reference.name}, which no provider in the policy holds`,
        hint: `Add ${reference.name} to the holds list of the provider that supplies it (providers.sources), or to rotation.secrets, or remove the reference.`,
      },
    ];
  });
}
