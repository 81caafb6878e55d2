import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What init installs from gitwarden's own package. */
export interface GitwardenPackage {
  /** The package folder: holds hooks/, schemas/, package.json. */
  root: string;
  version: string;
  /** The husky version range gitwarden is built and tested with. */
  huskyRange: string;
}

let cached: GitwardenPackage | undefined;

/**
 * Finds gitwarden's own package folder by walking up from this module:
 * the same code runs from src/ (tests) and bundled from dist/, at
 * different depths, and installed under node_modules/gitwarden.
 */
export function gitwardenPackage(): GitwardenPackage {
  if (cached) return cached;
  let folder = import.meta.dirname;
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest)) {
      const data = JSON.parse(readFileSync(manifest, 'utf8')) as {
        name?: string;
        version?: string;
        devDependencies?: Record<string, string>;
      };
      if (data.name === 'gitwarden') {
        cached = {
          root: folder,
          version: data.version ?? '0.0.0',
          huskyRange: data.devDependencies?.husky ?? '^9.1.7',
        };
        return cached;
      }
    }
    const parent = dirname(folder);
    if (parent === folder) {
      throw new Error(
        `cannot find gitwarden's package folder above ${import.meta.dirname}`,
      );
    }
    folder = parent;
  }
}

/** The canonical hook script shipped in hooks/ (e.g. 'commit-msg'). */
export function hookScript(name: string): string {
  return readFileSync(join(gitwardenPackage().root, 'hooks', name), 'utf8');
}
