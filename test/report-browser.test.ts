/// <reference lib="dom" />
import { mkdirSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { HAVE_CHROMIUM, launchChromium } from './helpers/chromium.js';
import { enrichArgs, people, workdir } from './helpers/enrich.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

/** Desktop and phone, as people open the report. */
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900, deviceScaleFactor: 1, isMobile: false },
  { name: 'phone', width: 390, height: 844, deviceScaleFactor: 2, isMobile: true },
] as const;

describe.skipIf(!HAVE_CHROMIUM)('the report in a real headless Chromium', () => {
  it('renders with no console error and no request beyond its own file, charts drawn and fitting the page at desktop and phone widths; screenshots saved', async () => {
    await withSandbox(
      { faults: { rates: { error500: 0.1 }, seed: 'browser', latencyMs: [20, 300] } },
      async (sandbox) => {
        const dir = await workdir();
        const input = join(dir, 'contatos.csv');
        const rows = [...people(300, 'Acme').map((p) => p.join(',')), 'Solo,,Sem Sobrenome', ',Silva,Sem Nome'];
        await writeFile(input, `${['primeiro_nome,ultimo_nome,empresa', ...rows].join('\n')}\n`);
        const report = join(dir, 'report.html');
        const run = await runCli(
          enrichArgs(sandbox, input, dir, ['--report', report, '--rate', '100', '--burst', '20']),
          { env: { FLUENCE_API_KEY: ENTERPRISE } },
        );
        expect(run.code, run.stderr).toBe(0);

        const browser: Browser = await launchChromium();
        try {
          const shots = join(dir, 'screenshots');
          mkdirSync(shots, { recursive: true });
          for (const viewport of VIEWPORTS) {
            const page = await browser.newPage();
            // Waits as long as the test may (puppeteer's own default, 30 s, failed CI's loaded machine).
            page.setDefaultTimeout(90_000);
            const problems: string[] = [];
            const requests: string[] = [];
            page.on('console', (message) => {
              if (message.type() === 'error' || message.type() === 'warn')
                problems.push(`${message.type()}: ${message.text()}`);
            });
            page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
            page.on('request', (request) => requests.push(request.url()));
            await page.setViewport(viewport);
            await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
            const layout = await page.evaluate(() => ({
              // Each chart is drawn wide and narrow; CSS shows one.
              charts: Array.from(document.querySelectorAll('figure svg'))
                .map((svg) => {
                  const box = svg.getBoundingClientRect();
                  return {
                    width: box.width,
                    height: box.height,
                    marks: svg.querySelectorAll('path, line, rect, text').length,
                    font:
                      parseFloat(getComputedStyle(svg.querySelector('text')!).fontSize) *
                      (box.width / Number(svg.getAttribute('viewBox')!.split(' ')[2])),
                  };
                })
                .filter((chart) => chart.width > 0),
              pageWidth: document.documentElement.scrollWidth,
              viewport: window.innerWidth,
              title: document.querySelector('h1')?.textContent,
            }));
            expect(problems, viewport.name).toEqual([]);
            expect(requests, viewport.name).toEqual([pathToFileURL(report).href]);
            expect(layout.title).toBe('Enrichment run report');
            // Rate, status and latency charts, each drawn and within the page (no sideways scroll).
            expect(layout.charts.length, viewport.name).toBe(3);
            for (const chart of layout.charts) {
              expect(chart.marks).toBeGreaterThan(10);
              // Axis text as drawn on screen: readable, not a desktop chart shrunk onto a phone.
              expect(chart.font, `${viewport.name}: chart text`).toBeGreaterThanOrEqual(9);
              expect(chart.height).toBeGreaterThan(50);
              expect(chart.width).toBeLessThanOrEqual(viewport.width);
            }
            expect(layout.pageWidth, `${viewport.name}: the page scrolls sideways`).toBeLessThanOrEqual(
              layout.viewport,
            );
            const path = join(shots, `report-${viewport.name}.png`);
            await page.screenshot({ path, fullPage: true });
            expect(statSync(path).size).toBeGreaterThan(10_000);
            if (process.env.REPORT_SCREENSHOTS)
              await page.screenshot({
                path: join(process.env.REPORT_SCREENSHOTS, `report-${viewport.name}.png`),
                fullPage: true,
              });
            await page.close();
          }
        } finally {
          await browser.close();
        }
      },
    );
  }, 120_000);
});
