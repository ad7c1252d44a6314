/// <reference lib="dom" />
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Browser, Page, Viewport } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { finished, runCli, startCli } from './helpers/cli.js';
import { axeViolations, HAVE_CHROMIUM, launchChromium, tabTo } from './helpers/chromium.js';
import { enrich, stable, workdir } from './helpers/enrich.js';
import { withSandbox } from './helpers/sandbox.js';

/**
 * The 200-row Brazilian export, plus a "Razão Social" column: the company a person picks by hand.
 * It differs from "Empresa" in which rows lack a company (the first two lack it, the one without an
 * Empresa has it), so the estimate's counts tell which column was used.
 */
async function exportWithRazaoSocial(dir: string): Promise<string> {
  const fixture = readFileSync(fileURLToPath(new URL('../fixtures/contacts.csv', import.meta.url)), 'utf8');
  const rows: string[][] = parse(fixture, { bom: true });
  const [header, ...body] = rows;
  const company = header!.indexOf('Empresa');
  const text = stringify([
    [...header!, 'Razão Social'],
    ...body.map((row, i) => [...row, i < 2 ? '' : row[company] ? `${row[company]} Ltda.` : 'Sem Cadastro Ltda.']),
  ]);
  const path = join(dir, 'contatos.csv');
  await writeFile(path, text);
  return path;
}

const KEY = 'PageBrowser'.padEnd(40, '0');

interface Served {
  child: ChildProcess;
  url: string;
  sandboxUrl: string;
}

/**
 * The real `serve --sandbox` on port 0, its sandbox's key throttled to `rate` a second so a stop
 * lands mid-run whatever the machine's speed (the client waits for the plan, not the clock).
 */
async function serve(dir: string, rate: number, plan = 'crm_enterprise', key: object = {}): Promise<Served> {
  const keys = join(dir, 'keys.json');
  await writeFile(keys, JSON.stringify([{ key: KEY, plan, credits: 1000, rate, burst: 2 * rate, ...key }]));
  const child = startCli(['serve', '--sandbox', '--port', '0', '--dir', join(dir, 'work'), '--keys', keys]);
  child.stdin!.end();
  const printed = await new Promise<RegExpExecArray>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const match = /Sandbox \(no real credits\) at (\S+)[\s\S]*?Open: (http:\/\/\S+\?token=\S+)\r?\n/.exec(out);
      if (match) resolve(match);
    });
    child.once('close', (code) => reject(new Error(`serve ended (${code}) before printing its address: ${out}`)));
  });
  return { child, sandboxUrl: printed[1]!, url: printed[2]! };
}

async function stopServer(served: Served): Promise<void> {
  if (served.child.exitCode !== null || served.child.signalCode !== null) return;
  const done = finished(served.child);
  served.child.kill('SIGTERM');
  await done;
}

/** A page that speaks `languages`, with every console error and page error collected. */
async function openPage(browser: Browser, languages: string[], problems: string[]): Promise<Page> {
  const page = await browser.newPage();
  // Waits as long as the test may (puppeteer's own default, 30 s, failed CI's loaded machine).
  page.setDefaultTimeout(90_000);
  await page.evaluateOnNewDocument((langs: string[]) => {
    Object.defineProperty(navigator, 'languages', { get: () => langs });
  }, languages);
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
  return page;
}

/** Waits until the cost step shows a finished estimate (shown, not busy). */
const estimateShown = (page: Page) =>
  page.waitForSelector('#step-cost:not([hidden]) #cost-busy[hidden] ~ #figures [data-figure="toAsk"]', {
    timeout: 60_000,
  });

/** The estimate's figures as the page holds them behind their text. */
const shownFigures = (page: Page) =>
  page.$$eval('[data-figure]', (nodes) =>
    Object.fromEntries(
      nodes.map((n) => [(n as HTMLElement).dataset.figure!, JSON.parse((n as HTMLElement).dataset.value!)]),
    ),
  );

/** Records every text the rows counter takes, so the test can count progress updates. */
const recordProgress = (page: Page) =>
  page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    const target = document.getElementById('run-rows')!;
    new MutationObserver(() => {
      if (seen.at(-1) !== target.textContent) seen.push(target.textContent ?? '');
    }).observe(target, { childList: true, characterData: true, subtree: true });
  });
const progressSeen = (page: Page) => page.evaluate(() => (window as unknown as { seen: string[] }).seen.length);

/**
 * The page at the address `served` printed, in a fresh Chromium speaking `languages` (at
 * `viewport`, if given); `body` gets it and the console's problems. The browser and the server
 * end with it, whatever happens.
 */
async function onPage(
  served: Served,
  languages: string[],
  viewport: Viewport | undefined,
  body: (page: Page, problems: string[]) => Promise<void>,
): Promise<void> {
  const browser = await launchChromium();
  const problems: string[] = [];
  try {
    const page = await openPage(browser, languages, problems);
    if (viewport) await page.setViewport(viewport);
    await page.goto(served.url, { waitUntil: 'load' });
    await body(page, problems);
  } finally {
    await browser.close();
    await stopServer(served);
  }
}

