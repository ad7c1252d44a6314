import { CRM_ENDPOINTS, TIER_NAMES, type TierName } from '../api/plans.js';
import { DEFAULT_RETRY_POLICY } from '../api/retry-delay.js';
import { parseMap } from '../input/columns.js';
import { checkDelimiter, checkEncoding } from '../input/dialect.js';
import { parseFields } from '../output/fields.js';
import { atLeast, bad, checkBaseUrl, checkPort, oneOf, parseAge, positive, PRODUCTION_URL } from './checks.js';

export const COMMAND_NAMES = [
  'enrich',
  'estimate',
  'credits',
  'health',
  'status',
  'tiers',
  'sandbox',
  'serve',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** `serve`'s port when none is given (the sandbox's is 8787). */
export const SERVE_PORT = 8790;

/** Looked for in the working folder when --config is not given. */
export const DEFAULT_CONFIG_FILE = 'fluence-enrich.config.json';

/**
 * One option, whole: the CLI's flag, the key a config file may hold, the library's option and
 * the config field are all made from its entry. The entry's key is the library's (camelCase)
 * name; the flag, and a config file's key, are the same in kebab-case (a file may use either).
 */
export interface OptionSpec {
  /** How the command line reads it. Numbers stay text there, so a typo is shown as typed. */
  type: 'string' | 'boolean' | 'number';
  /** Repeatable: each use adds a value (any other option given twice keeps the last). */
  array?: true;
  alias?: string;
  choices?: readonly string[];
  /** When neither the command line, the environment nor a config file gives one; shown by --help. */
  default?: unknown;
  /** A command's own default, where it differs from `default` (`serve`'s port is not the sandbox's). */
  defaultFor?: Partial<Record<CommandName, unknown>>;
  /** What --help shows as the default, where the value itself says less (a long URL). */
  helpDefault?: string;
  /** A variable that gives the value when no flag does; it beats a config file. Empty counts as unset. */
  env?: string;
  commands: readonly CommandName[];
  /** Also offered before the command name (yargs' global option). */
  global?: true;
  /** For the CLI only: not an option of the library (`enrichFile`). */
  cliOnly?: true;
  describe: string;
  /** The value as the run uses it, from what was given or the default; throws BAD_OPTION naming the flag. */
  parse?: (value: never, flag: string) => unknown;
  /** The `EnrichConfig` field that takes the parsed value as it is; without one, a rule across options makes the field (normalize.ts). */
  to?: string;
}

const ALL = COMMAND_NAMES;
const RUN = ['enrich', 'estimate'] as const;
const ENRICH = ['enrich'] as const;
/** Every command that talks to the API. */
const API = ['enrich', 'estimate', 'credits', 'health', 'status', 'tiers', 'serve'] as const;
const SANDBOX = ['sandbox'] as const;
const SERVE = ['serve'] as const;

