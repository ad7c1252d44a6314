import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { FluenceError } from '../errors.js';
import { FAULT_KINDS, parseFaultRates, parseLatency } from '../sandbox/faults.js';
import { DEMO_KEYS, loadKeysFile } from '../sandbox/keys.js';
import { startSandbox } from '../sandbox/server.js';
import { takeOverSignals } from '../cli/signals.js';

interface SandboxArgs {
  port: number;
  host: string;
  keys?: string;
  'auth-style': 'json' | 'gateway';
  latency?: string;
  fault: string[];
  seed: string;
  gateway: 'http' | 'rest';
  'missing-route': string[];
  'record-arrivals': boolean;
}

export const sandboxCommand: CommandModule<object, SandboxArgs> = {
  command: 'sandbox',
  describe: 'Run a local Fluence API that authenticates, bills, refunds and throttles like the real one',
  builder: (yargs: Argv) =>
    yargs
      .option('port', { type: 'number', default: 8787, describe: 'Port on the host (0 = any free port)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Interface to listen on' })
      .option('keys', { type: 'string', describe: 'JSON file: [{"key", "plan", "credits", "rate"?, "burst"?, "monthly_quota"?}] (default: the demo keys)' })
      .option('auth-style', { choices: ['json', 'gateway'] as const, default: 'json' as const, describe: 'Bad key answer: 401 JSON (docs) or 403 {"message":"Forbidden"} (API Gateway)' })
      .option('latency', { type: 'string', describe: 'CRM answer latency in ms: 300, or a range 300-3000' })
      .option('fault', { type: 'string', array: true, default: [] as string[], describe: `Inject faults, KIND=PROBABILITY (repeatable); KIND: ${FAULT_KINDS.join(', ')}` })
      .option('seed', { type: 'string', default: 'fluence', describe: 'Seed for latency and fault draws' })
      .option('gateway', { choices: ['http', 'rest'] as const, default: 'http' as const, describe: 'Unknown routes answered as an HTTP API gateway (404 Not Found) or a REST API gateway (403 Missing Authentication Token)' })
      .option('record-arrivals', { type: 'boolean', default: false, describe: 'Keep each CRM request\'s arrival time; /__sandbox/ledger?rate=R then says the most any stretch of time got beyond R/s (benchmarks)' })
      .option('missing-route', { type: 'string', array: true, default: [] as string[], describe: 'Leave this route out, answered as unknown, e.g. /crm_basico (repeatable)' })
      .example('$0 sandbox --port 0', 'start on any free port with the demo keys')
      .example('$0 sandbox --latency 300-3000 --fault error500=0.02', 'slow answers and 2 % server errors') as unknown as Argv<SandboxArgs>,
  handler: async (args: ArgumentsCamelCase<SandboxArgs>) => {
    if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65_535) {
      throw new FluenceError('BAD_OPTION', `option --port: expected a whole number from 0 to 65535 (0 = any free port), got ${JSON.stringify(String(args.port))}`);
    }
    const keys = args.keys ? await loadKeysFile(args.keys) : DEMO_KEYS;
    const sandbox = await startSandbox({
      port: args.port,
      host: args.host,
      keys,
      authStyle: args['auth-style'],
      gateway: args.gateway,
      missingRoutes: args['missing-route'],
      recordArrivals: args['record-arrivals'],
      faults: { latencyMs: args.latency ? parseLatency(args.latency) : 0, rates: parseFaultRates(args.fault), seed: args.seed },
    });
    process.stdout.write(`Fluence sandbox listening on ${sandbox.url}\n`);
    if (!args.keys) {
      process.stdout.write('Demo keys (sandbox only):\n');
      for (const k of DEMO_KEYS) process.stdout.write(`  ${k.plan.padEnd(22)} ${k.key}  ${k.credits} credits\n`);
      process.stdout.write(`Try: FLUENCE_API_KEY=${DEMO_KEYS[0]!.key} FLUENCE_BASE_URL=${sandbox.url} fluence-enrich credits\n`);
    }
    await new Promise<void>((resolve) => takeOverSignals(() => resolve()));
    await sandbox.close();
  },
};
