import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { createRequire } from 'node:module';
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

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * axe-core's serious and critical violations on the page as it is now (injected once per page):
 * `rule: element, element` for each, so a failure names what to fix.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: any[] }> } }).axe;
    const { violations } = await axe.run();
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n: { target: string[] }) => n.target.join(' ')).join(', ')}`);
  });
}

/** Presses Tab until the element `id` has the focus (at most 60 times): whether it got there. */
export async function tabTo(page: Page, id: string): Promise<boolean> {
  for (let i = 0; i < 60; i++) {
    if (await page.evaluate((want) => document.activeElement?.id === want, id)) return true;
    await page.keyboard.press('Tab');
  }
  return false;
}
