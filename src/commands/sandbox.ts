import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withOptions } from './yargs-options.js';
import { resolveOptions } from '../options/values.js';
import { parseFaultRates, parseLatency } from '../sandbox/faults.js';
import { DEMO_KEYS, loadKeysFile } from '../sandbox/keys.js';
import { startSandbox } from '../sandbox/server.js';
import { takeOverSignals } from './signals.js';
import { t, type Lang } from '../i18n/index.js';

export const sandboxCommand = (lang: Lang): CommandModule => ({
  command: 'sandbox',
  describe: t(lang, 'cli.sandbox.describe'),
  builder: (yargs: Argv) =>
    withOptions(yargs, 'sandbox', lang)
      .example('$0 sandbox --port 0', t(lang, 'cli.sandbox.example.port'))
      .example('$0 sandbox --latency 300-3000 --fault error500=0.02', t(lang, 'cli.sandbox.example.faults')),
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
    process.stdout.write(`${t(lang, 'cli.sandbox.listening', { url: sandbox.url })}\n`);
    if (!options.keys) {
      process.stdout.write(`${t(lang, 'cli.sandbox.demoKeys')}\n`);
      for (const k of DEMO_KEYS)
        process.stdout.write(
          `  ${k.plan.padEnd(22)} ${k.key}  ${t(lang, 'cli.sandbox.keyCredits', { credits: k.credits })}\n`,
        );
      const command = `FLUENCE_API_KEY=${DEMO_KEYS[0]!.key} FLUENCE_BASE_URL=${sandbox.url} fluence-enrich credits`;
      process.stdout.write(`${t(lang, 'cli.sandbox.try', { command })}\n`);
    }
    await new Promise<void>((resolve) => takeOverSignals(() => resolve()));
    await sandbox.close();
  },
});
