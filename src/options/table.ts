import { CRM_ENDPOINTS, TIER_NAMES, type TierName } from '../api/plans.js';
import { DEFAULT_RETRY_POLICY } from '../api/retry-delay.js';
import { parseMap } from '../input/columns.js';
import { checkDelimiter, checkEncoding } from '../input/dialect.js';
import { LANGS, langOf, type Lang } from '../i18n/lang.js';
import { wordList } from '../i18n/message.js';
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
 * Its --help text is the catalog's `options.<name>` (`src/i18n/catalog/<lang>/options.json`), in
 * the reader's language; a test checks every entry has one.
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
  },

  lang: {
    type: 'string',
    commands: ALL,
    global: true,
    env: 'FLUENCE_LANG',
    helpDefault: 'LC_ALL, LC_MESSAGES or LANG, else en',
    parse: (value: string, flag: string): Lang => langOf(value) ?? bad(flag, wordList(LANGS, 'or'), value),
  },

  // What `enrich` and `estimate` both need to know: the file, where answers are kept, the plan.
  output: {
    type: 'string',
    alias: 'o',
    commands: RUN,
  },
  endpoint: {
    type: 'string',
    choices: CRM_ENDPOINTS,
    default: 'crm_basico',
    commands: RUN,
    parse: oneOf(CRM_ENDPOINTS, 'or'),
    to: 'endpoint',
  },
  baseUrl: {
    type: 'string',
    env: 'FLUENCE_BASE_URL',
    default: PRODUCTION_URL,
    commands: API,
    helpDefault: 'FLUENCE_BASE_URL, else the production URL',
    parse: checkBaseUrl,
    to: 'baseUrl',
  },
  checkpoint: { type: 'string', commands: RUN },
  cache: {
    type: 'string',
    commands: RUN,
  },
  maxAge: {
    type: 'string',
    commands: RUN,
    parse: parseAge,
    to: 'maxAgeMs',
  },
  refresh: {
    type: 'boolean',
    default: false,
    commands: RUN,
    to: 'refresh',
  },
  tier: {
    type: 'string',
    choices: TIER_NAMES,
    commands: RUN,
    parse: (value: string, flag: string): TierName =>
      TIER_NAMES.find((tier) => tier === value.toLowerCase()) ?? bad(flag, TIER_NAMES.join(', '), value),
  },
  rate: { type: 'string', commands: RUN, parse: positive() },
  burst: {
    type: 'string',
    commands: RUN,
    parse: positive(true),
  },
  map: {
    type: 'string',
    array: true,
    default: [],
    commands: RUN,
    parse: (value: readonly string[]) => parseMap(value),
    to: 'map',
  },
  header: {
    type: 'boolean',
    default: true,
    commands: RUN,
    // As the run uses it: true when the file has no header row.
    parse: (value: boolean) => !value,
    to: 'noHeader',
  },
  encoding: {
    type: 'string',
    commands: RUN,
    parse: (value: string) => checkEncoding(value),
    to: 'encoding',
  },
  delimiter: {
    type: 'string',
    commands: RUN,
    parse: (value: string) => checkDelimiter(value),
    to: 'delimiter',
  },
  sheet: {
    type: 'string',
    commands: RUN,
    to: 'sheet',
  },
  hiddenRows: {
    type: 'string',
    choices: ['skip', 'send'],
    default: 'skip',
    commands: RUN,
    parse: oneOf(['skip', 'send'] as const, 'or'),
    to: 'hiddenRows',
  },
  apiKeyFile: {
    type: 'string',
    commands: API,
  },

  // `enrich` only: how hard to push, what to write, how to log.
  concurrency: {
    type: 'string',
    commands: ENRICH,
    parse: positive(true),
    to: 'concurrency',
  },
  maxCredits: {
    type: 'string',
    commands: ENRICH,
    parse: atLeast(0, true),
    to: 'maxCredits',
  },
  summary: { type: 'string', commands: ENRICH, to: 'summaryPath' },
  report: {
    type: 'string',
    commands: ENRICH,
    to: 'reportPath',
  },
  fields: {
    type: 'string',
    commands: ENRICH,
    parse: (value: string) => parseFields(value),
  },
  timeout: {
    type: 'string',
    default: 35,
    commands: ENRICH,
    parse: (value: number | string, flag: string) => positive()(value, flag) * 1000,
    to: 'timeoutMs',
  },
  retries: {
    type: 'string',
    default: DEFAULT_RETRY_POLICY.maxAttempts - 1,
    commands: ENRICH,
    parse: atLeast(0, true),
  },
  logLevel: {
    type: 'string',
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
    commands: ENRICH,
    cliOnly: true,
  },
  logFormat: {
    type: 'string',
    choices: ['json', 'pretty'],
    commands: ENRICH,
    cliOnly: true,
  },
  quiet: {
    type: 'boolean',
    alias: 'q',
    default: false,
    commands: ENRICH,
    cliOnly: true,
  },
  progress: {
    type: 'string',
    choices: ['tty', 'log', 'off'],
    commands: ENRICH,
  },
  excel: {
    type: 'boolean',
    default: false,
    commands: ENRICH,
  },
  format: {
    type: 'string',
    choices: ['csv', 'jsonl', 'xlsx'],
    commands: ENRICH,
    parse: oneOf(['csv', 'jsonl', 'xlsx'] as const),
  },
  redis: {
    type: 'string',
    env: 'FLUENCE_REDIS_URL',
    commands: ENRICH,
  },
  redisPrefix: {
    type: 'string',
    commands: ENRICH,
  },
  redisWait: {
    type: 'string',
    default: 30,
    commands: ENRICH,
    parse: (value: number | string, flag: string) => atLeast(0)(value, flag) * 1000,
    to: 'redisWaitMs',
  },

  json: {
    type: 'boolean',
    default: false,
    commands: ['estimate', 'credits', 'health', 'status', 'tiers'],
    cliOnly: true,
  },

  // `sandbox`: the local stand-in for the API; `serve`: the local web page.
  port: {
    type: 'number',
    default: 8787,
    defaultFor: { serve: SERVE_PORT },
    commands: ['sandbox', 'serve'],
    parse: checkPort,
  },
  host: {
    type: 'string',
    default: '127.0.0.1',
    commands: ['sandbox', 'serve'],
  },
  allowHost: {
    type: 'string',
    array: true,
    default: [],
    commands: SERVE,
  },
  dir: {
    type: 'string',
    default: './fluence-work',
    commands: SERVE,
  },
  maxUpload: {
    type: 'string',
    default: 200,
    commands: SERVE,
    parse: (value: number | string, flag: string) => Math.round(positive()(value, flag) * 1024 * 1024),
  },
  open: { type: 'boolean', default: false, commands: SERVE },
  sandbox: {
    type: 'boolean',
    default: false,
    commands: SERVE,
  },
  keys: {
    type: 'string',
    commands: ['sandbox', 'serve'],
  },
  authStyle: {
    type: 'string',
    choices: ['json', 'gateway'],
    default: 'json',
    commands: SANDBOX,
  },
  latency: {
    type: 'string',
    commands: ['sandbox', 'serve'],
  },
  // The kinds are the sandbox's FAULT_KINDS, written out so the library never loads the sandbox (a test compares them).
  fault: {
    type: 'string',
    array: true,
    default: [],
    commands: SANDBOX,
  },
  seed: { type: 'string', default: 'fluence', commands: SANDBOX },
  gateway: {
    type: 'string',
    choices: ['http', 'rest'],
    default: 'http',
    commands: SANDBOX,
  },
  recordArrivals: {
    type: 'boolean',
    default: false,
    commands: SANDBOX,
  },
  missingRoute: {
    type: 'string',
    array: true,
    default: [],
    commands: SANDBOX,
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
