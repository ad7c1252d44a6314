import type { Lang } from './lang.js';

/**
 * Numbers, durations and dates in the language's way (`1.468`, `3,5 s`, `07/12/2026` in pt-BR),
 * for the few places that show a value outside a message; inside a message, ICU's `{n, number}`
 * does the same from the same platform data.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: Lang, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `${lang}${JSON.stringify(options)}`;
  let format = numberFormats.get(id);
  if (!format) {
    format = new Intl.NumberFormat(lang, options);
    numberFormats.set(id, format);
  }
  return format;
}

/** `1468` -> `1,468` | `1.468`; `digits` fixes the decimals shown (at most, by default). */
export const formatNumber = (lang: Lang, value: number, digits = 0): string =>
  numberFormat(lang, { maximumFractionDigits: digits }).format(value);

/** `0.052` -> `5.2%` | `5,2%`. */
export const formatPercent = (lang: Lang, ratio: number, digits = 1): string =>
  numberFormat(lang, { style: 'percent', maximumFractionDigits: digits }).format(ratio);

/**
 * Seconds as a person reads them: `3.5 s`, `2 min 5 s`, `1 h 2 min` (`3,5 s` in pt-BR). The units
 * are the SI symbols, the same in both languages (Intl's English short units say `sec` and `hr`,
 * which the tool's other lines never did); the number is the language's.
 */
export function formatDuration(lang: Lang, seconds: number): string {
  if (seconds < 60) return `${formatNumber(lang, seconds, seconds < 10 ? 1 : 0)} s`;
  const whole = Math.round(seconds);
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  if (h > 0) return m > 0 ? `${formatNumber(lang, h)} h ${m} min` : `${formatNumber(lang, h)} h`;
  return s > 0 ? `${m} min ${s} s` : `${m} min`;
}

/** A day, `12/7/2026` | `07/12/2026`; with `time`, the hour and minute too. */
export const formatDate = (lang: Lang, date: Date, time = false): string =>
  new Intl.DateTimeFormat(lang, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    ...(time ? { hour: '2-digit', minute: '2-digit' } : {}),
  }).format(date);

/**
 * An instant as a day and a time in UTC, the zone named (`01/01/2027, 12:00 AM UTC` |
 * `01/01/2027, 00:00 UTC`), to the minute: the same instant reads the same wherever it is shown.
 */
export const formatDateTimeUtc = (lang: Lang, date: Date): string =>
  new Intl.DateTimeFormat(lang, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(date);
