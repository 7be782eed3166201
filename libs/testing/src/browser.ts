import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Where end-to-end tests leave their screenshots: looked at by people, kept by CI as artifacts. */
export const SCREENSHOT_DIR = path.join(ROOT, '.horizon', 'screenshots');

/**
 * Debian's Chromium (installed by the bootstrap) driven by playwright-core: Playwright's own
 * browser download cannot reach the internet here. The flags keep it from calling Google's
 * services, which this machine's closed network refuses; `--no-sandbox` because tests run as root.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath))
    throw new Error(
      `no Chromium at ${executablePath}: run \`npm run bootstrap\` (it installs Debian's chromium)`,
    );
  // Loaded here, not at the top: most suites import @horizon/testing and never open a browser.
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** A screenshot's path under SCREENSHOT_DIR, its folder made. */
export function screenshotPath(name: string): string {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}
