import { readFile } from 'node:fs/promises';

import { GitwardenError } from '../errors.ts';

export interface PackageJson {
  path: string;
  text: string;
  data: Record<string, unknown>;
}

/** Reads package.json at `path`, or undefined when there is none. */
export async function readPackageJson(
  path: string,
): Promise<PackageJson | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GitwardenError(
      'INPUT_UNREADABLE',
      `cannot read ${path}: ${(error as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new GitwardenError(
      'INPUT_INVALID',
      `${path} is not valid JSON (${(error as Error).message}); init changed nothing`,
      { hint: 'Fix package.json, then run gitwarden init again.' },
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new GitwardenError(
      'INPUT_INVALID',
      `${path} does not hold a JSON object; init changed nothing`,
    );
  }
  return { path, text, data: data as Record<string, unknown> };
}

/** Whether the package names `name` in any of its dependency lists. */
export function dependsOn(pkg: PackageJson, name: string): boolean {
  return DEPENDENCY_FIELDS.some((field) => {
    const list = pkg.data[field];
    return typeof list === 'object' && list !== null && name in list;
  });
}

const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
];

export interface HuskyWiring {
  /** The new package.json text, or undefined when nothing changes. */
  text: string | undefined;
  /** What changed, e.g. `scripts.prepare "husky"`. */
  changes: string[];
}

/**
 * Adds what a husky project needs, the way `husky init` does, and leaves
 * everything else as it was (key order, indentation, final newline):
 * a `prepare` script that runs husky (prepended to an existing one), and
 * husky and gitwarden as devDependencies so every clone gets the hook
 * after its next install.
 */
export function wireHusky(
  pkg: PackageJson,
  versions: { husky: string; gitwarden: string },
): HuskyWiring {
  const data = structuredClone(pkg.data);
  const changes: string[] = [];

  const scripts = objectField(data, 'scripts');
  const prepare = scripts.prepare;
  if (typeof prepare !== 'string' || prepare.trim() === '') {
    scripts.prepare = 'husky';
    changes.push('scripts.prepare "husky"');
  } else if (!/\bhusky\b/.test(prepare)) {
    scripts.prepare = `husky && ${prepare}`;
    changes.push(`scripts.prepare "husky && ${prepare}"`);
  }

  const wanted = { husky: versions.husky, gitwarden: versions.gitwarden };
  for (const [name, range] of Object.entries(wanted)) {
    if (dependsOn(pkg, name)) continue;
    const devDependencies = objectField(data, 'devDependencies');
    devDependencies[name] = range;
    sortKeysIfSorted(data, 'devDependencies', pkg.data.devDependencies);
    changes.push(`devDependencies.${name} "${range}"`);
  }

  if (!changes.length) return { text: undefined, changes };
  return { text: formatLike(pkg.text, data), changes };
}

function objectField(
  data: Record<string, unknown>,
  name: string,
): Record<string, unknown> {
  const value = data[name];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  const created: Record<string, unknown> = {};
  data[name] = created;
  return created;
}

/** npm keeps dependency lists sorted; so do we, unless they were not. */
function sortKeysIfSorted(
  data: Record<string, unknown>,
  field: string,
  before: unknown,
): void {
  const old = Object.keys((before as Record<string, unknown>) ?? {});
  const wasSorted = old.every((key, i) => i === 0 || old[i - 1]! <= key);
  if (!wasSorted) return;
  const list = data[field] as Record<string, unknown>;
  data[field] = Object.fromEntries(
    Object.entries(list).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

function formatLike(original: string, data: unknown): string {
  const indent = /^([ \t]+)"/m.exec(original)?.[1] ?? '  ';
  const newline = original.includes('\r\n') ? '\r\n' : '\n';
  let text = JSON.stringify(data, null, indent);
  if (newline !== '\n') text = text.replace(/\n/g, newline);
  return /\r?\n$/.test(original) ? text + newline : text;
}