/** Every option of every command, in the order --help lists them. */
export const OPTIONS = {
  config: {
    type: 'string',
    commands: ALL,
    global: true,
    cliOnly: true,
    describe: `JSON file of option values (default: ./${DEFAULT_CONFIG_FILE} when present); flags beat the environment, which beats the file`,
  },

  // What `enrich` and `estimate` both need to know: the file, where answers are kept, the plan.
  output: {
    type: 'string',
    alias: 'o',
    commands: RUN,
    describe: 'Output file, - for standard output (default: output/<input>.enriched.csv)',
  },
  endpoint: {
    type: 'string',
    choices: CRM_ENDPOINTS,
    default: 'crm_basico',
    commands: RUN,
    describe: 'crm_basico (1 credit) or crm (2 credits, adds personality)',
    parse: oneOf(CRM_ENDPOINTS, ' or '),
    to: 'endpoint',
  },
  baseUrl: {
    type: 'string',
    env: 'FLUENCE_BASE_URL',
    default: PRODUCTION_URL,
    commands: API,
    helpDefault: 'FLUENCE_BASE_URL, else the production URL',
    describe: 'API root',
    parse: checkBaseUrl,
    to: 'baseUrl',
  },
  checkpoint: { type: 'string', commands: RUN, describe: 'Checkpoint database (default: OUTPUT.checkpoint.sqlite)' },
  cache: {
    type: 'string',
    commands: RUN,
    describe: 'A checkpoint shared across files and runs (nightly jobs pay only for new contacts)',
  },
  maxAge: {
    type: 'string',
    commands: RUN,
    describe: 'Ask again answers older than this: 30d, 12h, 90m',
    parse: parseAge,
    to: 'maxAgeMs',
  },
  refresh: {
    type: 'boolean',
    default: false,
    commands: RUN,
    describe: 'Ask every contact again, ignoring stored answers',
    to: 'refresh',
  },
  tier: {
    type: 'string',
    choices: TIER_NAMES,
    commands: RUN,
    describe: "Your plan's rate and burst (default: learned from X-RateLimit-Limit)",
    parse: (value: string, flag: string): TierName =>
      TIER_NAMES.find((tier) => tier === value.toLowerCase()) ?? bad(flag, TIER_NAMES.join(', '), value),
  },
  rate: { type: 'string', commands: RUN, describe: 'Requests per second allowed by your plan', parse: positive() },
  burst: {
    type: 'string',
    commands: RUN,
    describe: 'Burst capacity of your plan (default: 2 x rate)',
    parse: positive(true),
  },
  map: {
    type: 'string',
    array: true,
    default: [],
    commands: RUN,
    describe:
      'Column for a field: primeiro_nome=Header, ultimo_nome=..., empresa=..., or nome_completo=... to split a full name (repeatable)',
    parse: (value: readonly string[]) => parseMap(value),
    to: 'map',
  },
  header: {
    type: 'boolean',
    default: true,
    commands: RUN,
    describe:
      'The first row names the columns; --no-header takes them by position (--map primeiro_nome=1 ...; default 1, 2, 3)',
    // As the run uses it: true when the file has no header row.
    parse: (value: boolean) => !value,
    to: 'noHeader',
  },
  encoding: {
    type: 'string',
    commands: RUN,
    describe: 'Input encoding: utf8, windows-1252, latin1, utf16le... (default: detected)',
    parse: (value: string) => checkEncoding(value),
    to: 'encoding',
  },
  delimiter: {
    type: 'string',
    commands: RUN,
    describe: 'Input delimiter: , ; | or tab (default: detected from the header)',
    parse: (value: string) => checkDelimiter(value),
    to: 'delimiter',
  },
  sheet: {
    type: 'string',
    commands: RUN,
    describe: "An .xlsx input's sheet by name (default: the first)",
    to: 'sheet',
  },
  hiddenRows: {
    type: 'string',
    choices: ['skip', 'send'],
    default: 'skip',
    commands: RUN,
    describe:
      "An .xlsx input's rows hidden in the workbook (filtered out, or hidden by hand): skip (never charged, written as invalid_input) or send",
    parse: oneOf(['skip', 'send'] as const, ' or '),
    to: 'hiddenRows',
  },
  apiKeyFile: {
    type: 'string',
    commands: API,
    describe: 'Read the key from this file (Docker secrets) instead of FLUENCE_API_KEY',
  },

  // `enrich` only: how hard to push, what to write, how to log.
  concurrency: {
    type: 'string',
    commands: ENRICH,
    describe: 'Requests in flight at most (default: adapts to the slowest answers, rate x latency)',
    parse: positive(true),
    to: 'concurrency',
  },
  maxCredits: {
    type: 'string',
    commands: ENRICH,
    describe: 'Never spend more than this many credits in this run',
    parse: atLeast(0, true),
    to: 'maxCredits',
  },
  summary: { type: 'string', commands: ENRICH, describe: 'Also write the summary as JSON here', to: 'summaryPath' },
  report: {
    type: 'string',
    commands: ENRICH,
    describe:
      'Also write an HTML report here: charts of the rate, statuses, credits and answer times, and the rows that need attention',
    to: 'reportPath',
  },
  fields: {
    type: 'string',
    commands: ENRICH,
    describe:
      'analise paths to columns, comma-separated (default: name, role, company, seniority, location, summary, confidence)',
    parse: (value: string) => parseFields(value),
  },
  timeout: {
    type: 'string',
    default: 35,
    commands: ENRICH,
    describe: 'Seconds to wait for one answer',
    parse: (value: number | string, flag: string) => positive()(value, flag) * 1000,
    to: 'timeoutMs',
  },
  retries: {
    type: 'string',
    default: DEFAULT_RETRY_POLICY.maxAttempts - 1,
    commands: ENRICH,
    describe: 'Retries of a transient failure (5xx, timeout, reset) before the row is failed',
    parse: atLeast(0, true),
  },
  logLevel: {
    type: 'string',
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
    commands: ENRICH,
    cliOnly: true,
    describe: 'Least important log lines shown',
  },
  logFormat: {
    type: 'string',
    choices: ['json', 'pretty'],
    commands: ENRICH,
    cliOnly: true,
    describe: 'JSON lines, or readable lines (default: readable on a terminal)',
  },
  quiet: {
    type: 'boolean',
    alias: 'q',
    default: false,
    commands: ENRICH,
    cliOnly: true,
    describe: 'Only warnings and errors: no progress, no summary text (cron)',
  },
  progress: {
    type: 'string',
    choices: ['tty', 'log', 'off'],
    commands: ENRICH,
    describe: 'Live line, periodic log lines, or none (default: by terminal)',
  },
  excel: {
    type: 'boolean',
    default: false,
    commands: ENRICH,
    describe: "Write for Excel in pt-BR: UTF-8 with BOM, ';', CRLF (default: the input's delimiter, UTF-8)",
  },
  format: {
    type: 'string',
    choices: ['csv', 'jsonl', 'xlsx'],
    commands: ENRICH,
    describe:
      'Output CSV, one JSON object per row with the whole analise, or an Excel workbook (default: by the output name, .xlsx for an .xlsx input, else CSV)',
    parse: oneOf(['csv', 'jsonl', 'xlsx'] as const),
  },
  redis: {
    type: 'string',
    env: 'FLUENCE_REDIS_URL',
    commands: ENRICH,
    describe:
      "Share the key's rate, claims and answers with runs on other machines: redis://[:password@]host:6379 (or FLUENCE_REDIS_URL)",
  },
  redisPrefix: {
    type: 'string',
    commands: ENRICH,
    describe: "Prefix of this tool's Redis keys, so teams can share one Redis (default: fluence-enrich)",
  },
  redisWait: {
    type: 'string',
    default: 30,
    commands: ENRICH,
    describe: 'Seconds to wait for a lost Redis before stopping with the rest pending',
    parse: (value: number | string, flag: string) => atLeast(0)(value, flag) * 1000,
    to: 'redisWaitMs',
  },

  json: {
    type: 'boolean',
    default: false,
    commands: ['estimate', 'credits', 'health', 'status', 'tiers'],
    cliOnly: true,
    describe: "Print JSON instead of text (for credits, health, status and tiers: the API's own answer)",
  },

  // `sandbox`: the local stand-in for the API; `serve`: the local web page.
  port: {
    type: 'number',
    default: 8787,
    defaultFor: { serve: SERVE_PORT },
    commands: ['sandbox', 'serve'],
    describe: `Port on the host (0 = any free port; serve: ${SERVE_PORT}, or a free port when that one is taken)`,
    parse: checkPort,
  },
  host: {
    type: 'string',
    default: '127.0.0.1',
    commands: ['sandbox', 'serve'],
    describe:
      'Interface to listen on (serve: anything but loopback is reachable from the network, still behind the token)',
  },
  allowHost: {
    type: 'string',
    array: true,
    default: [],
    commands: SERVE,
    describe:
      'Another Host name the page may be reached by, e.g. a name in /etc/hosts or a proxy (repeatable; loopback names and --host always are)',
  },
  dir: {
    type: 'string',
    default: './fluence-work',
    commands: SERVE,
    describe: "Work folder: uploads, runs (outputs, summaries, reports) and the one --cache every page's run shares",
  },
  maxUpload: {
    type: 'string',
    default: 200,
    commands: SERVE,
    describe: 'Largest upload, in megabytes',
    parse: (value: number | string, flag: string) => Math.round(positive()(value, flag) * 1024 * 1024),
  },
  open: { type: 'boolean', default: false, commands: SERVE, describe: 'Open the page in the default browser' },
  sandbox: {
    type: 'boolean',
    default: false,
    commands: SERVE,
    describe:
      'Also start the sandbox in this process and run against it: try the page with no key (--keys, --latency shape it)',
  },
  keys: {
    type: 'string',
    commands: ['sandbox', 'serve'],
    describe: 'JSON file: [{"key", "plan", "credits", "rate"?, "burst"?, "monthly_quota"?}] (default: the demo keys)',
  },
  authStyle: {
    type: 'string',
    choices: ['json', 'gateway'],
    default: 'json',
    commands: SANDBOX,
    describe: 'Bad key answer: 401 JSON (docs) or 403 {"message":"Forbidden"} (API Gateway)',
  },
  latency: {
    type: 'string',
    commands: ['sandbox', 'serve'],
    describe: 'CRM answer latency in ms: 300, or a range 300-3000',
  },
  // The kinds are the sandbox's FAULT_KINDS, written out so the library never loads the sandbox (a test compares them).
  fault: {
    type: 'string',
    array: true,
    default: [],
    commands: SANDBOX,
    describe:
      'Inject faults, KIND=PROBABILITY (repeatable); KIND: error500, error502, error503, error504, dropBeforeCharge, dropAfterCharge, hang, malformed',
  },
  seed: { type: 'string', default: 'fluence', commands: SANDBOX, describe: 'Seed for latency and fault draws' },
  gateway: {
    type: 'string',
    choices: ['http', 'rest'],
    default: 'http',
    commands: SANDBOX,
    describe:
      'Unknown routes answered as an HTTP API gateway (404 Not Found) or a REST API gateway (403 Missing Authentication Token)',
  },
  recordArrivals: {
    type: 'boolean',
    default: false,
    commands: SANDBOX,
    describe:
      "Keep each CRM request's arrival time; /__sandbox/ledger?rate=R then says the most any stretch of time got beyond R/s (benchmarks)",
  },
  missingRoute: {
    type: 'string',
    array: true,
    default: [],
    commands: SANDBOX,
    describe: 'Leave this route out, answered as unknown, e.g. /crm_basico (repeatable)',
  },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
/** `maxAge` -> `max-age`. */
export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The entry of a flag or key in either spelling (`max-age`, `maxAge`), if there is one. */
export function optionNamed(name: string): [OptionName, OptionSpec] | undefined {
  const key = camel(name);
  return Object.hasOwn(OPTIONS, key) ? [key as OptionName, OPTIONS[key as OptionName]] : undefined;
}

/** The options `command` takes, in table order. */
export function optionsOf(command: CommandName): Array<[OptionName, OptionSpec]> {
  return (Object.entries(OPTIONS) as Array<[OptionName, OptionSpec]>).filter(([, spec]) =>
    spec.commands.includes(command),
  );
}
