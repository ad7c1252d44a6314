import puppeteer, { type Browser } from 'puppeteer-core';
import { spawnSync } from 'node:child_process';

/** Debian's chromium (or a Chrome named by CHROME_PATH), when this machine has one. */
export const CHROMIUM =
  process.env.CHROME_PATH ||
  ['chromium', 'chromium-browser', 'google-chrome']
    .map((name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim())
    .find(Boolean) ||
  undefined;

/**
 * Whether the browser tests run here. Without a browser they are skipped with a printed reason,
 * except under CI (`.ci/run` sets CI=1 and installs chromium), where a missing one is a failure.
 */
export const HAVE_CHROMIUM = CHROMIUM !== undefined || process.env.CI !== undefined;
if (!CHROMIUM) {
  const reason = 'no chromium found (Debian: apt-get install -y chromium; or set CHROME_PATH)';
  if (process.env.CI) throw new Error(`CI needs a real browser: ${reason}`);
  console.warn(`skipping the browser tests: ${reason}`);
}

/**
 * Headless Chromium as this machine runs it: as root without its sandbox, and without the
 * background connections a closed network refuses (they slow every start).
 */
export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM!,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
}
