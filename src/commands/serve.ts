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

export const serveCommand: CommandModule = {
  command: 'serve',
  describe:
    'A local web page: drop an export, check the columns and the cost, watch the run, download the result (the data stays on this machine)',
  builder: (yargs: Argv) =>
    withOptions(yargs, 'serve')
      .example('FLUENCE_API_KEY=... $0 serve --open', 'start the page and open it in the browser')
      .example('$0 serve --sandbox', 'try the page against the built-in sandbox, no key needed')
      .example('$0 serve --host 0.0.0.0 --dir /data/fluence-work', 'in Docker (with -p 8790:8790)'),
  handler: async (args: ArgumentsCamelCase) => {
    const options = resolveOptions('serve', args, process.env);
    // The server and its framework load only for this command (~150 ms off every other command's start).
    const { isLoopback, startServer } = await import('../serve/start.js');
    const logger = createLogger('info', process.stderr.isTTY ? 'pretty' : 'json');
    if (!isLoopback(options.host))
      logger.warn(
        // It said "reachable from other machines", yet one asking by this machine's IP or name got 403 (the Host check): say how.
        `--host ${options.host}: the server listens on the network (still only with the token); other machines reach it only by a name given with --allow-host (this machine's IP or name: a request by any other Host is refused), loopback names always work (Docker's -p). Prefer 127.0.0.1 unless in a container`,
      );
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
      process.stdout.write(`Sandbox (no real credits) at ${sandbox.url}\n`);
    } else {
      connection = normalizeConnection(options, process.env, { keyOptional: true });
      if (!connection.apiKey)
        logger.warn(
          'no API key (FLUENCE_API_KEY or --api-key-file): the page checks columns and estimates, but cannot run',
        );
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
      process.stdout.write(`Port ${served.portTaken} is taken: using ${served.port} instead\n`);
    process.stdout.write(`Work folder: ${work.root}\nOpen: ${served.url}\n`);
    if (options.open) {
      const { default: open } = await import('open');
      await open(served.url).catch(() => logger.warn('could not open a browser: open the address above'));
    }
    // First signal: runs stop as enrich's do (requests in flight finish, output written). Second: leave now.
    let signals = 0;
    await new Promise<void>((resolve) =>
      takeOverSignals(() => {
        signals += 1;
        if (signals === 1) return resolve();
        process.stderr.write(
          'fluence-enrich: quitting now (exit 130): requests still in flight were abandoned; resuming those runs may pay for them again\n',
        );
        process.exit(EXIT.quitNow);
      }),
    );
    process.stdout.write(
      'Stopping: runs under way finish their requests in flight and write their output (resumable); a second Ctrl-C quits now\n',
    );
    await served.close();
    await sandbox?.close();
  },
};
