import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { EXIT } from './exit-codes.js';
import { takeOverSignals } from './signals.js';
import { withOptions } from './yargs-options.js';
import { createLogger } from '../log.js';
import { normalizeConnection } from '../options/normalize.js';
import { resolveOptions } from '../options/values.js';
import { parseLatency } from '../sandbox/faults.js';
import { DEMO_KEYS, loadKeysFile } from '../sandbox/keys.js';
import { startSandbox, type Sandbox } from '../sandbox/server.js';
import { WorkDir } from '../serve/work-dir.js';
import { t, type Lang } from '../i18n/index.js';
import { said } from '../log.js';

export const serveCommand = (lang: Lang): CommandModule => ({
  command: 'serve',
  describe: t(lang, 'cli.serve.describe'),
  builder: (yargs: Argv) =>
    withOptions(yargs, 'serve', lang)
      .example('FLUENCE_API_KEY=... $0 serve --open', t(lang, 'cli.serve.example.open'))
      .example('$0 serve --sandbox', t(lang, 'cli.serve.example.sandbox'))
      .example('$0 serve --host 0.0.0.0 --dir /data/fluence-work', t(lang, 'cli.serve.example.docker')),
  handler: async (args: ArgumentsCamelCase) => {
    const options = resolveOptions('serve', args, process.env);
    // The server and its framework load only for this command (~150 ms off every other command's start).
    const { isLoopback, startServer } = await import('../serve/start.js');
    const logger = createLogger('info', process.stderr.isTTY ? 'pretty' : 'json', lang);
    if (!isLoopback(options.host))
      // It said "reachable from other machines", yet one asking by this machine's IP or name got 403 (the Host check): say how.
      logger.warn(...said('cli.serve.host', { host: options.host }));
    let sandbox: Sandbox | undefined;
    let connection: { baseUrl: string; apiKey: string };
    if (options.sandbox) {
      // The sandbox's key is held by this process like a real one: never sent to the page.
      const keys = options.keys ? await loadKeysFile(options.keys) : DEMO_KEYS;
      sandbox = await startSandbox({
        port: 0,
        keys,
        faults: { latencyMs: options.latency ? parseLatency(options.latency) : 0, rates: {}, seed: 'fluence' },
      });
      connection = { baseUrl: sandbox.url, apiKey: keys[0]!.key };
      process.stdout.write(`${t(lang, 'cli.serve.sandbox', { url: sandbox.url })}\n`);
    } else {
      connection = normalizeConnection(options, process.env, { keyOptional: true });
      if (!connection.apiKey) logger.warn(...said('cli.serve.noKey'));
    }
    const work = new WorkDir(options.dir);
    const served = await startServer(
      {
        work,
        baseUrl: connection.baseUrl,
        apiKey: connection.apiKey,
        maxUpload: options.maxUpload,
        sandbox: sandbox !== undefined,
        logger,
      },
      { host: options.host, port: options.port, allowHosts: options.allowHost },
    );
    if (served.portTaken !== undefined)
      process.stdout.write(
        `${t(lang, 'cli.serve.portTaken', { taken: String(served.portTaken), port: String(served.port) })}\n`,
      );
    process.stdout.write(
      `${t(lang, 'cli.serve.workFolder', { path: work.root })}\n${t(lang, 'cli.serve.open', { url: served.url })}\n`,
    );
    if (options.open) {
      const { default: open } = await import('open');
      await open(served.url).catch(() => logger.warn(...said('cli.serve.noBrowser')));
    }
    // First signal: runs stop as enrich's do (requests in flight finish, output written). Second: leave now.
    let signals = 0;
    await new Promise<void>((resolve) =>
      takeOverSignals(() => {
        signals += 1;
        if (signals === 1) return resolve();
        process.stderr.write(`fluence-enrich: ${t(lang, 'cli.serve.quitting')}\n`);
        process.exit(EXIT.quitNow);
      }),
    );
    process.stdout.write(`${t(lang, 'cli.serve.stopping')}\n`);
    await served.close();
    await sandbox?.close();
  },
});
