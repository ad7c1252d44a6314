import { FluenceError } from '../errors.js';
import { message, wordList, type Message, type WordList } from '../i18n/message.js';

/** The production base URL from the provider's docs. */
export const PRODUCTION_URL = 'https://knjx20589d.execute-api.us-west-2.amazonaws.com/prod';

/** What the user gave, as they wrote it (a number is shown as typed, NaN as the text that made it). */
const shown = (value: unknown): string => (typeof value === 'number' ? String(value) : JSON.stringify(value));

/** `option --rate: expected a number > 0, got "abc"`: every option's refusal reads the same. */
export const bad = (flag: string, expected: string | Message | WordList, got: unknown): never => {
  throw new FluenceError('BAD_OPTION', message('errors.badOption', { flag, expected, got: shown(got) }));
};

/**
 * A numeric option from the command line (text, so a typo is shown as typed), a config file or a
 * library caller (a number); `min` is the smallest allowed value, `above` when it must be exceeded.
 */
export function numeric(
  flag: string,
  value: number | string,
  rule: { integer?: boolean; min: number; above?: boolean },
): number {
  // A whole number typed as text is digits only: "1.000" (a thousand, as pt-BR writes it) or
  // "1,000" is refused rather than read as 1 or NaN by Number().
  const typed = typeof value === 'string' && (value.trim() === '' || (rule.integer && !/^\s*-?\d+\s*$/.test(value)));
  const n = typeof value === 'number' ? value : typed ? Number.NaN : Number(value);
  const expected = message('errors.badOption.number', {
    whole: rule.integer ? 'yes' : 'no',
    op: rule.above ? '>' : '>=',
    min: String(rule.min),
  });
  if (!Number.isFinite(n) || (rule.above ? n <= rule.min : n < rule.min) || (rule.integer && !Number.isInteger(n)))
    bad(flag, expected, value);
  return n;
}

/** Parsers for the table: a number > 0, or >= `min`, whole or not. */
export const positive =
  (integer = false) =>
  (value: number | string, flag: string): number =>
    numeric(flag, value, { integer, min: 0, above: true });
export const atLeast =
  (min: number, integer = false) =>
  (value: number | string, flag: string): number =>
    numeric(flag, value, { integer, min });

/** One of a list, as given; `or` joins the list in the message (`crm_basico or crm`, `crm_basico ou crm`). */
export const oneOf =
  <T extends string>(choices: readonly T[], join: WordList['join'] = 'unit') =>
  (value: string, flag: string): T =>
    choices.find((choice) => choice === value) ?? bad(flag, wordList(choices, join), value);

const AGE_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--max-age 30d`: a number and a unit (s, m, h, d, w), in milliseconds. */
export function parseAge(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/i.exec(text);
  if (!match) return bad('max-age', message('errors.badOption.expected', { what: 'duration' }), text);
  return Number(match[1]) * AGE_UNITS[match[2]!.toLowerCase()]!;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The key travels in a header: plain HTTP is only allowed to this machine (the sandbox). */
export function checkBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FluenceError(
      'BAD_OPTION',
      message('errors.badOption.baseUrl', { url: PRODUCTION_URL, got: JSON.stringify(text) }),
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    bad('base-url', message('errors.badOption.expected', { what: 'httpUrl' }), text);
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    throw new FluenceError('INSECURE_BASE_URL', message('errors.insecureBaseUrl', { host: url.host }));
  }
  if (url.username || url.password)
    bad('base-url', message('errors.badOption.expected', { what: 'noCredentials' }), `${url.protocol}//…@${url.host}`);
  if (url.search || url.hash)
    bad(
      'base-url',
      message('errors.badOption.expected', { what: 'root' }),
      `${url.origin}${url.pathname}${url.search ? '?…' : '#…'}`,
    );
  return url.toString().replace(/\/+$/, '');
}

/** `--port`: what the sandbox can listen on. */
export function checkPort(value: number, flag: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new FluenceError(
      'BAD_OPTION',
      message('errors.badOption.port', { flag, got: JSON.stringify(String(value)) }),
    );
  }
  return value;
}
