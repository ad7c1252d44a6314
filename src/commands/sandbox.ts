import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withOptions } from './yargs-options.js';
import { resolveOptions } from '../options/values.js';
import { parseFaultRates, parseLatency } from '../sandbox/faults.js';
import { DEMO_KEYS, loadKeysFile } from '../sandbox/keys.js';
import { startSandbox } from '../sandbox/server.js';
import { takeOverSignals } from './signals.js';

export const sandboxCommand: CommandModule = {
  command: 'sandbox',
  describe: 'Run a local Fluence API that authenticates, bills, refunds and throttles like the real one',
  builder: (yargs: Argv) =>
    withOptions(yargs, 'sandbox')
      .example('$0 sandbox --port 0', 'start on any free port with the demo keys')
      .example('$0 sandbox --latency 300-3000 --fault error500=0.02', 'slow answers and 2 % server errors'),
  handler: async (args: ArgumentsCamelCase) => {
    const options = resolveOptions('sandbox', args, process.env);
    const keys = options.keys ? await loadKeysFile(options.keys) : DEMO_KEYS;
    const sandbox = await startSandbox({
      port: options.port,
      host: options.host,
      keys,
      authStyle: options.authStyle,
      gateway: options.gateway,
      missingRoutes: options.missingRoute,
      recordArrivals: options.recordArrivals,
      faults: {
        latencyMs: options.latency ? parseLatency(options.latency) : 0,
        rates: parseFaultRates(options.fault),
        seed: options.seed,
      },
    });
    process.stdout.write(`Fluence sandbox listening on ${sandbox.url}\n`);
    if (!options.keys) {
      process.stdout.write('Demo keys (sandbox only):\n');
      for (const k of DEMO_KEYS) process.stdout.write(`  ${k.plan.padEnd(22)} ${k.key}  ${k.credits} credits\n`);
      process.stdout.write(
        `Try: FLUENCE_API_KEY=${DEMO_KEYS[0]!.key} FLUENCE_BASE_URL=${sandbox.url} fluence-enrich credits\n`,
      );
    }
    await new Promise<void>((resolve) => takeOverSignals(() => resolve()));
    await sandbox.close();
  },
};
