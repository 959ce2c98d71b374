// Headless Chromium for the console specs: playwright-core driving Debian's Chromium (`.ci/run` installs the
// `chromium` package when it is missing), the console bundle built when missing or stale, and screenshots kept as
// test artifacts under spec/artifacts/console/ (gitignored).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildConsole, consoleIsStale } from '../../scripts/build-console.mjs';

/** The browser the specs drive: Debian's Chromium, or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const ARTIFACTS = fileURLToPath(new URL('../artifacts/console/', import.meta.url));

/** Builds dist/console/ when it is missing or older than console/ (a fresh clone has none before `npm run build`). */
export async function ensureConsoleBuilt(): Promise<void> {
  if (consoleIsStale()) await buildConsole();
}

/**
 * A headless Chromium, or the reason none can be had (the caller skips its tests with that reason). A browser that
 * is installed but fails to start is an error, not a skip: that is a broken machine the tests must show.
 */
export async function launchBrowser(): Promise<Browser | string> {
  if (!existsSync(CHROMIUM)) {
    return `no browser at ${CHROMIUM} (install Debian's chromium package: apt-get install chromium, or set CHROMIUM_PATH)`;
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // No sandbox: CI runs as root, where Chromium refuses to start with it.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

/** Saves a full-page screenshot as a test artifact; returns its path (printed by the spec). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
