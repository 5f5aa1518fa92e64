/**
 * Headless Chromium for the browser suite and the README's screenshot:
 * Debian's `chromium` (npm test's pretest installs it where it can), driven by playwright-core,
 * with a fresh profile and nothing that reaches the network.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { DEBIAN_CHROMIUM, HOW_TO_INSTALL, locateChromium, realHost } from './ensureChromium.ts';

/** INTERLEAVE_CHROMIUM when set, else Debian's, else one on PATH (see ensureChromium.ts, npm test's first step). */
export const CHROMIUM = locateChromium(realHost) ?? (process.env.INTERLEAVE_CHROMIUM || DEBIAN_CHROMIUM);

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Starts Chromium, or fails saying how to install it: the suite must not pass by skipping. */
export async function launch(viewport = { width: 1366, height: 768 }): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}. ${HOW_TO_INSTALL}`);
  const profile = await mkdtemp(join(tmpdir(), 'interleave-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Everything a page said that a person would count as broken: console errors and uncaught exceptions. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return errors;
}
