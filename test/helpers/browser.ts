// Debian's Chromium, driven by playwright-core: no browser is downloaded.
// scripts/test-setup.mjs (run by `npm test`) installs the package. Each
// launch gets a fresh profile folder and no network features.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, type BrowserContext } from 'playwright-core';

import { tempDir } from './repo.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** Where screenshots are kept after the run (gitignored). */
export const RESULTS_DIR = join(
  import.meta.dirname,
  '..',
  '..',
  'test-results',
);

export async function launchChromium(): Promise<BrowserContext> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return chromium.launchPersistentContext(tempDir('gitwarden-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