describe.skipIf(!HAVE_CHROMIUM)('the local web page in a real headless Chromium', () => {
  it('drop an export, change a column, the estimate equals estimate --json; start, watch, stop, resume, finish; the download equals enrich, and no contact is paid twice', async () => {
    const dir = await workdir();
    const input = await exportWithRazaoSocial(dir);
    const served = await serve(dir, 5);
    await onPage(served, ['en-US', 'en'], { width: 1200, height: 900 }, async (page, problems) => {
      // The address's token became a cookie and left the address bar.
      expect(new URL(page.url()).search).toBe('');
      await page.waitForFunction(() => document.getElementById('account-credits')!.textContent === '1,000');

      // 1. Drop the file (the file input is what the drop zone feeds).
      await (await page.$('input#file-input'))!.uploadFile(input);
      // 2. The mapping the CLI found, and the preview as it will be sent.
      await page.waitForSelector('#preview tbody tr');
      const mapped = () =>
        page.$$eval('#mapping select', (nodes) =>
          Object.fromEntries(
            nodes.map((n) => [(n as HTMLSelectElement).dataset.field!, (n as HTMLSelectElement).value]),
          ),
        );
      expect(await mapped()).toEqual({
        primeiro_nome: 'Nome',
        ultimo_nome: 'Sobrenome',
        empresa: 'Empresa',
        nome_completo: '',
      });
      await estimateShown(page);
      const detected = await shownFigures(page);

      // Change the company to "Razão Social" with its dropdown: read again, priced again.
      await page.select('#map-empresa', 'Razão Social');
      await page.waitForFunction(() =>
        Array.from(document.querySelectorAll('#preview td[data-label="Company"]')).some((td) =>
          td.textContent?.endsWith(' Ltda.'),
        ),
      );
      expect((await mapped()).empresa).toBe('Razão Social');
      await estimateShown(page);

      // 3. The figures shown are `estimate --json`'s for the same file and --map.
      const cli = await runCli(
        [
          'estimate',
          input,
          '--json',
          '--map',
          'empresa=Razão Social',
          '--base-url',
          served.sandboxUrl,
          '--cache',
          join(dir, 'estimate-cache.sqlite'),
        ],
        { env: { FLUENCE_API_KEY: KEY } },
      );
      expect(cli.code, cli.stderr).toBe(0);
      const estimate = JSON.parse(cli.stdout);
      const figures = await shownFigures(page);
      for (const name of [
        'rows',
        'valid',
        'invalid',
        'duplicates',
        'alreadyAnswered',
        'toAsk',
        'maxCredits',
        'creditsLeft',
        'seconds',
      ])
        expect(figures[name], name).toEqual(estimate[name]);
      expect(estimate.toAsk).toBeGreaterThan(100);
      // The figures are the chosen column's, not the detected one's.
      expect(figures.invalid).toBe(detected.invalid + 1);
      const reasons = await page.$$eval('#invalid-reasons li', (nodes) =>
        nodes.map((n) => ({
          reason: n.querySelector('.reason')!.textContent,
          rows: Number((n as HTMLElement).dataset.rows),
        })),
      );
      expect(reasons).toEqual(estimate.invalidReasons);
      expect(await page.$eval('#start', (b) => b.textContent)).toContain(`${estimate.maxCredits} credits`);

      // 4. Start, and watch the server's pushes move the counters.
      await recordProgress(page);
      await page.click('#start');
      await page.waitForFunction(() => (window as unknown as { seen: string[] }).seen.length >= 3, { timeout: 60_000 });
      // The live chart got the points (through the Vega view, the chart drawn once): two lines, rate and plan.
      await page.waitForFunction(
        () =>
          Array.from(document.querySelectorAll('#rate-chart .mark-line path')).filter((p) =>
            /[LC]/.test(p.getAttribute('d') ?? ''),
          ).length === 2,
        { timeout: 60_000 },
      );
      await page.click('#stop');
      await page.waitForSelector('#run-result[data-status="stopped"]', { timeout: 60_000 });
      // The runs list offers to resume it; the run's own Resume button does it here.
      await page.waitForSelector('#runs li[data-status="stopped"] button');
      const id = await page.$eval('#runs li[data-status="stopped"]', (li) => (li as HTMLElement).dataset.id!);
      const stopped = await page.evaluate(async (run) => (await fetch(`/api/runs/${run}`)).json(), id);
      expect(stopped.summary.byStatus.pending, 'the stop landed mid-run').toBeGreaterThan(0);
      const stoppedAt = await page.$eval('#run-progress', (p) => [
        (p as HTMLProgressElement).value,
        (p as HTMLProgressElement).max,
      ]);
      expect(stoppedAt[0], 'the bar shows the rows done, not the pending ones written').toBeLessThan(stoppedAt[1]!);
      const before = await progressSeen(page);
      await page.click('#resume');
      await page.waitForFunction((n) => (window as unknown as { seen: string[] }).seen.length > n, {}, before);
      // Reloaded mid-run (the resumed part has most of the file to do), the page finds the run and follows it.
      await page.reload({ waitUntil: 'load' });
      await page.waitForSelector('#step-run:not([hidden]) #counters dd');
      await page.waitForSelector('#run-result[data-status="finished"]', { timeout: 120_000 });

      // 5. Download the result from the page's own link.
      const href = await page.$eval('#download', (a) => (a as HTMLAnchorElement).href);
      const downloaded = await page.evaluate(async (url) => {
        const response = await fetch(url);
        return { status: response.status, text: await response.text() };
      }, href);
      expect(downloaded.status).toBe(200);
      const fromPage: Array<Record<string, string>> = parse(downloaded.text, { columns: true, bom: true });
      expect(fromPage.filter((row) => row.fluence_status === 'pending')).toEqual([]);

      // The sandbox's ledger: across the stop and the resume, no contact was paid twice.
      const ledger = await (await fetch(`${served.sandboxUrl}/__sandbox/ledger?contacts=1`)).json();
      expect(ledger.repeatCharges).toBe(0);
      // The credits the page says the run spent (both parts) are what the sandbox charged net of refunds.
      const net = Object.values(ledger.keys as Record<string, { net: number }>).reduce((sum, k) => sum + k.net, 0);
      expect(Number(await page.$eval('#run-result', (p) => (p as HTMLElement).dataset.credits))).toBe(net);
      expect(Object.values(ledger.chargesPerContact as Record<string, number>).every((n) => n === 1)).toBe(true);
      // Refunded answers (too little public data) leave the charged contacts a little under the estimate's "at most".
      expect(ledger.contactsCharged).toBeGreaterThan(estimate.toAsk * 0.8);
      expect(ledger.contactsCharged).toBeLessThanOrEqual(estimate.toAsk);

      // The same file and --map through `enrich` (its own sandbox) writes the same rows, credits aside.
      await withSandbox({}, async (sandbox) => {
        const cliDir = await workdir();
        const run = await enrich(sandbox, input, cliDir, ['--map', 'empresa=Razão Social']);
        expect(run.code, run.stderr).toBe(0);
        expect(stable(fromPage)).toEqual(stable(run.rows));
      });
      expect(problems).toEqual([]);
    });
  }, 300_000);

  it("a workbook's first sheet without contacts: the CLI's message before any cost, then the sheet picked prices it", async () => {
    const dir = await workdir();
    const served = await serve(dir, 5);
    await onPage(served, ['en'], undefined, async (page, problems) => {
      await (await page.$('input#file-input'))!.uploadFile(
        fileURLToPath(new URL('../fixtures/xlsx/openpyxl-sheets.xlsx', import.meta.url)),
      );
      await page.waitForSelector('#refused:not([hidden])');
      expect(await page.$eval('#refused-message', (p) => p.textContent)).toMatch(/no column for primeiro_nome/);
      expect(await page.$eval('#step-cost', (s) => (s as HTMLElement).hidden)).toBe(true);
      expect(await page.$$eval('#sheet option', (nodes) => nodes.map((n) => n.textContent))).toEqual([
        'Resumo',
        'Contatos',
      ]);

      await page.select('#sheet', 'Contatos');
      await estimateShown(page);
      expect(await page.$eval('#refused', (r) => (r as HTMLElement).hidden)).toBe(true);
      expect((await shownFigures(page)).toAsk).toBeGreaterThan(0);
      // Refused, read, priced: not one CRM request.
      const ledger = await (await fetch(`${served.sandboxUrl}/__sandbox/ledger`)).json();
      expect(ledger.totalCharged).toBe(0);
      // The refusal's 422 is the only thing the browser reports.
      expect(problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
    });
  }, 120_000);

  it("a refused column shows what was taken (not every field 'not used'); fixed from its list, the right people are priced and paid; a cap stops at the cap and says so", async () => {
    const dir = await workdir();
    const served = await serve(dir, 50);
    await onPage(served, ['en'], undefined, async (page, problems) => {
      await (await page.$('input#file-input'))!.uploadFile(
        fileURLToPath(new URL('../fixtures/wrong-person/salesforce-account-ids.csv', import.meta.url)),
      );
      await page.waitForSelector('#refused:not([hidden]) ~ #preview-block[hidden]');
      await page.waitForSelector('#map-empresa');
      const lists = () =>
        page.$$eval('#mapping select, #dialect select', (nodes) =>
          Object.fromEntries(nodes.map((n) => [n.id, (n as HTMLSelectElement).value])),
        );
      // Beside the refusal, the lists say which columns the tool took, and how it read the file.
      expect(await lists()).toEqual({
        encoding: 'utf8',
        delimiter: ',',
        'map-primeiro_nome': 'First Name',
        'map-ultimo_nome': 'Last Name',
        'map-empresa': 'Account',
        'map-nome_completo': '',
      });

      await page.select('#map-empresa', 'Account: Account Name');
      await estimateShown(page);
      expect((await lists())['map-empresa']).toBe('Account: Account Name');
      expect((await shownFigures(page)).toAsk).toBe(3);
      expect(
        await page.$$eval('#preview tbody tr td:nth-child(4)', (cells) => cells.map((c) => c.textContent)),
      ).toEqual(['Almeida & Filhos Ltda.', 'Grupo Horizonte', 'Transportes Rápido Sul']);

      // A cap below the cost: the run stops at it, as --max-credits does, and the page says it was the cap.
      await page.type('#budget', '1');
      await page.waitForFunction(() => document.getElementById('start')!.textContent === 'Start: up to 1 credit');
      await page.click('#start');
      await page.waitForSelector('#run-result[data-status="stopped"]', { timeout: 60_000 });
      expect(await page.$eval('#run-result', (r) => r.textContent)).toBe(
        'Stopped at your limit of 1 credit: 2 rows were not asked. Resume asks them, spending at most the limit below (answers already paid are not paid again).',
      );
      const ledger = await (await fetch(`${served.sandboxUrl}/__sandbox/ledger?contacts=1`)).json();
      expect(ledger.totalCharged).toBe(1);
      // The cap for the rest is the person's: the field shows what is left of it (nothing), emptied,
      // Resume finishes (not another 1 credit per press).
      expect(await page.$eval('#resume-budget', (i) => (i as HTMLInputElement).value)).toBe('0');
      expect(await page.$eval('#resume-limit', (p) => p.textContent)).toMatch(
        /limit for this run: 1 credit, of which 0 credits are left/,
      );
      await page.$eval('#resume-budget', (i) => {
        (i as HTMLInputElement).value = '';
      });
      await page.click('#resume');
      await page.waitForSelector('#run-result[data-status="finished"]', { timeout: 60_000 });
      const after = await (await fetch(`${served.sandboxUrl}/__sandbox/ledger?contacts=1`)).json();
      expect(after.totalCharged).toBe(3);
      expect(after.paidMoreThanOnce).toEqual([]);
      // The right people: the companies by name, never an account id.
      const paid = Object.keys(after.chargesPerContact).join('\n');
      expect(paid).not.toMatch(/0015g/i);
      expect(problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
    });
  }, 120_000);

  it('a file without empresa keeps Nome and Sobrenome chosen; two Empresa columns listed by number and values, column 5 chosen is what is asked; the report names the file as uploaded; a quota stop says when it renews', async () => {
    const dir = await workdir();
    const served = await serve(dir, 50, 'crm_enterprise', { monthly_quota: 2 });
    const missing = join(dir, 'sem-empresa.csv');
    await writeFile(missing, 'Nome,Sobrenome,Cidade,Cargo\nAna,Silva,São Paulo,CFO\nBruno,Souza,Rio,CTO\n');
    const twins = join(dir, 'empresas duplicadas.csv');
    await writeFile(
      twins,
      'Nome,Sobrenome,Empresa,Cidade,Empresa\nMariana,Costa,Gerdau,São Paulo,Gerdau\nRafael,Oliveira,Vale,Rio,Ambev\nJuliana,Pereira,iFood,Recife,TOTVS\n',
    );
    await onPage(served, ['pt-BR'], undefined, async (page, problems) => {
      const lists = () =>
        page.$$eval('#mapping select', (nodes) =>
          Object.fromEntries(nodes.map((n) => [n.id, (n as HTMLSelectElement).value])),
        );
      await (await page.$('input#file-input'))!.uploadFile(missing);
      await page.waitForSelector('#refused:not([hidden])');
      await page.waitForSelector('#map-empresa');
      // What the headers named stays chosen: only the company is left to choose.
      expect(await lists()).toEqual({
        'map-primeiro_nome': 'Nome',
        'map-ultimo_nome': 'Sobrenome',
        'map-empresa': '',
        'map-nome_completo': '',
      });

      await (await page.$('input#file-input'))!.uploadFile(twins);
      await page.waitForFunction(() =>
        Array.from(document.querySelectorAll('#map-empresa option')).some((o) =>
          o.textContent?.startsWith('Empresa (coluna'),
        ),
      );
      expect(await page.$eval('#refused-message', (p) => p.textContent)).toMatch(/"Empresa".*\(3 .* 5\)/);
      expect(
        await page.$$eval('#map-empresa option', (nodes) =>
          nodes.map((n) => [(n as HTMLOptionElement).value, n.textContent]),
        ),
      ).toEqual([
        ['', '— nenhuma —'],
        ['Nome', 'Nome'],
        ['Sobrenome', 'Sobrenome'],
        ['3', 'Empresa (coluna 3): Gerdau, Vale, iFood'],
        ['Cidade', 'Cidade'],
        ['5', 'Empresa (coluna 5): Gerdau, Ambev, TOTVS'],
      ]);
      expect((await lists())['map-empresa']).toBe('3');

      await page.select('#map-empresa', '5');
      await estimateShown(page);
      expect(await page.$eval('#refused', (r) => (r as HTMLElement).hidden)).toBe(true);
      expect((await lists())['map-empresa']).toBe('5');
      expect(
        await page.$$eval('#preview tbody tr td:nth-child(4)', (cells) => cells.map((c) => c.textContent)),
      ).toEqual(['Gerdau', 'Ambev', 'TOTVS']);

      // The key's monthly quota is 2: the third row is left for when it renews, and the page says when.
      await page.click('#start');
      await page.waitForSelector('#run-result[data-status="stopped"]', { timeout: 60_000 });
      const runs = await page.evaluate(async () => (await fetch('/api/runs')).json());
      expect(runs[0].name).toBe('empresas duplicadas.csv');
      expect(runs[0].options.map).toContain('empresa=5');
      const run = await page.evaluate(async (id: string) => (await fetch(`/api/runs/${id}`)).json(), runs[0].id);
      expect(run.summary.stopReason).toBe('quota');
      const renews = await page.evaluate(
        (at: string) => new Date(at).toLocaleString('pt-BR', { dateStyle: 'short', timeStyle: 'short' }),
        run.summary.quotaResetsAt,
      );
      expect(await page.$eval('#run-result', (r) => r.textContent)).toMatch(
        new RegExp(`aperte Retomar quando ela renovar .* A cota renova em ${renews.replace(/[/.]/g, '\\$&')}\\.$`),
      );
      // The rows asked carry column 5's companies: Rafael at Ambev, never at Vale.
      const ledger = await (await fetch(`${served.sandboxUrl}/__sandbox/ledger?contacts=1`)).json();
      const asked = JSON.stringify(ledger);
      expect(asked).toMatch(/ambev/i);
      expect(asked).not.toMatch(/vale/i);
      // The report is titled with the file's own name, not the name it is stored under.
      const report = await page.evaluate(async (id: string) => (await fetch(`/api/runs/${id}/report`)).text(), run.id);
      expect(report).toMatch(/<title>[^<]*empresas duplicadas\.csv<\/title>/);
      const stored = readdirSync(join(dir, 'work', 'uploads')).filter((f) => f.endsWith('.csv'));
      expect(stored).toHaveLength(2);
      for (const name of stored) expect(report).not.toContain(name);
      expect(problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
    });
  }, 120_000);

  it('pt-BR: a limit typed "1.000" is a thousand, "-3" and "1,5" are refused beside the field; after Stop, Resume shows the limit and what is left of it, and keeps it', async () => {
    const dir = await workdir();
    const served = await serve(dir, 8);
    await onPage(served, ['pt-BR'], undefined, async (page, problems) => {
      await (await page.$('input#file-input'))!.uploadFile(await exportWithRazaoSocial(dir));
      await estimateShown(page);
      const { toAsk } = await shownFigures(page);
      const start = () => page.$eval('#start', (b) => [b.textContent, (b as HTMLButtonElement).disabled]);
      const typeLimit = async (text: string) => {
        await page.$eval('#budget', (i) => {
          (i as HTMLInputElement).value = '';
        });
        await page.type('#budget', text);
      };
      // Before: Number("1.000") is 1, "até 1 crédito".
      await typeLimit('1.000');
      expect(await start()).toEqual([`Começar: até ${toAsk} créditos`, false]);
      for (const bad of ['-3', '1,5', 'mil']) {
        await typeLimit(bad);
        await page.waitForSelector('#budget-error:not([hidden])');
        expect(await page.$eval('#budget-error', (p) => p.textContent)).toBe(
          'Digite um número inteiro de créditos, 0 ou mais (como 1.000), ou deixe o campo vazio.',
        );
        expect((await start())[1], bad).toBe(true);
      }
      await typeLimit('0');
      await page.waitForSelector('#budget-error[hidden]');
      expect(await page.$eval('#budget-zero', (p) => (p as HTMLElement).hidden)).toBe(false);
      expect((await start())[0]).toBe('Começar: até 0 créditos');
      await typeLimit('1.000');
      expect(await start()).toEqual([`Começar: até ${toAsk} créditos`, false]);
      await page.click('#start');
      const charged = async () =>
        (await (await fetch(`${served.sandboxUrl}/__sandbox/ledger?contacts=1`)).json()).totalCharged as number;
      while ((await charged()) < 10) await new Promise((resolve) => setTimeout(resolve, 100));
      await page.click('#stop');
      await page.waitForSelector('#run-result[data-status="stopped"]', { timeout: 60_000 });
      const spent = await charged();
      // Before: hidden after a Stop, the limit out of sight.
      await page.waitForSelector('#resume-budget-field:not([hidden])');
      expect(await page.$eval('#resume-budget', (i) => (i as HTMLInputElement).value)).toBe(String(1000 - spent));
      expect(await page.$eval('#resume-limit', (p) => p.textContent)).toBe(
        `Seu limite de custo para esta execução: 1.000 créditos; restam ${1000 - spent} créditos. Ao retomar, ela gasta no máximo o que resta, a não ser que você digite outro limite aqui.`,
      );
      await page.click('#resume');
      await page.waitForSelector('#run-result[data-status="finished"]', { timeout: 90_000 });
      const after = await (await fetch(`${served.sandboxUrl}/__sandbox/ledger?contacts=1`)).json();
      expect(after.totalCharged).toBeGreaterThan(spent);
      expect(after.totalCharged).toBeLessThanOrEqual(toAsk);
      expect(after.paidMoreThanOnce).toEqual([]);
      // Finished: nothing left to ask, no Resume offered.
      expect(await page.$eval('#resume', (b) => (b as HTMLElement).hidden)).toBe(true);
      expect(await page.$eval('#resume-budget-field', (b) => (b as HTMLElement).hidden)).toBe(true);
      expect(problems).toEqual([]);
    });
  }, 180_000);

  it("a key whose plan cannot use the CRM is said at the top, not as the file's fault; a failed run's error reads as its message in the list", async () => {
    const dir = await workdir();
    // A failed run an earlier server left in the work folder, as the server writes it.
    const runDir = join(dir, 'work', 'runs', 'mx00000001-0000abcd');
    await mkdir(runDir, { recursive: true });
    await writeFile(
      join(runDir, 'run.json'),
      JSON.stringify({
        id: 'mx00000001-0000abcd',
        upload: 'mx00000001-0000abce',
        name: 'leads.csv',
        options: { map: [] },
        output: 'output.csv',
        status: 'failed',
        startedAt: '2026-01-05T10:00:00.000Z',
        finishedAt: '2026-01-05T10:00:01.000Z',
        exitCode: 1,
        error: { code: 'OUTPUT_LOCKED', message: 'the output is being written by another fluence-enrich run' },
      }),
    );
    // And one a killed server left running: its credits are a floor.
    const cutDir = join(dir, 'work', 'runs', 'mx00000002-0000abcd');
    await mkdir(cutDir, { recursive: true });
    await writeFile(
      join(cutDir, 'run.json'),
      JSON.stringify({
        id: 'mx00000002-0000abcd',
        upload: 'mx00000001-0000abce',
        name: 'leads.csv',
        options: { map: [] },
        output: 'output.csv',
        status: 'running',
        startedAt: '2026-01-05T11:00:00.000Z',
        progress: { rows: 30, total: 60, credits: 27 },
      }),
    );
    // A plan without the CRM endpoints: every estimate and run is refused, and nothing is spent.
    const served = await serve(dir, 50, 'platform_professional');
    await onPage(served, ['en'], undefined, async (page) => {
      await page.waitForSelector('#runs li[data-status="failed"] .help');
      const shown = await page.$eval('#runs li[data-status="failed"] .help', (p) => p.textContent);
      expect(shown).toBe('the output is being written by another fluence-enrich run');
      const cut = await page.$eval('#runs li[data-id="mx00000002-0000abcd"]', (li) => li.textContent);
      expect(cut).toMatch(/Creditsat least 27/);
      expect(cut).toMatch(/stopped/);

      await page.waitForSelector('#key-problem:not([hidden])');
      expect(await page.$eval('#key-problem', (p) => p.textContent)).toMatch(
        /^The API key this server uses cannot enrich contacts: this key's plan \(platform_professional\) cannot use the CRM endpoints/,
      );
      const estimated = page.waitForResponse((r) => r.url().endsWith('/estimate'));
      await (await page.$('input#file-input'))!.uploadFile(
        fileURLToPath(new URL('../fixtures/bad/semicolon-delimited.csv', import.meta.url)),
      );
      expect((await estimated).status()).toBe(422);
      await page.waitForFunction(() => document.getElementById('cost-busy')!.hidden);
      // The file is fine: no "this file cannot be used", no error toast; the columns stay checkable.
      expect(await page.$$eval('#preview tbody tr', (rows) => rows.length)).toBe(1);
      expect(await page.$eval('#refused', (r) => (r as HTMLElement).hidden)).toBe(true);
      expect(await page.$eval('#problem', (r) => (r as HTMLElement).hidden)).toBe(true);
      expect(await page.$eval('#step-cost', (r) => (r as HTMLElement).hidden)).toBe(true);
      const ledger = await (await fetch(`${served.sandboxUrl}/__sandbox/ledger`)).json();
      expect(ledger.totalCharged).toBe(0);
    });
  }, 120_000);

  it('at phone width (375 x 740), in Portuguese, every step renders without sideways scroll', async () => {
    const dir = await workdir();
    const input = await exportWithRazaoSocial(dir);
    const served = await serve(dir, 5);
    await onPage(
      served,
      ['pt-BR', 'pt', 'en'],
      { width: 375, height: 740, isMobile: true, hasTouch: true },
      async (page, problems) => {
        await page.waitForFunction(() => document.getElementById('account-credits')!.textContent === '1.000');
        expect(await page.$eval('h1', (h) => h.textContent)).toBe('Enriquecer uma planilha de contatos');
        const fits = () =>
          page.evaluate(() => ({
            page: document.documentElement.scrollWidth,
            viewport: window.innerWidth,
            steps: Array.from(document.querySelectorAll<HTMLElement>('.step'))
              .filter((s) => !s.hidden)
              .map((s) => ({ id: s.id, right: s.getBoundingClientRect().right })),
          }));
        const check = async (when: string) => {
          const layout = await fits();
          expect(layout.page, `${when}: the page scrolls sideways`).toBeLessThanOrEqual(layout.viewport);
          for (const step of layout.steps)
            expect(step.right, `${when}: ${step.id}`).toBeLessThanOrEqual(layout.viewport);
          return layout.steps.map((s) => s.id);
        };
        expect(await check('at first')).toEqual(['step-file', 'step-runs']);

        await (await page.$('input#file-input'))!.uploadFile(input);
        await estimateShown(page);
        expect(await check('columns and cost')).toEqual(['step-file', 'step-columns', 'step-cost', 'step-runs']);

        await recordProgress(page);
        await page.click('#start');
        await page.waitForFunction(() => (window as unknown as { seen: string[] }).seen.length >= 2, {
          timeout: 60_000,
        });
        await page.click('#stop');
        await page.waitForSelector('#run-result[data-status="stopped"]', { timeout: 60_000 });
        await page.waitForSelector('#runs li[data-status="stopped"]');
        expect(await check('run, download and runs')).toEqual([
          'step-file',
          'step-columns',
          'step-cost',
          'step-run',
          'step-download',
          'step-runs',
        ]);
        // The chart was drawn to the phone's width, not a desktop chart cut off.
        const chart = await page.$eval('#rate-chart svg', (svg) => svg.getBoundingClientRect().width);
        expect(chart).toBeGreaterThan(200);
        expect(chart).toBeLessThanOrEqual(375);
        expect(problems).toEqual([]);
      },
    );
  }, 180_000);

  it('keyboard alone, in English and Portuguese: axe finds no serious violation at any step; preview rows are spreadsheet rows and a repeat says so; plurals for 0, 1, 2 and 1468; the server stopping is said as such', async () => {
    for (const language of ['en', 'pt-BR']) {
      const pt = language === 'pt-BR';
      const dir = await workdir();
      // The first contact's notes hold a line break (two file lines, one spreadsheet row); row 4 repeats row 2.
      const people = Array.from({ length: 30 }, (_, i) => `${i + 1},Pessoa${i},Silva,Acme Teclado,nota ${i}`);
      people[0] = '1,Maria,Souza,Acme Teclado,"primeira linha\nsegunda linha"';
      people[2] = '3,Maria,Souza,Acme Teclado,de novo';
      const input = join(dir, 'teclado.csv');
      await writeFile(input, `id,primeiro_nome,ultimo_nome,empresa,notas\n${people.join('\n')}\n`);
      const served = await serve(dir, 4);
      await onPage(served, [language], undefined, async (page) => {
        await page.waitForSelector('#runs');
        expect(await axeViolations(page), 'opened').toEqual([]);

        // The file chooser, reached and opened from the keyboard.
        expect(await tabTo(page, 'file-input')).toBe(true);
        const [chooser] = await Promise.all([page.waitForFileChooser(), page.keyboard.press('Space')]);
        await chooser.accept([input]);
        await estimateShown(page);
        const preview = await page.$$eval('#preview tbody tr', (rows) =>
          rows.map((row) => Array.from(row.querySelectorAll('td')).map((td) => td.textContent)),
        );
        expect(preview.slice(0, 4).map((row) => row[0])).toEqual(['2', '3', '4', '5']);
        expect(preview[2]![4]).toBe(
          pt
            ? 'repete a linha 2: consultada uma só vez, a resposta vale para as duas'
            : 'repeat of row 2: asked once, its answer written on both',
        );
        expect(preview[1]![4]).toBe(pt ? 'pronta' : 'ready');
        expect(await axeViolations(page), 'estimated').toEqual([]);

        // A string, not a function: the test runner would rewrite a function's import().
        const plurals = (await page.evaluate(`(async () => {
          const { t } = await import('/web/i18n.js');
          return [0, 1, 2, 1468].map((n) => [t('credit', { n }), t('runFinished', { ok: n, credits: '' }), t('bytes', { n })]);
        })()`)) as string[][];
        expect(plurals.map((p) => p[0])).toEqual(
          pt
            ? ['0 créditos', '1 crédito', '2 créditos', '1.468 créditos']
            : ['0 credits', '1 credit', '2 credits', '1,468 credits'],
        );
        // Rows, not contacts: a repeated contact's two rows are both found.
        const found = pt
          ? ['0 linhas encontradas;', '1 linha encontrada;', '2 linhas encontradas;', '1.468 linhas encontradas;']
          : ['0 rows found,', '1 row found,', '2 rows found,', '1,468 rows found,'];
        expect(plurals.map((p: string[], i: number) => p[1]!.includes(found[i]!))).toEqual([true, true, true, true]);
        expect(plurals.map((p: string[]) => p[2])).toEqual(
          pt ? ['0 bytes', '1 byte', '2 bytes', '1.468 bytes'] : ['0 bytes', '1 byte', '2 bytes', '1,468 bytes'],
        );
        expect(await page.$eval('#start', (b) => b.textContent)).toBe(
          pt ? 'Começar: até 29 créditos' : 'Start: up to 29 credits',
        );

        // Start, from the keyboard.
        expect(await tabTo(page, 'start')).toBe(true);
        await page.keyboard.press('Enter');
        await page.waitForSelector('#step-run:not([hidden]) #counters dd');
        expect(await axeViolations(page), 'running').toEqual([]);
        if (pt) {
          // The server dies while the run is on screen: said as such, not "Failed to fetch", and the
          // panel no longer says it runs (no time left, no Stop that reaches nobody).
          served.child.kill('SIGKILL');
          await page.waitForSelector('#run-state[data-status="disconnected"]', { timeout: 60_000 });
          expect(await page.$eval('#stop', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
          expect(await page.$eval('#run-state', (p) => p.textContent)).toMatch(/^Sem conexão/);
          expect(await page.$eval('#counters', (dl) => dl.textContent)).toMatch(/Tempo restante—/);
        } else {
          // While it runs, the header's credits and the list's entry follow the panel.
          await page.waitForFunction(
            () => {
              const panel = document.querySelector('#counters .strong dd')?.textContent;
              const listed = document.querySelector('#runs li [data-field="credits"]')?.textContent;
              return (
                document.getElementById('run-state')!.dataset.status === 'running' && panel !== '0' && panel === listed
              );
            },
            { timeout: 60_000 },
          );
          await page.waitForFunction(
            () =>
              document.getElementById('run-state')!.dataset.status === 'running' &&
              document.getElementById('account-credits')!.textContent !== '1,000',
            { timeout: 60_000 },
          );
          await page.waitForSelector('#run-result[data-status="finished"]', { timeout: 60_000 });
          const counters = await page.$eval('#counters', (dl) => dl.textContent);
          expect(counters).toMatch(/Time left—/);
          // Started with Enter: the focus goes to what happened, not to the page's start.
          expect(await page.evaluate(() => document.activeElement?.id)).toBe('run-result');
          expect(await page.$eval('#run-result', (p) => p.textContent)).toMatch(/^Finished: \d+ rows? found, /);
          // After it, every money figure agrees with the account: the header, the list, step 3 priced again.
          const account = await page.evaluate(async () => (await fetch('/api/account')).json());
          const left = (account.creditsLeft as number).toLocaleString('en');
          await page.waitForFunction(
            (want) => document.getElementById('account-credits')!.textContent === want,
            {},
            left,
          );
          await estimateShown(page);
          const after = await shownFigures(page);
          expect(after.creditsLeft).toBe(account.creditsLeft);
          expect(after.toAsk).toBe(0);
          expect(await page.$eval('#cost-sentence', (p) => p.textContent)).toContain(`you have ${left} credits`);
          const spent = await page.$eval('#run-result', (p) => (p as HTMLElement).dataset.credits);
          await page.waitForFunction(
            (want) => document.querySelector('#runs li [data-field="credits"]')?.getAttribute('data-value') === want,
            {},
            spent,
          );
          expect(1000 - account.creditsLeft).toBe(Number(spent));
          expect(await axeViolations(page), 'finished').toEqual([]);
          await stopServer(served);
          expect(await tabTo(page, 'refresh-runs')).toBe(true);
          await page.keyboard.press('Enter');
        }
        await page.waitForSelector('#problem:not([hidden])', { timeout: 60_000 });
        const said = await page.$eval('#problem-message', (p) => p.textContent);
        expect(said).toMatch(pt ? /^O servidor local não está rodando/ : /^The local server is not running/);
        expect(said).not.toMatch(/Failed to fetch/);
        expect(await axeViolations(page), 'server gone').toEqual([]);
      });
    }
  }, 240_000);
  it('another run watched from the list: the panel follows it alone, Stop stops it and not the one left, whose events no longer reach the panel', async () => {
    const dir = await workdir();
    const input = await exportWithRazaoSocial(dir);
    const served = await serve(dir, 3);
    await onPage(served, ['en'], undefined, async (page, problems) => {
      const startOne = async () => {
        await (await page.$('input#file-input'))!.uploadFile(input);
        await estimateShown(page);
        await page.click('#start');
        await page.waitForSelector('#step-run:not([hidden]) #counters dd', { timeout: 60_000 });
      };
      const running = () =>
        page.$$eval('#runs li[data-status="running"]', (nodes) => nodes.map((li) => (li as HTMLElement).dataset.id!));
      const run = (id: string) => page.evaluate(async (r) => (await fetch(`/api/runs/${r}`)).json(), id);

      await startOne();
      await page.waitForFunction(() => document.querySelectorAll('#runs li[data-status="running"]').length === 1);
      const [first] = await running();
      // Another file (the same export again) started while the first still runs: the panel is the second's.
      await startOne();
      await page.waitForFunction(() => document.querySelectorAll('#runs li[data-status="running"]').length === 2);
      const second = (await running()).find((id) => id !== first)!;

      // Back to the first from the list, then Stop: it stops the run on screen.
      await page.click(`#runs li[data-id="${first}"] button`);
      await page.waitForSelector('#step-run:not([hidden]) #run-state[data-status="running"] ~ #counters dd');
      await page.click('#stop');
      await page.waitForSelector('#run-result[data-status="stopped"]', { timeout: 60_000 });
      const stopped = await run(first!);
      expect(stopped.status).toBe('stopped');
      expect(Number(await page.$eval('#run-result', (p) => (p as HTMLElement).dataset.credits))).toBe(stopped.credits);

      // The second goes on; nothing of it reaches the panel, which still says the first's end.
      const shown = () => page.$eval('#step-run', (s) => [s.querySelector('#run-rows')!.textContent, s.textContent]);
      const before = await shown();
      const rowsBefore = (await run(second)).rows;
      await expect
        .poll(async () => (await run(second)).rows, { timeout: 30_000, interval: 500 })
        .toBeGreaterThan(rowsBefore + 5);
      expect((await run(second)).status).toBe('running');
      expect(await shown()).toEqual(before);
      expect(await page.$eval('#run-result', (p) => (p as HTMLElement).dataset.status)).toBe('stopped');
      expect(problems).toEqual([]);
    });
  }, 180_000);
});
