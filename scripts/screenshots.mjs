/**
 * `node scripts/screenshots.mjs`: the README's pictures of the local web page. Starts the built
 * CLI's `serve --sandbox` in a temporary work folder, drives the page in headless Chromium as a
 * person would (drop fixtures/contacts.csv, check the columns, see the cost, start, stop, resume,
 * download) and writes `docs/serve-<step>-desktop.png` (English) and `docs/serve-<step>-phone.png`
 * (Portuguese, 375 px wide). Needs `npm run build` first and Debian's chromium (or CHROME_PATH).
 * `--url http://127.0.0.1:PORT/?token=T` drives a server already running instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const chromium =
  process.env.CHROME_PATH ||
  ['chromium', 'chromium-browser', 'google-chrome']
    .map((name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim())
    .find(Boolean);
if (!chromium) throw new Error('no chromium found (Debian: apt-get install -y chromium; or set CHROME_PATH)');

const VIEWPORTS = [
  { name: 'desktop', languages: ['en-US', 'en'], viewport: { width: 1100, height: 800, deviceScaleFactor: 1 } },
  {
    name: 'phone',
    languages: ['pt-BR', 'pt'],
    viewport: { width: 375, height: 740, deviceScaleFactor: 1, isMobile: true, hasTouch: true },
  },
];

/** Starts `serve --sandbox` (slow enough that a stop lands mid-run); resolves with its address and a stop function. */
async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'fe-shots-'));
  const keys = join(dir, 'keys.json');
  writeFileSync(
    keys,
    JSON.stringify([{ key: 'Screenshots'.padEnd(40, '0'), plan: 'crm_enterprise', credits: 1000, rate: 6, burst: 12 }]),
  );
  const child = spawn(
    process.execPath,
    [
      join(root, 'dist/cli/cli.js'),
      'serve',
      '--sandbox',
      '--port',
      '0',
      '--dir',
      join(dir, 'work'),
      '--keys',
      keys,
      '--latency',
      '200-900',
    ],
    { env: { ...process.env, FLUENCE_API_KEY: '', FLUENCE_BASE_URL: '' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const match = /(https?:\/\/\S+\?token=\S+)\r?\n/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}) before printing its address: ${out}`)));
  });
  return {
    url,
    stop: () => {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function shoot(page, name, selectors) {
  // Clip from the first element's top to the last's bottom: the step itself, not a whole-page giant.
  const box = await page.evaluate((list) => {
    const boxes = list.map((s) => document.querySelector(s).getBoundingClientRect());
    const top = Math.min(...boxes.map((b) => b.top)) + window.scrollY;
    const bottom = Math.max(...boxes.map((b) => b.bottom)) + window.scrollY;
    return { x: 0, y: Math.max(0, top - 8), width: document.documentElement.clientWidth, height: bottom - top + 16 };
  }, selectors);
  await page.screenshot({ path: join(root, 'docs', `${name}.png`), clip: box });
  process.stdout.write(`docs/${name}.png\n`);
}

const progressRows = (page) => page.$eval('#run-rows', (n) => n.textContent);

async function flow(browser, url, { name, languages, viewport }) {
  // A context of its own: a cookie from another server on 127.0.0.1 (another port) is not sent.
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.evaluateOnNewDocument((langs) => {
    Object.defineProperty(navigator, 'languages', { get: () => langs });
    Object.defineProperty(navigator, 'language', { get: () => langs[0] });
  }, languages);
  await page.setViewport(viewport);
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn') process.stderr.write(`page: ${message.text()}\n`);
  });
  page.on('pageerror', (error) => process.stderr.write(`page error: ${error}\n`));
  await page.goto(url, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => document.querySelector('#account-credits').textContent !== '—');
  await shoot(page, `serve-file-${name}`, ['header', '#step-file']);

  const input = await page.$('#file-input');
  await input.uploadFile(join(root, 'fixtures/contacts.csv'));
  await page.waitForSelector('#preview tbody tr');
  await page.waitForSelector('#figures dd');
  await shoot(page, `serve-columns-${name}`, ['#step-columns']);
  await shoot(page, `serve-cost-${name}`, ['#step-cost']);

  await page.click('#start');
  await page.waitForSelector('#counters dd');
  // A few progress events, so the chart has a line.
  const first = await progressRows(page);
  await page.waitForFunction((was) => document.querySelector('#run-rows').textContent !== was, {}, first);
  await new Promise((r) => setTimeout(r, 4000));
  await shoot(page, `serve-run-${name}`, ['#step-run']);
  await page.click('#stop');
  await page.waitForSelector('#resume:not([hidden])', { timeout: 120_000 });
  await page.click('#resume');
  await page.waitForFunction(() => document.querySelector('#run-result').dataset.status === 'finished', {
    timeout: 300_000,
  });
  await shoot(page, `serve-download-${name}`, ['#run-result', '#step-download']);
  await page.waitForSelector('#runs li .button');
  await shoot(page, `serve-runs-${name}`, ['#step-runs']);
  await context.close();
}

const given = process.argv.indexOf('--url');
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--no-first-run',
  ],
});
try {
  for (const viewport of VIEWPORTS) {
    // A fresh server per width: the runs list shows that width's own run.
    const server = given > 0 ? { url: process.argv[given + 1], stop() {} } : await startServer();
    try {
      await flow(browser, server.url, viewport);
    } finally {
      server.stop();
    }
  }
} finally {
  await browser.close();
}
